import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { EventRow } from "./event-row";

export type { EventRow };

// Bulk writes for ingestion: one statement per table per batch, rows passed as a single JSON
// parameter and expanded with jsonb_to_recordset (no per-row round trips, no SQL built from data).
export interface SessionRow {
  session_key: string;
  subject_pseudonym: string | null;
  first_seen_at: string;
  last_seen_at: string;
  ended_at: string | null;
  event_count: number;
  user_agent: string | null;
  ip_prefix: string | null;
}

const EVENT_COLUMNS = `event_id text, occurred_at timestamptz, type "EventType", severity "Severity", name text, message text,
  component text, subject_pseudonym text, session_id text, classification "Classification", categories text[], purpose text,
  training_excluded boolean, api_key_id uuid, gen_ai_provider_name text, gen_ai_request_model text, gen_ai_operation_name text, gen_ai_conversation_id text,
  gen_ai_usage_input_tokens integer, gen_ai_usage_output_tokens integer, gen_ai_latency_ms integer, gen_ai_cost_usd numeric,
  http_request_method text, http_route text, http_response_status_code smallint, http_duration_ms integer,
  http_request_size integer, http_response_size integer, error_type text, error_fingerprint text, payload jsonb`;

const EVENT_NAMES = EVENT_COLUMNS.split(",").map((c) => c.trim().split(/\s+/)[0]).join(", ");

/** One value in PostgreSQL's COPY text format. */
export function copyText(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  const text =
    typeof value === "string"
      ? value
      : Array.isArray(value)
        ? `{${value.map((v) => `"${String(v).replace(/["\\]/g, "\\$&")}"`).join(",")}}`
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
  return text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

const EVENT_KEYS = EVENT_NAMES.split(", ") as (keyof EventRow)[];

/**
 * Inserts the rows and returns the keys (`event_id|epoch ms`) inserted. The common case — no row of
 * the batch stored before — goes through COPY, the fastest way into PostgreSQL; when the batch holds
 * an event already stored (a client retry), COPY fails on the primary key, is rolled back to its
 * savepoint, and the batch is inserted row-wise skipping the duplicates.
 */
export async function insertEvents(client: pg.PoolClient, rows: EventRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  await client.query("SAVEPOINT copy_events");
  try {
    const data = rows.map((row) => `${EVENT_KEYS.map((k) => copyText(row[k])).join("\t")}\n`).join("");
    await pipeline(Readable.from([data]), client.query(copyFrom(`COPY system_logs (${EVENT_NAMES}) FROM STDIN`)));
    await client.query("RELEASE SAVEPOINT copy_events");
    return new Set(rows.map((r) => `${r.event_id}|${Date.parse(r.occurred_at)}`));
  } catch (error) {
    if ((error as { code?: string }).code !== "23505") throw error;
    await client.query("ROLLBACK TO SAVEPOINT copy_events");
    return insertSkippingDuplicates(client, rows);
  }
}

async function insertSkippingDuplicates(client: pg.PoolClient, rows: EventRow[]): Promise<Set<string>> {
  const { rows: inserted } = await client.query<{ event_id: string; ms: string }>(
    `INSERT INTO system_logs (${EVENT_NAMES})
     SELECT ${EVENT_NAMES} FROM jsonb_to_recordset($1::jsonb) AS r(${EVENT_COLUMNS})
     ON CONFLICT (event_id, occurred_at) DO NOTHING
     RETURNING event_id, (extract(epoch from occurred_at) * 1000)::bigint AS ms`,
    [JSON.stringify(rows)],
  );
  return new Set(inserted.map((r) => `${r.event_id}|${r.ms}`));
}

export async function upsertSubjects(client: pg.PoolClient, subjects: { externalId: string; pseudonym: string }[]): Promise<void> {
  if (subjects.length === 0) return;
  const sorted = [...subjects].sort((a, b) => a.pseudonym.localeCompare(b.pseudonym));
  await client.query(
    `INSERT INTO subjects (id, external_id, pseudonym)
     SELECT gen_random_uuid(), external_id, pseudonym FROM jsonb_to_recordset($1::jsonb) AS r(external_id text, pseudonym text)
     ON CONFLICT (pseudonym) DO NOTHING`,
    [JSON.stringify(sorted.map((s) => ({ external_id: s.externalId, pseudonym: s.pseudonym })))],
  );
}

export async function upsertSessions(client: pg.PoolClient, sessions: SessionRow[]): Promise<void> {
  if (sessions.length === 0) return;
  const sorted = [...sessions].sort((a, b) => a.session_key.localeCompare(b.session_key));
  await client.query(
    `INSERT INTO logging_sessions (id, session_key, subject_pseudonym, first_seen_at, last_seen_at, ended_at, event_count, user_agent, ip_prefix)
     SELECT gen_random_uuid(), session_key, subject_pseudonym, first_seen_at, last_seen_at, ended_at, event_count, user_agent, ip_prefix
       FROM jsonb_to_recordset($1::jsonb) AS r(session_key text, subject_pseudonym text, first_seen_at timestamptz,
            last_seen_at timestamptz, ended_at timestamptz, event_count integer, user_agent text, ip_prefix text)
      -- Counts are written behind the events; a subject erased meanwhile gets no session back.
      WHERE r.subject_pseudonym IS NULL OR EXISTS (SELECT 1 FROM subjects s WHERE s.pseudonym = r.subject_pseudonym)
     ON CONFLICT (session_key) DO UPDATE SET
       first_seen_at = LEAST(logging_sessions.first_seen_at, EXCLUDED.first_seen_at),
       last_seen_at = GREATEST(logging_sessions.last_seen_at, EXCLUDED.last_seen_at),
       ended_at = COALESCE(EXCLUDED.ended_at, logging_sessions.ended_at),
       event_count = logging_sessions.event_count + EXCLUDED.event_count,
       subject_pseudonym = COALESCE(logging_sessions.subject_pseudonym, EXCLUDED.subject_pseudonym),
       user_agent = COALESCE(logging_sessions.user_agent, EXCLUDED.user_agent),
       ip_prefix = COALESCE(logging_sessions.ip_prefix, EXCLUDED.ip_prefix)`,
    [JSON.stringify(sorted)],
  );
}
