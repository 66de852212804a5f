import "server-only";
import type pg from "pg";
import { writeAudit, type AuditMetadata } from "../audit/audit";
import { database } from "../db/client";
import { env, secret } from "../env";
import { hmacHex } from "./tokens";

// Login throttling, per account and per client address. An attempt is reserved before the password
// is checked: in one transaction, under advisory locks on the account's and the address's keys, the
// failures in the window are counted and, when under the limits, a row is inserted as a failure.
// Concurrent attempts therefore queue on the lock and see each other's reservations: 40 simultaneous
// wrong passwords against a limit of 5 check 5 passwords, not 40. A correct password turns its
// reservation into a success. Keys are HMACs of the email and of the address, never the values.
//
// Per account: CLEARLOG_LOGIN_MAX_FAILURES failures in CLEARLOG_LOGIN_WINDOW_MINUTES (a success
// restarts the count). Per address: CLEARLOG_LOGIN_MAX_FAILURES_PER_IP failures in the same window,
// over all accounts (password spraying); a success does not restart it.
export function throttleKey(email: string): string {
  return hmacHex(secret(), `login:${email.trim().toLowerCase()}`);
}

export function addressThrottleKey(ip: string): string {
  return hmacHex(secret(), `login-ip:${ip.trim().toLowerCase()}`);
}

/**
 * The client's address for the per-address limit: the right-most X-Forwarded-For entry (the one the
 * nearest proxy, or Next itself, wrote), else X-Real-IP. Null when neither says.
 */
export function clientAddress(forwardedFor: string | null, realIp: string | null): string | null {
  const last = forwardedFor?.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
  return last || realIp?.trim() || null;
}

export interface Reservation {
  ids: string[];
}

export type ReserveResult = { ok: true; reservation: Reservation } | { ok: false; message: string };

interface Bucket {
  key: string;
  max: number;
  /** a success in the window restarts this bucket's count */
  resetBySuccess: boolean;
}

/** Seconds until the bucket has room again (0: it has room now). Runs inside the reserving transaction. */
async function waitFor(client: pg.PoolClient, bucket: Bucket, windowStart: Date, minutes: number): Promise<number> {
  const { rows } = await client.query<{ at: Date }>(
    `SELECT attempted_at AS at FROM login_attempts
      WHERE key_hash = $1 AND NOT succeeded
        AND attempted_at >= GREATEST($2::timestamptz, CASE WHEN $4 THEN (SELECT max(attempted_at) FROM login_attempts WHERE key_hash = $1 AND succeeded) END)
      ORDER BY attempted_at DESC LIMIT $3`,
    [bucket.key, windowStart, bucket.max, bucket.resetBySuccess],
  );
  if (rows.length < bucket.max) return 0;
  const oldest = rows.at(-1)!.at;
  return Math.max(1, Math.ceil((oldest.getTime() + minutes * 60_000 - Date.now()) / 1000));
}

/**
 * Reserves one attempt for the account (and the address, when known), or refuses: then the refusal
 * is audited and the message for the person returned. Call before checking the password; settle after.
 */
export async function reserveAttempt(accountKey: string, address: string | null, metadata: AuditMetadata = {}): Promise<ReserveResult> {
  const { CLEARLOG_LOGIN_MAX_FAILURES: max, CLEARLOG_LOGIN_MAX_FAILURES_PER_IP: maxPerIp, CLEARLOG_LOGIN_WINDOW_MINUTES: minutes } = env();
  const buckets: Bucket[] = [{ key: accountKey, max, resetBySuccess: true }];
  if (address) buckets.push({ key: addressThrottleKey(address), max: maxPerIp, resetBySuccess: false });
  const windowStart = new Date(Date.now() - minutes * 60_000);
  const client = await database().pool.connect();
  let wait = 0;
  let ids: string[] = [];
  try {
    await client.query("BEGIN");
    // Always in the same order (sorted keys), so two attempts never wait for each other's second lock.
    for (const key of buckets.map((b) => b.key).sort()) await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`login:${key}`]);
    for (const bucket of buckets) wait = Math.max(wait, await waitFor(client, bucket, windowStart, minutes));
    if (wait === 0) {
      const { rows } = await client.query<{ id: string }>(
        "INSERT INTO login_attempts (key_hash, succeeded) SELECT unnest($1::text[]), false RETURNING id::text",
        [buckets.map((b) => b.key)],
      );
      ids = rows.map((r) => r.id);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  if (wait === 0) return { ok: true, reservation: { ids } };
  await writeAudit({ actor: null, action: "auth.login", resourceType: "session", outcome: "denied", metadata: { reason: "throttled", ...metadata } });
  const waitMinutes = Math.ceil(wait / 60);
  return { ok: false, message: `Too many failed sign-in attempts. Try again in ${waitMinutes} minute${waitMinutes === 1 ? "" : "s"}.` };
}

/** A reserved attempt succeeded: it stops counting as a failure (and restarts the account's count). */
export async function settleSuccess(reservation: Reservation): Promise<void> {
  await database().pool.query("UPDATE login_attempts SET succeeded = true WHERE id = ANY($1::bigint[])", [reservation.ids]);
}
