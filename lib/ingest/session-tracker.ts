import "server-only";
import { logger } from "../logger";
import type pg from "pg";
import { upsertSessions, type SessionRow } from "./store";

// logging_sessions is derived from the events, so it is written behind them: each batch's session
// deltas are merged in memory and flushed at most FLUSH_DELAY_MS later, many batches in one upsert.
// Events themselves are committed before the API answers; a crash loses at most the last fraction
// of a second of session counters, never an event.
const FLUSH_DELAY_MS = 250;

let pending = new Map<string, SessionRow>();
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

export function trackSessions(pool: pg.Pool, rows: Iterable<SessionRow>): void {
  poolRef = pool;
  for (const row of rows) {
    const existing = pending.get(row.session_key);
    if (existing) merge(existing, row);
    else pending.set(row.session_key, { ...row });
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
  flushing = flushing.then(async () => {
    if (batch.size === 0 || !poolRef) return;
    const client = await poolRef.connect();
    try {
      await upsertSessions(client, [...batch.values()]);
    } catch (error) {
      // Put the deltas back so the next flush retries them.
      for (const row of batch.values()) trackSessions(poolRef, [row]);
      throw error;
    } finally {
      client.release();
    }
  });
  return flushing;
}
