import "server-only";
import { randomUUID } from "node:crypto";
import { classifyEvent } from "../classify/engine";
import { activeRules } from "../classify/rule-cache";
import { database, db } from "../db/client";
import { secret } from "../env";
import { SafeError } from "../errors";
import type { StorableEvent } from "../ingest/normalize";
import { pseudonymize } from "../privacy/anonymize";
import { pseudonymFor } from "../privacy/pseudonym";
import { ELIGIBLE_NOW } from "./extract-sql";
import { parseFeedback, type FeedbackBody } from "./feedback-schema";

// Feedback on a model version from applications (POST /api/v1/feedback, the SDK's sendFeedback).
// Its free text goes through the same classification as event text; the subject becomes a
// pseudonym; whether it may ever enter a training set is decided here, under the same lock a consent
// change takes, so a withdrawal cannot slip between the check and the insert.
export interface RecordedFeedback {
  id: string;
  status: "accepted" | "duplicate";
  trainingEligible: boolean;
}

/** A classification rule said `drop_event` for the feedback's text: nothing was stored. */
export class FeedbackRefusedError extends SafeError {
  constructor(message: string) {
    super(message, "invalid");
    this.name = "FeedbackRefusedError";
  }
}

const TEXT_FIELDS = ["label", "correction", "comment"] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/** The version the feedback names, by id, by model and version, or by model and alias. */
async function resolveVersion(f: FeedbackBody): Promise<string> {
  if (f.modelVersionId) {
    const version = await db().modelVersion.findUnique({ where: { id: f.modelVersionId }, select: { id: true, model: { select: { name: true } } } });
    if (!version) throw new SafeError("modelVersionId: no model version has this id", "not_found");
    if (f.model && version.model.name !== f.model) throw new SafeError(`modelVersionId: is not a version of model "${f.model}"`, "not_found");
    return version.id;
  }
  const model = await db().model.findUnique({
    where: { name: f.model! },
    select: {
      versions: { where: { version: f.version ?? "" }, select: { id: true } },
      aliases: { where: { alias: f.alias ?? "" }, select: { modelVersionId: true } },
    },
  });
  if (!model) throw new SafeError(`model: no model named "${f.model}" is registered`, "not_found");
  if (f.version !== undefined) {
    const version = model.versions[0];
    if (!version) throw new SafeError(`version: model "${f.model}" has no version ${f.version}`, "not_found");
    return version.id;
  }
  const alias = model.aliases[0];
  if (!alias) throw new SafeError(`alias: model "${f.model}" has no alias "${f.alias}"`, "not_found");
  return alias.modelVersionId;
}

/**
 * The text fields after the workspace's classification rules, as an AI interaction event's payload
 * under `feedback.label`, `feedback.correction` and `feedback.comment` (the paths rules match).
 */
async function classifyText(f: FeedbackBody): Promise<Record<TextField, string | null>> {
  const texts: Partial<Record<TextField, string>> = {};
  for (const k of TEXT_FIELDS) if (f[k] !== undefined) texts[k] = f[k];
  const out: Record<TextField, string | null> = { label: null, correction: null, comment: null };
  if (Object.keys(texts).length === 0) return out;
  const event: StorableEvent = {
    eventId: f.id ?? "feedback",
    occurredAt: new Date(),
    type: "ai_interaction",
    severity: "info",
    name: "feedback",
    message: null,
    component: null,
    subject: null,
    sessionId: null,
    purpose: null,
    userAgent: null,
    genAi: { provider: null, model: null, operation: null, conversationId: null, inputTokens: null, outputTokens: null, latencyMs: null, costUsd: null },
    http: { method: null, route: null, status: null, durationMs: null, requestSize: null, responseSize: null },
    errorType: null,
    errorFingerprint: null,
    payload: { feedback: texts },
  };
  const key = secret();
  const outcome = classifyEvent(event, await activeRules(), { hash: (value) => pseudonymize("hash", value, key).slice(0, 12) });
  if (outcome.kind === "dropped") {
    const path = outcome.hits.at(-1)?.path ?? "";
    const field = path.startsWith("feedback.") ? path.slice("feedback.".length) : "body";
    throw new FeedbackRefusedError(`${field}: refused by the classification rule "${outcome.rule}"; the feedback was not stored`);
  }
  const stored = (outcome.event.payload.feedback ?? {}) as Partial<Record<TextField, unknown>>;
  for (const k of TEXT_FIELDS) {
    const value = stored[k];
    out[k] = typeof value === "string" ? value : null;
  }
  return out;
}

