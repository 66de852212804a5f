import "server-only";
import type { z } from "zod";
import { classifyEvent } from "../classify/engine";
import { activeRules } from "../classify/rule-cache";
import { activePrices } from "../pricing/price-cache";
import { costOf } from "../pricing/price-match";
import { database } from "../db/client";
import type { Classification } from "../db/enums";
import { transaction } from "../db/transaction";
import { env, secret } from "../env";
import { hashToken } from "../privacy/anonymize";
import { linkSubjects, pseudonymFor } from "../privacy/pseudonym";
import type { BatchResponse, EventResult } from "@clearlog/sdk";
import { wireEventSchema } from "./event-schema";
import { cleanEvent, type Sanitized } from "./sanitize";
import { applyConsent } from "./consent-policy";
import { truncateIp } from "./ip";
import { toStorable, withFingerprint, type StorableEvent } from "./normalize";
import { ensurePartitionsFor } from "./partition-cache";
import { rememberSubjects, unknownSubjects } from "./known-subjects";
import { trackSessions } from "./session-tracker";
import { inheritTraceSubjects, recordTraceSubjects } from "./trace-subjects";
import { toEventRow, type EventRow } from "./event-row";
import { insertEvents, type SessionRow } from "./store";
import { countIntakeRefusal } from "./intake-refusals";

// The ingestion pipeline, shared by the events API and the OTLP intake: validate each event, classify
// and redact it, replace the subject by its pseudonym, and store the batch in one transaction.
// Per-event results say accepted, duplicate (same id and timestamp already stored), dropped (a rule
// said so) or rejected (with the field and the reason). Nothing is half-written.
export interface IngestContext {
  apiKeyId: string | null;
  ip: string | null;
  userAgent: string | null;
  now?: Date;
}

/** How far ahead of the server's clock a timestamp may be; beyond, it is clamped to the receipt time and flagged. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** How far back a clamped event is looked for when it is sent again (its stored time was the first receipt time). */
const CLAMPED_RETRY_WINDOW_MS = 24 * 3_600_000;

function firstIssue(error: z.ZodError, index: number): { field: string; reason: string } {
  const issue = error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  return { field: `events[${index}]${path}`, reason: issue.message };
}

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id.slice(0, 128).toWellFormed() : null;
}

/** Says in the stored payload what the pipeline cleaned (lib/ingest/sanitize.ts), after classification. */
function markSanitized(event: StorableEvent, sanitized: Sanitized[]): StorableEvent {
  if (sanitized.length === 0) return event;
  return { ...event, payload: { ...event.payload, _clearlog: { sanitized } } };
}

/**
 * Clamped events sent again: their first copy was stored at its own receipt time, so the usual
 * (id, timestamp) key cannot find it; look for the same id and client time among recent rows.
 */
async function clampedRetries(clamped: { index: number; event: StorableEvent; sentAt?: string }[], now: Date): Promise<Map<number, EventResult>> {
  const out = new Map<number, EventResult>();
  if (clamped.length === 0) return out;
  const { rows } = await database().pool.query<{ event_id: string; sent_at: string }>(
    `SELECT event_id, payload #>> '{intake,client_timestamp}' AS sent_at FROM system_logs
      WHERE event_id = ANY($1::text[]) AND occurred_at >= $2 AND occurred_at <= $3 AND payload ? 'intake'`,
    [clamped.map((c) => c.event.eventId), new Date(now.getTime() - CLAMPED_RETRY_WINDOW_MS), now],
  );
  const stored = new Set(rows.map((r) => `${r.event_id}|${r.sent_at}`));
  for (const c of clamped) if (stored.has(`${c.event.eventId}|${c.sentAt}`)) out.set(c.index, { id: c.event.eventId, status: "duplicate" });
  return out;
}

