import "server-only";
import { database } from "../db/client";
import { empty, join, quoteIdentifier, raw, rows as query, sql, type Sql } from "../db/sql";
import type { LogColumn, StoredRow } from "./columns";
import { encodeCursor, type Position } from "./cursor";
import { timeWindow, type Filters } from "./filters";

// The explorer's reads: one page of events, newest first, by keyset over (occurred_at, event_id) —
// every filter a WHERE clause on an indexed or partition-pruned column; full-text search through
// the GIN index on search_vector, with the user's words tokenised by PostgreSQL itself and matched as
// prefixes.
// The summary's fields, each a column of the one column table (lib/logs/columns.ts), so its types
// are the columns' types; two fields are expressions over their column.
const SUMMARY_FIELDS = {
  eventId: "event_id",
  occurredAt: "occurred_at",
  type: "type",
  severity: "severity",
  name: "name",
  message: "message",
  component: "component",
  classification: "classification",
  categories: "categories",
  subject: "subject_pseudonym",
  sessionId: "session_id",
  model: "gen_ai_request_model",
  provider: "gen_ai_provider_name",
  inputTokens: "gen_ai_usage_input_tokens",
  outputTokens: "gen_ai_usage_output_tokens",
  /** USD, as text (numeric(14,6)) */
  costUsd: "gen_ai_cost_usd",
  httpMethod: "http_request_method",
  httpRoute: "http_route",
  httpStatus: "http_response_status_code",
  durationMs: "http_duration_ms",
  errorType: "error_type",
  trainingExcluded: "training_excluded",
} as const satisfies Record<string, LogColumn>;

type SummaryField = keyof typeof SUMMARY_FIELDS;
const EXPRESSIONS: Partial<Record<SummaryField, string>> = {
  message: "left(message, 300)",
  durationMs: "coalesce(http_duration_ms, gen_ai_latency_ms)",
  costUsd: "gen_ai_cost_usd::text",
};

type SummaryRow = { [F in SummaryField]: StoredRow[(typeof SUMMARY_FIELDS)[F]] };
export type EventSummary = Omit<SummaryRow, "occurredAt"> & { occurredAt: string };

export interface EventPage {
  events: EventSummary[];
  nextCursor: string | null;
}

const SUMMARY = raw(
  Object.entries(SUMMARY_FIELDS)
    .map(([field, column]) => `${EXPRESSIONS[field as SummaryField] ?? quoteIdentifier(column)} AS "${field}"`)
    .join(", "),
);

const toSummary = (r: SummaryRow): EventSummary => ({ ...r, occurredAt: r.occurredAt.toISOString() });

/** The WHERE clause for the filters (the time window included). */
export function filterClause(filters: Filters, now = new Date()): Sql {
  const { from, to } = timeWindow(filters, now);
  const where: Sql[] = [sql`occurred_at >= ${from}`, sql`occurred_at <= ${to}`];
  if (filters.type?.length) where.push(sql`type = ANY(${filters.type}::"EventType"[])`);
  if (filters.severity?.length) where.push(sql`severity = ANY(${filters.severity}::"Severity"[])`);
  if (filters.classification?.length) where.push(sql`classification = ANY(${filters.classification}::"Classification"[])`);
  if (filters.component) where.push(sql`component = ${filters.component}`);
  if (filters.subject) where.push(sql`subject_pseudonym = ${filters.subject}`);
  if (filters.session) where.push(sql`session_id = ${filters.session}`);
  if (filters.model) where.push(sql`gen_ai_request_model = ${filters.model}`);
  if (filters.status) {
    if (filters.status.endsWith("xx")) {
      const hundreds = Number(filters.status[0]) * 100;
      where.push(sql`http_response_status_code BETWEEN ${hundreds}::int AND ${hundreds + 99}::int`);
    } else where.push(sql`http_response_status_code = ${Number(filters.status)}::smallint`);
  }
  if (filters.q) where.push(sql`search_vector @@ clearlog_prefix_tsquery(${filters.q})`);
  return join(where, " AND ");
}

/** One page, newest first, after `cursor` (older than it). */
export async function listEvents(filters: Filters, cursor: Position | null, limit = 50, now = new Date()): Promise<EventPage> {
  const after = cursor ? sql`AND (occurred_at, event_id) < (${cursor.at}, ${cursor.id})` : empty;
  const rows = await query<SummaryRow>(
    database().pool,
    sql`SELECT ${SUMMARY} FROM system_logs WHERE ${filterClause(filters, now)} ${after} ORDER BY occurred_at DESC, event_id DESC LIMIT ${limit + 1}`,
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { events: page.map(toSummary), nextCursor: more && last ? encodeCursor({ at: last.occurredAt, id: last.eventId }) : null };
}

/**
 * Live tail: the next events after `after` that match the filters — the oldest `limit` of them, so a
 * burst is delivered over several polls rather than skipped — returned newest first for display.
 */
export async function eventsSince(filters: Filters, after: Position, limit = 100, now = new Date()): Promise<EventSummary[]> {
  const rows = await query<SummaryRow>(
    database().pool,
    sql`SELECT ${SUMMARY} FROM system_logs WHERE ${filterClause({ ...filters, range: "custom", from: after.at, to: now }, now)}
          AND (occurred_at, event_id) > (${after.at}, ${after.id}) ORDER BY occurred_at, event_id LIMIT ${limit}`,
  );
  return rows.map(toSummary).reverse();
}