async function existing(id: string): Promise<RecordedFeedback | null> {
  const row = await db().modelFeedback.findUnique({ where: { id }, select: { trainingEligible: true } });
  return row ? { id, status: "duplicate", trainingEligible: row.trainingEligible } : null;
}

/**
 * Validates, resolves the model version, classifies the text and stores the feedback once per `id`.
 * Throws SafeError: `invalid` (naming the field), `not_found` (model, version or alias), or
 * FeedbackRefusedError when a rule drops it.
 */
export async function recordFeedback(input: unknown): Promise<RecordedFeedback> {
  const parsed = parseFeedback(input);
  if (!parsed.ok) throw new SafeError(parsed.message, "invalid");
  const f = parsed.data;
  if (f.id) {
    const seen = await existing(f.id);
    if (seen) return seen;
  }
  const versionId = await resolveVersion(f);
  const text = await classifyText(f);
  const id = f.id ?? randomUUID();
  const pseudonym = f.subject ? pseudonymFor(f.subject) : null;
  const rating = f.rating === "up" ? 1 : f.rating === "down" ? -1 : null;

  const client = await database().pool.connect();
  let stored: boolean | null = null;
  try {
    await client.query("BEGIN");
    if (pseudonym) {
      // Consent changes and erasure take this lock; restriction updates the subjects row we share-lock.
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`consent:${pseudonym}`]);
      await client.query("INSERT INTO subjects (id, external_id, pseudonym) VALUES (gen_random_uuid(), $1, $2) ON CONFLICT DO NOTHING", [f.subject, pseudonym]);
      await client.query("SELECT 1 FROM subjects WHERE pseudonym = $1 FOR SHARE", [pseudonym]);
    }
    const { rows } = await client.query<{ training_eligible: boolean }>(
      `INSERT INTO model_feedback (id, model_version_id, event_id, subject_pseudonym, rating, score, label, correction, comment, source, training_eligible)
       SELECT $1::uuid, $2::uuid, $3::text, $4::text, $5::smallint, $6::float8, $7::text, $8::text, $9::text, $10::"FeedbackSource",
         $4::text IS NOT NULL AND ${ELIGIBLE_NOW("$4::text")}
         AND NOT EXISTS (SELECT 1 FROM system_logs e WHERE e.event_id = $3::text AND e.training_excluded)
       ON CONFLICT (id) DO NOTHING
       RETURNING training_eligible`,
      [id, versionId, f.eventId ?? null, pseudonym, rating, f.score ?? null, text.label, text.correction, text.comment, f.source],
    );
    await client.query("COMMIT");
    stored = rows[0]?.training_eligible ?? null;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  if (stored !== null) return { id, status: "accepted", trainingEligible: stored };
  // Sent twice at the same moment: the other request stored it.
  return (await existing(id)) ?? { id, status: "duplicate", trainingEligible: false };
}

// ---- reading it back, for the model version page ------------------------------------------------

export interface FeedbackDay {
  /** the UTC day, YYYY-MM-DD */
  date: string;
  count: number;
  up: number;
  down: number;
  meanScore: number | null;
}

export interface ScoreBucket {
  /** "7" for whole-number scores, "0.2–0.3" for fractional ones (upper end exclusive but for the last) */
  label: string;
  from: number;
  to: number;
  count: number;
}

export interface LatestFeedback {
  id: string;
  label: string | null;
  correction: string | null;
  comment: string | null;
  rating: "up" | "down" | null;
  score: number | null;
  source: "end_user" | "annotator" | "automated";
  eventId: string | null;
  trainingEligible: boolean;
  createdAt: string;
}

/** Plain data (dates as ISO strings), so it can cross from a server component to FeedbackCharts. */
export interface FeedbackStats {
  days: number;
  /** start of the window: UTC midnight, `days` days back including today */
  since: string;
  daily: FeedbackDay[];
  /** 1, 5 or 10: the smallest scale that holds every score of the window */
  scoreScale: number;
  scoreBuckets: ScoreBucket[];
  totals: { count: number; up: number; down: number; scored: number; meanScore: number | null; trainingEligible: number; eligibleShare: number | null };
  /** the 20 newest entries with text (any time), as stored: already redacted, never the subject */
  latest: LatestFeedback[];
}

