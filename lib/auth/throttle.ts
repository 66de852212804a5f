import "server-only";
import { recordRefusal } from "../audit/refusals";
import { db } from "../db/client";
import { sql } from "../db/sql";
import { lockFor, transaction, type PrismaTx } from "../db/transaction";
import { env, secret } from "../env";
import { truncateIp } from "../ingest/ip";
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
async function waitFor(tx: PrismaTx, bucket: Bucket, windowStart: Date, minutes: number): Promise<number> {
  const rows = await tx.$queryRaw<{ at: Date }[]>(sql`
    SELECT attempted_at AS at FROM login_attempts
     WHERE key_hash = ${bucket.key} AND NOT succeeded
       AND attempted_at >= GREATEST(${windowStart}::timestamptz,
             CASE WHEN ${bucket.resetBySuccess} THEN (SELECT max(attempted_at) FROM login_attempts WHERE key_hash = ${bucket.key} AND succeeded) END)
     ORDER BY attempted_at DESC LIMIT ${bucket.max}`);
  if (rows.length < bucket.max) return 0;
  const oldest = rows.at(-1)!.at;
  return Math.max(1, Math.ceil((oldest.getTime() + minutes * 60_000 - Date.now()) / 1000));
}

/**
 * Reserves one attempt for the account (and the address, when known), or refuses: then the refusal
 * is counted and the message for the person returned. Call before checking the password; settle after.
 */
export async function reserveAttempt(accountKey: string, address: string | null): Promise<ReserveResult> {
  const { CLEARLOG_LOGIN_MAX_FAILURES: max, CLEARLOG_LOGIN_MAX_FAILURES_PER_IP: maxPerIp, CLEARLOG_LOGIN_WINDOW_MINUTES: minutes } = env();
  const buckets: Bucket[] = [{ key: accountKey, max, resetBySuccess: true }];
  if (address) buckets.push({ key: addressThrottleKey(address), max: maxPerIp, resetBySuccess: false });
  const windowStart = new Date(Date.now() - minutes * 60_000);
  const { wait, ids } = await transaction(async (tx) => {
    // Always in the same order (sorted keys), so two attempts never wait for each other's second lock.
    for (const key of buckets.map((b) => b.key).sort()) await lockFor(tx, "login", key);
    let wait = 0;
    for (const bucket of buckets) wait = Math.max(wait, await waitFor(tx, bucket, windowStart, minutes));
    if (wait > 0) return { wait, ids: [] };
    const rows = await tx.$queryRaw<{ id: string }[]>(
      sql`INSERT INTO login_attempts (key_hash, succeeded) SELECT unnest(${buckets.map((b) => b.key)}::text[]), false RETURNING id::text`,
    );
    return { wait, ids: rows.map((r) => r.id) };
  });
  if (wait === 0) return { ok: true, reservation: { ids } };
  recordLoginRefusal("throttled", { address });
  const waitMinutes = Math.ceil(wait / 60);
  return { ok: false, message: `Too many failed sign-in attempts. Try again in ${waitMinutes} minute${waitMinutes === 1 ? "" : "s"}.` };
}

/**
 * A refused or failed sign-in is counted, not written a row each (lib/audit/refusals.ts): a password
 * spray cannot grow the append-only audit log. The source is the account when one was found, else
 * the client's network; never the email typed.
 */
export function recordLoginRefusal(reason: "throttled" | "bad_credentials" | "account_disabled", who: { userId?: string | null; address: string | null }): void {
  recordRefusal({
    action: "auth.login",
    resourceType: "session",
    reason,
    outcome: reason === "throttled" ? "denied" : "failure",
    source: who.userId ? `account:${who.userId}` : `net:${truncateIp(who.address) ?? "unknown"}`,
  });
}

/** A reserved attempt succeeded: it stops counting as a failure (and restarts the account's count). */
export async function settleSuccess(reservation: Reservation): Promise<void> {
  await db().$executeRaw(sql`UPDATE login_attempts SET succeeded = true WHERE id = ANY(${reservation.ids}::bigint[])`);
}
