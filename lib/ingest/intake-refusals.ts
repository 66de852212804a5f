import "server-only";
import { database } from "../db/client";
import { SafeError, type ErrorCode, type SafeErrorDetails } from "../errors";
import { logger } from "../logger";

// What an application sent and Clearlog did not store, counted per API key, hour and reason in
// `intake_refusals`, so that no exporter's "success" can hide a loss (docs/ingestion.md, "Nothing
// lost silently"). Records refused one by one count under `records`; requests refused whole (the
// body could not be read, a batch limit, the key's rate limit) count under `requests`, with the
// records they held when known. Counts gather in memory and are written within a second, many in one
// statement; readers flush first, so what a page or `GET /api/v1/whoami` shows is current.
export const INTAKE_REASONS = {
  too_old: "older than CLEARLOG_INGEST_MAX_AGE_DAYS",
  invalid: "failed validation (a field missing or malformed, an unknown purpose)",
  too_large: "one record over CLEARLOG_INGEST_MAX_EVENT_BYTES",
  batch_too_large: "request over a batch limit (events per request or bytes)",
  unreadable: "request body could not be read (malformed JSON or protobuf, bad gzip, wrong Content-Type)",
  rate_limited: "request over the key's rate limit (429 / RESOURCE_EXHAUSTED; clients retry)",
} as const;

export type IntakeReason = keyof typeof INTAKE_REASONS;

/** A whole request refused whose records are known (a batch over the event limit): counted with them. */
export class IntakeRefusedError extends SafeError {
  constructor(
    message: string,
    code: ErrorCode,
    readonly records: number,
    details: SafeErrorDetails = {},
  ) {
    super(message, code, details);
  }
}

/** Requests an ingest key sent that were refused whole, by what the error says. */
const REQUEST_REASON_OF: Partial<Record<ErrorCode, IntakeReason>> = { invalid: "unreadable", unsupported_media: "unreadable", too_large: "batch_too_large" };

/** Counts a request refused whole after its key was known (the HTTP wrapper and the gRPC server call this). */
export function countRefusedRequest(apiKeyId: string, error: unknown): void {
  if (!(error instanceof SafeError)) return;
  const reason = REQUEST_REASON_OF[error.code];
  if (reason) countIntakeRefusal(apiKeyId, reason, { requests: 1, records: error instanceof IntakeRefusedError ? error.records : 0 });
}

interface Count {
  apiKeyId: string;
  hour: string;
  reason: IntakeReason;
  records: number;
  requests: number;
}

const FLUSH_MS = 1_000;
const pending = new Map<string, Count>();
let timer: NodeJS.Timeout | undefined;
let flushing: Promise<void> = Promise.resolve();

function hourOf(now: number): string {
  return new Date(now - (now % 3_600_000)).toISOString();
}

/** Counts refusals for a key; `records` refused one by one, or a whole request (`requests: 1`). */
export function countIntakeRefusal(apiKeyId: string | null, reason: IntakeReason, n: { records?: number; requests?: number }, now = Date.now()): void {
  if (!apiKeyId || (!n.records && !n.requests)) return;
  const hour = hourOf(now);
  const key = `${apiKeyId}|${hour}|${reason}`;
  const count = pending.get(key) ?? { apiKeyId, hour, reason, records: 0, requests: 0 };
  count.records += n.records ?? 0;
  count.requests += n.requests ?? 0;
  pending.set(key, count);
  timer ??= setTimeout(() => {
    timer = undefined;
    void flushIntakeRefusals().catch((error: unknown) => logger().error({ component: "ingest", err: error }, "intake refusal counts not written"));
  }, FLUSH_MS).unref();
}

async function write(batch: Count[]): Promise<void> {
  await database().pool.query(
    `INSERT INTO intake_refusals (api_key_id, hour, reason, records, requests, last_at)
     SELECT k, h, r, c, q, now() FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::int[], $5::int[]) AS t(k, h, r, c, q)
     WHERE EXISTS (SELECT 1 FROM api_keys WHERE id = k)
     ON CONFLICT (api_key_id, hour, reason) DO UPDATE
       SET records = intake_refusals.records + EXCLUDED.records,
           requests = intake_refusals.requests + EXCLUDED.requests,
           last_at = EXCLUDED.last_at`,
    [batch.map((c) => c.apiKeyId), batch.map((c) => c.hour), batch.map((c) => c.reason), batch.map((c) => c.records), batch.map((c) => c.requests)],
  );
}

/** Writes the counts gathered so far (also called before every read). */
export function flushIntakeRefusals(): Promise<void> {
  flushing = flushing.then(async () => {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending.clear();
    try {
      await write(batch);
    } catch (error) {
      // Put them back: the next flush tries again.
      for (const c of batch) {
        const key = `${c.apiKeyId}|${c.hour}|${c.reason}`;
        const current = pending.get(key);
        if (current) {
          current.records += c.records;
          current.requests += c.requests;
        } else pending.set(key, c);
      }
      throw error;
    }
  });
  const result = flushing;
  flushing = flushing.catch(() => {});
  return result;
}

export interface IntakeRefusalSummary {
  reason: IntakeReason;
  description: string;
  records: number;
  requests: number;
  lastAt: Date;
}

/** Refusals since `since`, per reason, for one key or (null) all keys; the largest first. */
export async function intakeRefusalsSince(since: Date, apiKeyId: string | null): Promise<IntakeRefusalSummary[]> {
  await flushIntakeRefusals();
  const { rows } = await database().pool.query<{ reason: IntakeReason; records: string; requests: string; last_at: Date }>(
    `SELECT reason, sum(records)::bigint AS records, sum(requests)::bigint AS requests, max(last_at) AS last_at
       FROM intake_refusals
      WHERE hour >= date_trunc('hour', $1::timestamptz) AND ($2::uuid IS NULL OR api_key_id = $2)
      GROUP BY reason ORDER BY sum(records) DESC, sum(requests) DESC, reason`,
    [since, apiKeyId],
  );
  return rows.map((r) => ({ reason: r.reason, description: INTAKE_REASONS[r.reason] ?? r.reason, records: Number(r.records), requests: Number(r.requests), lastAt: r.last_at }));
}

const DAY_MS = 24 * 3_600_000;

/** What `GET /api/v1/whoami` reports under `intake`: the key's refusals in the last 24 hours, per reason. */
export async function intakeStatus(apiKeyId: string, now = new Date()) {
  const since = new Date(now.getTime() - DAY_MS);
  const refused = await intakeRefusalsSince(since, apiKeyId);
  return {
    since: new Date(since.getTime() - (since.getTime() % 3_600_000)).toISOString(),
    refusedRecords: refused.reduce((n, r) => n + r.records, 0),
    refusedRequests: refused.reduce((n, r) => n + r.requests, 0),
    byReason: refused.map((r) => ({ reason: r.reason, description: r.description, records: r.records, requests: r.requests, lastAt: r.lastAt.toISOString() })),
  };
}

/** Counts are kept 90 days (the dashboard shows at most 30); the hourly upkeep deletes older ones. */
export const INTAKE_REFUSALS_KEPT_DAYS = 90;

export async function deleteOldIntakeRefusals(now = new Date()): Promise<number> {
  const { rowCount } = await database().pool.query("DELETE FROM intake_refusals WHERE hour < $1", [new Date(now.getTime() - INTAKE_REFUSALS_KEPT_DAYS * DAY_MS)]);
  return rowCount ?? 0;
}