const DAY_MS = 86_400_000;
const SCALES = [1, 5, 10] as const;
const trim = (n: number) => String(Math.round(n * 100) / 100);

/** Feedback on one version over the last `days` UTC days, computed in SQL. */
export async function feedbackStats(versionId: string, options: { days?: number; now?: Date } = {}): Promise<FeedbackStats> {
  const days = Math.min(Math.max(Math.floor(options.days ?? 30), 1), 366);
  const now = options.now ?? new Date();
  const since = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - (days - 1) * DAY_MS);
  const until = new Date(since.getTime() + days * DAY_MS);
  const { pool } = database();
  const window = "f.model_version_id = $1 AND f.created_at >= $2 AND f.created_at < $3";

  const [daily, totals, latest] = await Promise.all([
    pool.query<FeedbackDay>(
      `SELECT to_char(($2::timestamptz + g * interval '24 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, count(f.id)::int AS count,
         count(f.id) FILTER (WHERE f.rating > 0)::int AS up, count(f.id) FILTER (WHERE f.rating < 0)::int AS down, avg(f.score) AS "meanScore"
       FROM generate_series(0, $4::int - 1) AS g
       LEFT JOIN model_feedback f ON ${window}
         AND f.created_at >= $2::timestamptz + g * interval '24 hours' AND f.created_at < $2::timestamptz + (g + 1) * interval '24 hours'
       GROUP BY g ORDER BY g`,
      [versionId, since, until, days],
    ),
    pool.query<FeedbackStats["totals"] & { maxScore: number | null; integral: boolean }>(
      `SELECT count(*)::int AS count, count(*) FILTER (WHERE rating > 0)::int AS up, count(*) FILTER (WHERE rating < 0)::int AS down,
         count(score)::int AS scored, avg(score) AS "meanScore", count(*) FILTER (WHERE training_eligible)::int AS "trainingEligible",
         max(score) AS "maxScore", COALESCE(bool_and(score = trunc(score)), true) AS integral
       FROM model_feedback f WHERE ${window}`,
      [versionId, since, until],
    ),
    pool.query<Omit<LatestFeedback, "rating" | "createdAt"> & { rating: number | null; createdAt: Date }>(
      `SELECT id, label, correction, comment, rating, score, source::text AS source, event_id AS "eventId", training_eligible AS "trainingEligible", created_at AS "createdAt"
       FROM model_feedback
       WHERE model_version_id = $1 AND (label IS NOT NULL OR correction IS NOT NULL OR comment IS NOT NULL)
       ORDER BY created_at DESC, id DESC LIMIT 20`,
      [versionId],
    ),
  ]);

  const { maxScore, integral, ...t } = totals.rows[0]!;
  const scoreScale = SCALES.find((s) => (maxScore ?? 0) <= s) ?? 10;
  let scoreBuckets: ScoreBucket[] = [];
  if (t.scored > 0) {
    // Whole-number scores (stars, 0–10 ratings) get a bar per value; fractional ones ten equal bins.
    const n = integral ? scoreScale + 1 : 10;
    const { rows } = await pool.query<{ b: number; count: number }>(
      `SELECT g AS b, count(f.id)::int AS count
       FROM generate_series(0, $5::int - 1) AS g
       LEFT JOIN model_feedback f ON ${window} AND f.score IS NOT NULL
         AND (CASE WHEN $6::boolean THEN f.score::int ELSE LEAST(width_bucket(f.score, 0, $4::float8, $5::int), $5::int) - 1 END) = g
       GROUP BY g ORDER BY g`,
      [versionId, since, until, scoreScale, n, integral],
    );
    const width = scoreScale / 10;
    scoreBuckets = rows.map(({ b, count }) =>
      integral ? { label: String(b), from: b, to: b, count } : { label: `${trim(b * width)}–${trim((b + 1) * width)}`, from: b * width, to: (b + 1) * width, count },
    );
  }

  return {
    days,
    since: since.toISOString(),
    daily: daily.rows,
    scoreScale,
    scoreBuckets,
    totals: { ...t, eligibleShare: t.count > 0 ? t.trainingEligible / t.count : null },
    latest: latest.rows.map((r) => ({ ...r, rating: r.rating === null ? null : r.rating > 0 ? "up" : "down", createdAt: r.createdAt.toISOString() })),
  };
}
