import "server-only";
import type { z } from "zod";
import { classifyEvent } from "../classify/engine";
import { activeRules } from "../classify/rule-cache";
import { activePrices } from "../pricing/price-cache";
import { costOf } from "../pricing/price-match";
import { database } from "../db/client";
import { env, secret } from "../env";
import { hashToken } from "../privacy/anonymize";
import { pseudonymFor } from "../privacy/pseudonym";
import type { BatchResponse, EventResult } from "../sdk/wire";
import { wireEventSchema } from "./event-schema";
import { applyConsent } from "./consent-policy";
import { truncateIp } from "./ip";
import { toStorable, withFingerprint, type StorableEvent } from "./normalize";
import { ensurePartitionsFor } from "./partition-cache";
import { rememberSubjects, unknownSubjects } from "./known-subjects";
import { trackSessions } from "./session-tracker";
import { inheritTraceSubjects, recordTraceSubjects } from "./trace-subjects";
import { toEventRow, type EventRow } from "./event-row";
import { insertEvents, upsertSubjects, type SessionRow } from "./store";

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

const FUTURE_TOLERANCE_MS = 5 * 60_000;

function firstIssue(error: z.ZodError, index: number): { field: string; reason: string } {
  const issue = error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  return { field: `events[${index}]${path}`, reason: issue.message };
}

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id.slice(0, 128) : null;
}

export async function ingestEvents(raw: readonly unknown[], ctx: IngestContext): Promise<BatchResponse> {
  const now = ctx.now ?? new Date();
  const oldest = now.getTime() - env().CLEARLOG_INGEST_MAX_AGE_DAYS * 86_400_000;
  const [rules, prices] = await Promise.all([activeRules(), activePrices()]);
  const hashKey = secret();
  const hash = hashToken(hashKey);

  const results: EventResult[] = new Array(raw.length);
  let toStore: { index: number; event: StorableEvent; pseudonym: string | null; classification: string; categories: string[]; trainingExcluded: boolean }[] = [];
  const seen = new Set<string>();

  raw.forEach((item, index) => {
    const parsed = wireEventSchema.safeParse(item);
    if (!parsed.success) {
      results[index] = { id: idOf(item), status: "rejected", ...firstIssue(parsed.error, index) };
      return;
    }
    const ts = parsed.data.timestamp.getTime();
    if (ts < oldest || ts > now.getTime() + FUTURE_TOLERANCE_MS) {
      const reason = ts < oldest ? `is more than ${env().CLEARLOG_INGEST_MAX_AGE_DAYS} days old` : "is in the future";
      results[index] = { id: parsed.data.id, status: "rejected", field: `events[${index}].timestamp`, reason };
      return;
    }
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
    const event = withFingerprint(outcome.event);
    // the price table gives the cost when the client sent none
    if (event.type === "ai_interaction" && event.genAi.costUsd === null) {
      event.genAi.costUsd = costOf(prices, event.genAi.model, event.genAi.inputTokens, event.genAi.outputTokens) ?? null;
    }
    toStore.push({ index, event, pseudonym: null, classification: outcome.classification, categories: outcome.categories, trainingExcluded: false });
  });

  const pseudonymCache = new Map<string, string>();
  const pseudonymOf = (subject: string) => {
    let p = pseudonymCache.get(subject);
    if (!p) pseudonymCache.set(subject, (p = pseudonymFor(subject, hashKey)));
    return p;
  };
  for (const c of toStore) c.pseudonym = c.event.subject ? pseudonymOf(c.event.subject) : null;
  await inheritTraceSubjects(toStore, now);
  const decided = await applyConsent(toStore);
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
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const newSubjects = unknownSubjects([...pseudonyms].map(([externalId, pseudonym]) => ({ externalId, pseudonym })));
      await upsertSubjects(client, newSubjects);
      const inserted = await insertEvents(client, rows);
      await recordTraceSubjects(client, toStore, now);
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
      await client.query("COMMIT");
      rememberSubjects(newSubjects.map((s) => s.pseudonym));
      trackSessions(pool, sessions.values());
      for (const { index, event } of toStore) {
        const stored = inserted.has(`${event.eventId}|${event.occurredAt.getTime()}`);
        results[index] = { id: event.eventId, status: stored ? "accepted" : "duplicate" };
      }
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  const count = (status: EventResult["status"]) => results.filter((r) => r.status === status).length;
  return { accepted: count("accepted"), duplicates: count("duplicate"), dropped: count("dropped"), rejected: count("rejected"), results };
}
