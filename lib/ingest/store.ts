import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Queryable } from "../db/sql";
import { from as copyFrom } from "pg-copy-streams";
import { LOG_COLUMNS, WRITTEN_COLUMNS, type EventRow } from "../logs/columns";

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

// Column list and record definition, both from the one column table (lib/logs/columns.ts).
const EVENT_NAMES = WRITTEN_COLUMNS.join(", ");
const EVENT_RECORD = WRITTEN_COLUMNS.map((name) => `${name} ${LOG_COLUMNS[name].pg}`).join(", ");

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

// The embedded server (PGlite over pglite-socket) does not speak the COPY FROM STDIN sub-protocol;
// asked once per process, which it is.
let copyAnswer: Promise<boolean> | undefined;

function copySupported(client: Queryable): Promise<boolean> {
  copyAnswer ??= client.query<{ v: string }>("SELECT version() AS v").then((r) => !/PGlite/i.test(r.rows[0]?.v ?? ""));
  return copyAnswer;
}

/**
 * Inserts the rows and returns the keys (`event_id|epoch ms`) inserted. The common case — no row of
 * the batch stored before — goes through COPY, the fastest way into PostgreSQL; when the batch holds
 * an event already stored (a client retry), COPY fails on the primary key, is rolled back to its
 * savepoint, and the batch is inserted row-wise skipping the duplicates.
 */
export async function insertEvents(client: Queryable, rows: EventRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  if (!(await copySupported(client))) return insertSkippingDuplicates(client, rows);
  await client.query("SAVEPOINT copy_events");
  try {
    const data = rows.map((row) => `${WRITTEN_COLUMNS.map((k) => copyText(row[k])).join("\t")}\n`).join("");
    await pipeline(Readable.from([data]), client.query(copyFrom(`COPY system_logs (${EVENT_NAMES}) FROM STDIN`)));
    await client.query("RELEASE SAVEPOINT copy_events");
    return new Set(rows.map((r) => `${r.event_id}|${Date.parse(r.occurred_at)}`));
  } catch (error) {
    if ((error as { code?: string }).code !== "23505") throw error;
    await client.query("ROLLBACK TO SAVEPOINT copy_events");
    return insertSkippingDuplicates(client, rows);
  }
}

async function insertSkippingDuplicates(client: Queryable, rows: EventRow[]): Promise<Set<string>> {
  const { rows: inserted } = await client.query<{ event_id: string; ms: string }>(
    `INSERT INTO system_logs (${EVENT_NAMES})
     SELECT ${EVENT_NAMES} FROM jsonb_to_recordset($1::jsonb) AS r(${EVENT_RECORD})
     ON CONFLICT (event_id, occurred_at) DO NOTHING
     RETURNING event_id, (extract(epoch from occurred_at) * 1000)::bigint AS ms`,
    [JSON.stringify(rows)],
  );
  return new Set(inserted.map((r) => `${r.event_id}|${r.ms}`));
}

export async function upsertSessions(client: Queryable, sessions: SessionRow[]): Promise<void> {
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
