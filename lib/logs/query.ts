import "server-only";
import { database } from "../db/client";
import { encodeCursor, type Position } from "./cursor";
import { timeWindow, type Filters } from "./filters";

// The explorer's reads: one page of events, newest first, by keyset over (occurred_at, event_id) —
// every filter a WHERE clause on an indexed or partition-pruned column; full-text search through
// the GIN index on search_vector, with the user's words tokenised by PostgreSQL itself and matched as
// prefixes.
export interface EventSummary {
  eventId: string;
  occurredAt: string;
  type: string;
  severity: string;
  name: string;
  message: string | null;
  component: string | null;
  classification: string;
  categories: string[];
  subject: string | null;
  sessionId: string | null;
  model: string | null;
  provider: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** USD, as text (numeric(14,6)) */
  costUsd: string | null;
  httpMethod: string | null;
  httpRoute: string | null;
  httpStatus: number | null;
  durationMs: number | null;
  errorType: string | null;
  trainingExcluded: boolean;
}

export interface EventPage {
  events: EventSummary[];
  nextCursor: string | null;
}

const SUMMARY = `event_id, occurred_at, type::text, severity::text, name, left(message, 300) AS message, component,
  classification::text, categories, subject_pseudonym, session_id, gen_ai_request_model, gen_ai_provider_name,
  gen_ai_usage_input_tokens, gen_ai_usage_output_tokens, gen_ai_cost_usd::text, http_request_method, http_route,
  http_response_status_code, coalesce(http_duration_ms, gen_ai_latency_ms) AS duration_ms, error_type, training_excluded`;

interface Row {
  event_id: string;
  occurred_at: Date;
  type: string;
  severity: string;
  name: string;
  message: string | null;
  component: string | null;
  classification: string;
  categories: string[];
  subject_pseudonym: string | null;
  session_id: string | null;
  gen_ai_request_model: string | null;
  gen_ai_provider_name: string | null;
  gen_ai_usage_input_tokens: number | null;
  gen_ai_usage_output_tokens: number | null;
  gen_ai_cost_usd: string | null;
  http_request_method: string | null;
  http_route: string | null;
  http_response_status_code: number | null;
  duration_ms: number | null;
  error_type: string | null;
  training_excluded: boolean;
}

function toSummary(r: Row): EventSummary {
  return {
    eventId: r.event_id,
    occurredAt: r.occurred_at.toISOString(),
    type: r.type,
    severity: r.severity,
    name: r.name,
    message: r.message,
    component: r.component,
    classification: r.classification,
    categories: r.categories,
    subject: r.subject_pseudonym,
    sessionId: r.session_id,
    model: r.gen_ai_request_model,
    provider: r.gen_ai_provider_name,
    inputTokens: r.gen_ai_usage_input_tokens,
    outputTokens: r.gen_ai_usage_output_tokens,
    costUsd: r.gen_ai_cost_usd,
    httpMethod: r.http_request_method,
    httpRoute: r.http_route,
    httpStatus: r.http_response_status_code,
    durationMs: r.duration_ms,
    errorType: r.error_type,
    trainingExcluded: r.training_excluded,
  };
}

/** WHERE clauses and parameters for the filters (the time window included). */
export function filterClauses(filters: Filters, now = new Date()): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  const { from, to } = timeWindow(filters, now);
  add((p) => `occurred_at >= ${p}`, from);
  add((p) => `occurred_at <= ${p}`, to);
  if (filters.type?.length) add((p) => `type = ANY(${p}::"EventType"[])`, filters.type);
  if (filters.severity?.length) add((p) => `severity = ANY(${p}::"Severity"[])`, filters.severity);
  if (filters.classification?.length) add((p) => `classification = ANY(${p}::"Classification"[])`, filters.classification);
  if (filters.component) add((p) => `component = ${p}`, filters.component);
  if (filters.subject) add((p) => `subject_pseudonym = ${p}`, filters.subject);
  if (filters.session) add((p) => `session_id = ${p}`, filters.session);
  if (filters.model) add((p) => `gen_ai_request_model = ${p}`, filters.model);
  if (filters.status) {
    if (filters.status.endsWith("xx")) add((p) => `http_response_status_code BETWEEN ${p}::int * 100 AND ${p}::int * 100 + 99`, Number(filters.status[0]));
    else add((p) => `http_response_status_code = ${p}::smallint`, Number(filters.status));
  }
  if (filters.q) {
    add((p) => `search_vector @@ clearlog_prefix_tsquery(${p})`, filters.q);
  }
  return { where, params };
}

/** One page, newest first, after `cursor` (older than it). */
export async function listEvents(filters: Filters, cursor: Position | null, limit = 50, now = new Date()): Promise<EventPage> {
  const { where, params } = filterClauses(filters, now);
  if (cursor) {
    params.push(cursor.at, cursor.id);
    where.push(`(occurred_at, event_id) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(limit + 1);
  const { rows } = await database().pool.query<Row>(`SELECT ${SUMMARY} FROM system_logs WHERE ${where.join(" AND ")} ORDER BY occurred_at DESC, event_id DESC LIMIT $${params.length}`, params);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { events: page.map(toSummary), nextCursor: more && last ? encodeCursor({ at: last.occurred_at, id: last.event_id }) : null };
}

/**
 * Live tail: the next events after `after` that match the filters — the oldest `limit` of them, so a
 * burst is delivered over several polls rather than skipped — returned newest first for display.
 */
export async function eventsSince(filters: Filters, after: Position, limit = 100, now = new Date()): Promise<EventSummary[]> {
  const { where, params } = filterClauses({ ...filters, range: "custom", from: after.at, to: now }, now);
  params.push(after.at, after.id, limit);
  where.push(`(occurred_at, event_id) > ($${params.length - 2}, $${params.length - 1})`);
  const { rows } = await database().pool.query<Row>(`SELECT ${SUMMARY} FROM system_logs WHERE ${where.join(" AND ")} ORDER BY occurred_at, event_id LIMIT $${params.length}`, params);
  return rows.map(toSummary).reverse();
}
