import "server-only";
import { logger } from "../logger";
import type pg from "pg";
import { cleanString, type Sanitized } from "./sanitize";
import { upsertSessions, type SessionRow } from "./store";

// logging_sessions is derived from the events, so it is written behind them: each batch's session
// deltas are merged in memory and flushed at most FLUSH_DELAY_MS later, many batches in one upsert.
// Events themselves are committed before the API answers; a crash loses at most the last fraction
// of a second of session counters, never an event.
// One row PostgreSQL refuses must not hold back the others: texts are cleaned before they are
// merged, and a failed flush writes its rows one by one, dropping (and logging) only a row that is
// refused for its data; rows that failed for another reason (the database away) are kept for the next
// flush, at most MAX_ATTEMPTS times.
const FLUSH_DELAY_MS = 250;
const MAX_ATTEMPTS = 5;

let pending = new Map<string, SessionRow>();
const attempts = new Map<string, number>();
let timer: ReturnType<typeof setTimeout> | undefined;
let flushing: Promise<void> = Promise.resolve();
let poolRef: pg.Pool | undefined;

function merge(into: SessionRow, row: SessionRow): void {
  into.event_count += row.event_count;
  if (row.first_seen_at < into.first_seen_at) into.first_seen_at = row.first_seen_at;
  if (row.last_seen_at > into.last_seen_at) into.last_seen_at = row.last_seen_at;
  into.ended_at = row.ended_at ?? into.ended_at;
  into.subject_pseudonym ??= row.subject_pseudonym;
  into.user_agent ??= row.user_agent;
  into.ip_prefix ??= row.ip_prefix;
}

function cleaned(row: SessionRow): SessionRow {
  const found = new Set<Sanitized>();
  const text = (s: string | null) => (s === null ? null : cleanString(s, found));
  return { ...row, session_key: cleanString(row.session_key, found), subject_pseudonym: text(row.subject_pseudonym), user_agent: text(row.user_agent), ip_prefix: text(row.ip_prefix) };
}

export function trackSessions(pool: pg.Pool, rows: Iterable<SessionRow>): void {
  poolRef = pool;
  for (const raw of rows) {
    const row = cleaned(raw);
    const existing = pending.get(row.session_key);
    if (existing) merge(existing, row);
    else pending.set(row.session_key, row);
  }
  if (!timer && pending.size > 0) {
    timer = setTimeout(() => void flushSessions().catch((error: unknown) => logger().error({ component: "sessions", err: error }, "session flush failed")), FLUSH_DELAY_MS);
    timer.unref?.();
  }
}

/** Writes every pending session delta; resolves when they are committed. */
export function flushSessions(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  const batch = pending;
  pending = new Map();
  // A flush that failed must not fail the ones after it (a rejected chain would skip them all).
  flushing = flushing.catch(() => {}).then(async () => {
    if (batch.size === 0 || !poolRef) return;
    const pool = poolRef;
    const client = await pool.connect().catch((error: unknown) => {
      for (const row of batch.values()) trackSessions(pool, [row]); // the database is away: next flush
      throw error;
    });
    try {
      await upsertSessions(client, [...batch.values()]);
      for (const key of batch.keys()) attempts.delete(key);
    } catch {
      // One at a time, so a row that cannot be written fails alone.
      for (const row of batch.values()) await flushOne(pool, client, row);
    } finally {
      client.release();
    }
  });
  return flushing;
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity): the row itself is refused; retrying cannot help. */
const refusedForItsData = (error: unknown) => /^2[23]/.test(String((error as { code?: unknown }).code ?? ""));

async function flushOne(pool: pg.Pool, client: pg.PoolClient, row: SessionRow): Promise<void> {
  try {
    await upsertSessions(client, [row]);
    attempts.delete(row.session_key);
  } catch (error) {
    const tries = (attempts.get(row.session_key) ?? 0) + 1;
    if (refusedForItsData(error) || tries >= MAX_ATTEMPTS) {
      attempts.delete(row.session_key);
      logger().error({ component: "sessions", err: error, attempts: tries }, "session row dropped: the database refused it");
      return;
    }
    attempts.set(row.session_key, tries);
    trackSessions(pool, [row]); // written with the next flush
  }
}
