import "server-only";
import { database } from "../db/client";
import { windowParams, type RangeWindow } from "./range";
import { BUCKET_SERIES, bucketOf, inWindow } from "./sql";

export interface ModelUsage {
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Milliseconds (percentile_cont, to 0.01 ms); null when no call of the model reported a latency. */
  latencyP50: number | null;
  latencyP95: number | null;
}

/** Tokens per bucket by model: `points[i][series[j].key]`; keys are `m0…`, safe as chart data keys. */
export interface TokenSeries {
  series: { key: string; label: string }[];
  points: ({ bucket: string } & Record<string, number | string>)[];
}

export interface AiUsage {
  /** Per model over the range, highest cost first (ties: most tokens), at most MODELS_LIMIT. */
  models: ModelUsage[];
  tokens: TokenSeries;
}

export const MODELS_LIMIT = 10;
/** Models drawn separately in the token chart; the rest are summed as "Other models". */
export const TOKEN_SERIES_LIMIT = 6;
export const UNSPECIFIED_MODEL = "(unspecified)";
export const OTHER_MODELS = "Other models";

const MODEL = `coalesce(gen_ai_request_model, '${UNSPECIFIED_MODEL}')`;

const PER_MODEL_SQL = `
  SELECT ${MODEL} AS model,
         count(*)::float8 AS calls,
         coalesce(sum(gen_ai_usage_input_tokens), 0)::float8 AS input_tokens,
         coalesce(sum(gen_ai_usage_output_tokens), 0)::float8 AS output_tokens,
         coalesce(sum(gen_ai_cost_usd), 0)::float8 AS cost_usd,
         round(percentile_cont(0.5) WITHIN GROUP (ORDER BY gen_ai_latency_ms)::numeric, 2)::float8 AS latency_p50,
         round(percentile_cont(0.95) WITHIN GROUP (ORDER BY gen_ai_latency_ms)::numeric, 2)::float8 AS latency_p95
    FROM system_logs
   WHERE type = 'ai_interaction' AND ${inWindow()}
   GROUP BY 1
   ORDER BY cost_usd DESC, sum(coalesce(gen_ai_usage_input_tokens, 0) + coalesce(gen_ai_usage_output_tokens, 0)) DESC, model
   LIMIT $3`;

// Models ranked by tokens over the range; those past $4 share one slot. Every (bucket, slot) pair
// is returned, zero-filled, so the chart's series have a point in every bucket.
const TOKENS_SQL = `
  WITH per AS (
    SELECT ${MODEL} AS model, ${bucketOf()} AS bucket,
           sum(coalesce(gen_ai_usage_input_tokens, 0) + coalesce(gen_ai_usage_output_tokens, 0)) AS tokens
      FROM system_logs
     WHERE type = 'ai_interaction' AND ${inWindow()}
     GROUP BY 1, 2
  ), ranked AS (
    SELECT model, row_number() OVER (ORDER BY sum(tokens) DESC, model) AS rank
      FROM per GROUP BY model
  ), slots AS (
    SELECT model, least(rank, $4 + 1)::int AS slot, CASE WHEN rank <= $4 THEN model END AS label FROM ranked
  )
  SELECT b.bucket, s.slot, s.label, coalesce(sum(p.tokens), 0)::float8 AS tokens
    FROM ${BUCKET_SERIES} AS b(bucket)
    CROSS JOIN slots s
    LEFT JOIN per p ON p.bucket = b.bucket AND p.model = s.model
   GROUP BY b.bucket, s.slot, s.label
   ORDER BY b.bucket, s.slot`;

type ModelRow = { model: string; calls: number; input_tokens: number; output_tokens: number; cost_usd: number; latency_p50: number | null; latency_p95: number | null };
type TokenRow = { bucket: Date; slot: number; label: string | null; tokens: number };

/** Tokens by model over time, and cost, volume and latency per model, over the range. */
export async function loadAiUsage(w: RangeWindow, seriesLimit = TOKEN_SERIES_LIMIT): Promise<AiUsage> {
  const { pool } = database();
  const [since, until] = windowParams(w);
  const [models, tokens] = await Promise.all([
    pool.query<ModelRow>(PER_MODEL_SQL, [since, until, MODELS_LIMIT]),
    pool.query<TokenRow>(TOKENS_SQL, [...windowParams(w), seriesLimit]),
  ]);
  return {
    models: models.rows.map((r) => ({
      model: r.model,
      calls: r.calls,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      costUsd: r.cost_usd,
      latencyP50: r.latency_p50,
      latencyP95: r.latency_p95,
    })),
    tokens: pivotTokens(tokens.rows),
  };
}

function pivotTokens(rows: TokenRow[]): TokenSeries {
  const series = new Map<number, { key: string; label: string }>();
  const points = new Map<string, { bucket: string } & Record<string, number | string>>();
  for (const r of rows) {
    const key = `m${r.slot - 1}`;
    if (!series.has(r.slot)) series.set(r.slot, { key, label: r.label ?? OTHER_MODELS });
    const bucket = r.bucket.toISOString();
    const point = points.get(bucket) ?? { bucket };
    point[key] = r.tokens;
    points.set(bucket, point);
  }
  return { series: [...series.entries()].sort(([a], [b]) => a - b).map(([, s]) => s), points: [...points.values()] };
}