export async function ingestEvents(raw: readonly unknown[], ctx: IngestContext): Promise<BatchResponse> {
  const now = ctx.now ?? new Date();
  const oldest = now.getTime() - env().CLEARLOG_INGEST_MAX_AGE_DAYS * 86_400_000;
  const [rules, prices] = await Promise.all([activeRules(), activePrices()]);
  const hashKey = secret();
  const hash = hashToken(hashKey);

  const results: EventResult[] = new Array(raw.length);
  let toStore: { index: number; event: StorableEvent; pseudonym: string | null; classification: Classification; categories: string[]; trainingExcluded: boolean; sentAt?: string }[] = [];
  const seen = new Set<string>();
  const refused = { too_old: 0, invalid: 0 };

  raw.forEach((item, index) => {
    const cleaned = cleanEvent(item, `events[${index}]`);
    if (!cleaned.ok) {
      results[index] = { id: idOf(item), status: "rejected", field: cleaned.path, reason: cleaned.reason };
      return;
    }
    const parsed = wireEventSchema.safeParse(cleaned.value);
    if (!parsed.success) {
      refused.invalid++;
      results[index] = { id: idOf(item), status: "rejected", ...firstIssue(parsed.error, index) };
      return;
    }
    const ts = parsed.data.timestamp.getTime();
    if (ts < oldest) {
      refused.too_old++;
      results[index] = { id: parsed.data.id, status: "rejected", field: `events[${index}].timestamp`, reason: `is more than ${env().CLEARLOG_INGEST_MAX_AGE_DAYS} days old (CLEARLOG_INGEST_MAX_AGE_DAYS)` };
      return;
    }
    // A clock running ahead must not lose the event: it is stored at the time it was received, and
    // the time the client sent is kept on it (payload.intake), visible and searchable.
    const sentAt = ts > now.getTime() + FUTURE_TOLERANCE_MS ? parsed.data.timestamp.toISOString() : undefined;
    if (sentAt) parsed.data.timestamp = now;
    const key = `${parsed.data.id}|${ts}`;
    if (seen.has(key)) {
      results[index] = { id: parsed.data.id, status: "duplicate" };
      return;
    }
    const outcome = classifyEvent(toStorable(parsed.data), rules, { hash });
    if (outcome.kind === "dropped") {
      results[index] = { id: parsed.data.id, status: "dropped", reason: `rule "${outcome.rule}"` };
      return;
    }
    seen.add(key);
    const event = withFingerprint(markSanitized(outcome.event, cleaned.sanitized));
    if (sentAt) event.payload = { ...event.payload, intake: { clamped: "clock_ahead", client_timestamp: sentAt } };
    // the price table gives the cost when the client sent none
    if (event.type === "ai_interaction" && event.genAi.costUsd === null) {
      event.genAi.costUsd = costOf(prices, event.genAi.model, event.genAi.inputTokens, event.genAi.outputTokens) ?? null;
    }
    toStore.push({ index, event, pseudonym: null, classification: outcome.classification, categories: outcome.categories, trainingExcluded: false, sentAt });
  });
  countIntakeRefusal(ctx.apiKeyId, "invalid", { records: refused.invalid });
  countIntakeRefusal(ctx.apiKeyId, "too_old", { records: refused.too_old });

  const pseudonymCache = new Map<string, string>();
  const pseudonymOf = (subject: string) => {
    let p = pseudonymCache.get(subject);
    if (!p) pseudonymCache.set(subject, (p = pseudonymFor(subject, hashKey)));
    return p;
  };
  for (const c of toStore) c.pseudonym = c.event.subject ? pseudonymOf(c.event.subject) : null;
  await inheritTraceSubjects(toStore, now);
  const decided = await applyConsent(toStore);
  countIntakeRefusal(ctx.apiKeyId, "invalid", { records: [...decided.values()].filter((r) => r.status === "rejected").length });
  for (const [index, result] of await clampedRetries(toStore.filter((c) => c.sentAt && !decided.has(c.index)), now)) decided.set(index, result);
  for (const [index, result] of decided) results[index] = result;
  toStore = toStore.filter((c) => !decided.has(c.index));

  if (toStore.length > 0) {
    const pseudonyms = new Map<string, string>();
    for (const { event } of toStore) if (event.subject) pseudonyms.set(event.subject, pseudonymOf(event.subject));
    const ipPrefix = truncateIp(ctx.ip);
    const rows: EventRow[] = toStore.map(({ event, pseudonym, classification, categories, trainingExcluded }) =>
      toEventRow(event, { classification, categories, trainingExcluded, subjectPseudonym: pseudonym, apiKeyId: ctx.apiKeyId }),
    );

    const { pool } = database();
    await ensurePartitionsFor(pool, toStore.map((s) => s.event.occurredAt));
    const { inserted, newSubjects } = await transaction(async (tx) => {
      const newSubjects = unknownSubjects([...pseudonyms].map(([externalId, pseudonym]) => ({ externalId, pseudonym })));
      await linkSubjects(tx, newSubjects);
      const inserted = await insertEvents(tx.pg, rows);
      await recordTraceSubjects(tx.pg, toStore, now);
      return { inserted, newSubjects };
    });
    rememberSubjects(newSubjects.map((s) => s.pseudonym));
    const sessions = new Map<string, SessionRow>();
    for (const { event, pseudonym } of toStore) {
      if (!event.sessionId || !inserted.has(`${event.eventId}|${event.occurredAt.getTime()}`)) continue;
      const at = event.occurredAt.toISOString();
      const s = sessions.get(event.sessionId);
      const ended = event.type === "system" && event.name === "session.end" ? at : null;
      if (!s) {
        sessions.set(event.sessionId, {
          session_key: event.sessionId,
          subject_pseudonym: pseudonym,
          first_seen_at: at,
          last_seen_at: at,
          ended_at: ended,
          event_count: 1,
          user_agent: event.userAgent ?? ctx.userAgent?.slice(0, 512) ?? null,
          ip_prefix: ipPrefix,
        });
      } else {
        s.event_count++;
        if (at < s.first_seen_at) s.first_seen_at = at;
        if (at > s.last_seen_at) s.last_seen_at = at;
        if (ended) s.ended_at = ended;
        s.subject_pseudonym ??= pseudonym;
      }
    }
    trackSessions(pool, sessions.values());
    for (const { index, event } of toStore) {
      const stored = inserted.has(`${event.eventId}|${event.occurredAt.getTime()}`);
      results[index] = { id: event.eventId, status: stored ? "accepted" : "duplicate" };
    }
  }

  const count = (status: EventResult["status"]) => results.filter((r) => r.status === status).length;
  return { accepted: count("accepted"), duplicates: count("duplicate"), dropped: count("dropped"), rejected: count("rejected"), results };
}
