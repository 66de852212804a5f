import "server-only";
import { writeAudit, type AuditMetadata } from "../audit/audit";
import { db } from "../db/client";
import { env, secret } from "../env";
import { hmacHex } from "./tokens";

// Login throttling per account: after N failures within the window the account refuses attempts
// until the oldest failure leaves the window. Keyed by an HMAC of the email, never the email.
export function throttleKey(email: string): string {
  return hmacHex(secret(), `login:${email.trim().toLowerCase()}`);
}

export async function retryAfterSeconds(keyHash: string): Promise<number> {
  const { CLEARLOG_LOGIN_MAX_FAILURES: max, CLEARLOG_LOGIN_WINDOW_MINUTES: minutes } = env();
  const windowStart = new Date(Date.now() - minutes * 60_000);
  const lastSuccess = await db().loginAttempt.findFirst({
    where: { keyHash, succeeded: true, attemptedAt: { gte: windowStart } },
    orderBy: { attemptedAt: "desc" },
  });
  const failures = await db().loginAttempt.findMany({
    where: { keyHash, succeeded: false, attemptedAt: { gte: lastSuccess?.attemptedAt ?? windowStart } },
    orderBy: { attemptedAt: "desc" },
    take: max,
  });
  if (failures.length < max) return 0;
  const oldest = failures.at(-1)!;
  return Math.max(1, Math.ceil((oldest.attemptedAt.getTime() + minutes * 60_000 - Date.now()) / 1000));
}

export async function recordAttempt(keyHash: string, succeeded: boolean): Promise<void> {
  await db().loginAttempt.create({ data: { keyHash, succeeded } });
}

/** When the account is throttled: audits the refusal and returns the message for the person; else null. */
export async function throttledRefusal(keyHash: string, metadata: AuditMetadata = {}): Promise<string | null> {
  const wait = await retryAfterSeconds(keyHash);
  if (wait === 0) return null;
  await writeAudit({ actor: null, action: "auth.login", resourceType: "session", outcome: "denied", metadata: { reason: "throttled", ...metadata } });
  const minutes = Math.ceil(wait / 60);
  return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
