import type { Classification, EventType, Severity } from "../db/enums";

// The one description of `system_logs` for raw SQL: every column, its PostgreSQL type, the value
// ingestion writes (`EventRow`, also the COPY text and the JSON rows of the fallback insert) and the
// value pg reads back. The COPY column list, the row type, the fallback's record definition and the
// explorer's reads all derive from it; `schema.prisma` stays the source of the table itself, and a
// database test checks the two agree. Pure: no server imports.
interface Column<Write, Read, Written extends boolean = boolean> {
  readonly pg: string;
  /** false: filled by the database (defaults, generated columns), never written by ingest */
  readonly written: Written;
  /** phantom: the types, never set */
  readonly write?: Write;
  readonly read?: Read;
}

const column = <Write, Read = Write>(pg: string): Column<Write, Read, true> => ({ pg, written: true });
const filled = <Read>(pg: string): Column<never, Read, false> => ({ pg, written: false });

export const LOG_COLUMNS = {
  event_id: column<string>("text"),
  occurred_at: column<string, Date>("timestamptz"),
  received_at: filled<Date>("timestamptz"),
  type: column<EventType>('"EventType"'),
  severity: column<Severity>('"Severity"'),
  name: column<string>("text"),
  message: column<string | null>("text"),
  component: column<string | null>("text"),
  subject_pseudonym: column<string | null>("text"),
  session_id: column<string | null>("text"),
  classification: column<Classification>('"Classification"'),
  categories: column<string[]>("text[]"),
  purpose: column<string | null>("text"),
  training_excluded: column<boolean>("boolean"),
  api_key_id: column<string | null>("uuid"),
  gen_ai_provider_name: column<string | null>("text"),
  gen_ai_request_model: column<string | null>("text"),
  gen_ai_operation_name: column<string | null>("text"),
  gen_ai_conversation_id: column<string | null>("text"),
  gen_ai_usage_input_tokens: column<number | null>("integer"),
  gen_ai_usage_output_tokens: column<number | null>("integer"),
  gen_ai_latency_ms: column<number | null>("integer"),
  // pg reads numeric as text, to keep its precision
  gen_ai_cost_usd: column<number | null, string | null>("numeric"),
  http_request_method: column<string | null>("text"),
  http_route: column<string | null>("text"),
  http_response_status_code: column<number | null>("smallint"),
  http_duration_ms: column<number | null>("integer"),
  http_request_size: column<number | null>("integer"),
  http_response_size: column<number | null>("integer"),
  error_type: column<string | null>("text"),
  error_fingerprint: column<string | null>("text"),
  payload: column<Record<string, unknown>>("jsonb"),
} as const;

type Columns = typeof LOG_COLUMNS;
export type LogColumn = keyof Columns;
type WriteOf<C> = C extends Column<infer W, unknown, true> ? W : never;
type ReadOf<C> = C extends Column<unknown, infer R> ? R : never;
export type WrittenColumn = { [K in LogColumn]: Columns[K] extends Column<unknown, unknown, true> ? K : never }[LogColumn];

/** An event as ingestion writes it into system_logs. */
export type EventRow = { [K in WrittenColumn]: WriteOf<Columns[K]> };

/** Columns of a stored event as pg returns them. */
export type StoredRow<K extends LogColumn = LogColumn> = { [P in K]: ReadOf<Columns[P]> };

/** Every column in the table above, in table order (the generated search vector is not read through raw SQL). */
// The keys of the literal object above are exactly LogColumn: the one cast of this module.
export const ALL_COLUMNS: readonly LogColumn[] = Object.keys(LOG_COLUMNS) as LogColumn[];

/** The written columns, in table order: the COPY list and the fallback insert's columns. */
export const WRITTEN_COLUMNS: readonly WrittenColumn[] = ALL_COLUMNS.filter((name): name is WrittenColumn => LOG_COLUMNS[name].written);
