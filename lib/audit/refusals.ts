import "server-only";
import { logger } from "../logger";
import { writeAuditRows, type AuditEntry } from "./audit";

// Refusals of unauthenticated traffic (unknown or revoked API keys, missing scopes, failed sign-ins,
// per-IP limits) are counted in memory and written as one audit row per source, reason and minute,
// with the count: a flood of bad requests cannot grow the append-only audit log by a row each.
// The source is an API key's public prefix or a network (/24, /48), never a secret or an email.
export interface Refusal {
  action: string;
  resourceType: string;
  reason: string;
  /** `key:clk_1a2b3c4d`, `net:203.0.113.0/24`, or `account:<user id>`. */
  source: string;
  resourceId?: string | null;
  /** `denied` (refused before any check: limits, keys, scopes; the default) or `failure` (a check that failed: a wrong password). */
  outcome?: "denied" | "failure";
}

const MAX_SOURCES_PER_MINUTE = 1_000;
const FLUSH_MS = 60_000;

interface Counter extends Refusal {
  minute: string;
  count: number;
}

const counters = new Map<string, Counter>();
let timer: NodeJS.Timeout | undefined;

function minuteOf(now: number): string {
  return new Date(now - (now % 60_000)).toISOString();
}

export function recordRefusal(refusal: Refusal, now = Date.now()): void {
  const minute = minuteOf(now);
  const outcome = refusal.outcome ?? "denied";
  let key = `${minute}|${refusal.action}|${outcome}|${refusal.reason}|${refusal.source}`;
  // Past the cap, a minute's further sources are counted together.
  if (!counters.has(key) && counters.size >= MAX_SOURCES_PER_MINUTE) {
    refusal = { ...refusal, source: "other", resourceId: null };
    key = `${minute}|${refusal.action}|${outcome}|${refusal.reason}|other`;
  }
  const counter = counters.get(key);
  if (counter) counter.count += 1;
  else counters.set(key, { ...refusal, outcome, minute, count: 1 });
  timer ??= setTimeout(() => {
    timer = undefined;
    void flushRefusals().catch((error: unknown) => logger().error({ component: "audit", err: error }, "refusal flush failed"));
  }, FLUSH_MS).unref();
}

/** Writes the counted refusals as audit rows (also called at shutdown and by tests). */
export async function flushRefusals(): Promise<number> {
  if (counters.size === 0) return 0;
  const batch = [...counters.values()];
  counters.clear();
  const entries: AuditEntry[] = batch.map((c) => ({
    actor: null,
    action: c.action,
    resourceType: c.resourceType,
    resourceId: c.resourceId ?? null,
    outcome: c.outcome ?? "denied",
    metadata: { reason: c.reason, source: c.source, minute: c.minute, count: c.count },
  }));
  await writeAuditRows(entries);
  return entries.length;
}
