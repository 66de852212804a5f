import "server-only";
import { database } from "@/lib/db/client";
import { ensureLogPartitions } from "@/lib/db/partitions";
import type { ClassificationKey, EventTypeKey } from "@/lib/dashboard/event-types";

// Test fixtures for the dashboard's database tests: events written straight into system_logs with
// exactly the typed columns the dashboard reads, so every expected figure can be computed by hand.

/** A fixed "now" (Sunday 15 March 2026, 12:30 UTC): buckets and windows are known in advance. */
export const NOW = new Date("2026-03-15T12:30:00.000Z");

export interface TestEvent {
  at: string;
  type: EventTypeKey;
  classification?: ClassificationKey;
  message?: string;
  route?: string;
  status?: number;
  durationMs?: number | null;
  model?: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  latencyMs?: number | null;
  costUsd?: number | null;
  errorType?: string | null;
  fingerprint?: string | null;
}

let seq = 0;

/** Day partitions for the 40 days before NOW and the day after, so any fixture lands in one. */
export async function preparePartitions(): Promise<void> {
  await ensureLogPartitions(database().pool, new Date(NOW.getTime() - 40 * 86_400_000), new Date(NOW.getTime() + 2 * 86_400_000));
}

export async function clearEvents(): Promise<void> {
  await database().pool.query("DELETE FROM system_logs");
}

export async function insertEvents(events: TestEvent[]): Promise<void> {
  const rows = events.map((e) => ({
    event_id: `dash-${seq++}`,
    occurred_at: e.at,
    type: e.type,
    name: e.route ?? e.errorType ?? e.type,
    message: e.message ?? null,
    classification: e.classification ?? "internal",
    http_route: e.route ?? null,
    http_response_status_code: e.status ?? null,
    http_duration_ms: e.durationMs ?? null,
    gen_ai_request_model: e.model ?? null,
    gen_ai_usage_input_tokens: e.inputTokens ?? null,
    gen_ai_usage_output_tokens: e.outputTokens ?? null,
    gen_ai_latency_ms: e.latencyMs ?? null,
    gen_ai_cost_usd: e.costUsd ?? null,
    error_type: e.errorType ?? null,
    error_fingerprint: e.fingerprint ?? null,
  }));
  await database().pool.query(
    `INSERT INTO system_logs (event_id, occurred_at, type, name, message, classification, http_route, http_response_status_code,
                              http_duration_ms, gen_ai_request_model, gen_ai_usage_input_tokens, gen_ai_usage_output_tokens,
                              gen_ai_latency_ms, gen_ai_cost_usd, error_type, error_fingerprint)
     SELECT event_id, occurred_at, type, name, message, classification, http_route, http_response_status_code,
            http_duration_ms, gen_ai_request_model, gen_ai_usage_input_tokens, gen_ai_usage_output_tokens,
            gen_ai_latency_ms, gen_ai_cost_usd, error_type, error_fingerprint
       FROM jsonb_to_recordset($1::jsonb) AS r(
            event_id text, occurred_at timestamptz, type "EventType", name text, message text, classification "Classification",
            http_route text, http_response_status_code smallint, http_duration_ms int, gen_ai_request_model text,
            gen_ai_usage_input_tokens int, gen_ai_usage_output_tokens int, gen_ai_latency_ms int, gen_ai_cost_usd numeric,
            error_type text, error_fingerprint text)`,
    [JSON.stringify(rows)],
  );
}

/** `n` copies of an event. */
export function times(n: number, event: TestEvent): TestEvent[] {
  return Array.from({ length: n }, () => ({ ...event }));
}
