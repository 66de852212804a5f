import "server-only";
import { db } from "../db/client";
import type { EventType, Severity } from "../db/generated/enums";
import type { StorableEvent } from "../ingest/normalize";
import { compileRule, type CompiledRule } from "./compiled-rule";
import { DETECTORS } from "./detectors";
import { classifyEvent } from "./engine";
import { checkRegex } from "./rule-regex";
import type { DraftRule } from "./rule-schema";
import { collectSlots } from "./slots";

// "What would this rule catch?": a rule (saved or as being edited) run alone over the latest stored
// events. Stored events are already classified, so values earlier rules replaced show as markers and
// are not matched again; for a detector rule the preview also counts the events that already carry
// the detector's category. Samples show the stored text with the match replaced by its marker —
// never a matched value. Nothing is written.

export const PREVIEW_EVENTS = 200;
export const PREVIEW_DAYS = 7;
export const PREVIEW_SAMPLES = 5;
const EXCERPT_CHARS = 160;

export interface PreviewSample {
  eventId: string;
  occurredAt: string;
  type: EventType;
  path: string;
  /** the stored text around the match, the match replaced by its marker */
  excerpt: string;
}

export type PreviewResult =
  | { kind: "invalid"; error: string }
  | {
      kind: "ok";
      scanned: number;
      matched: number;
      days: number;
      paths: { path: string; count: number }[];
      samples: PreviewSample[];
      /** for a detector rule: scanned events already carrying the detector's category */
      alreadyClassified: { category: string; count: number } | null;
    };

export interface StoredEventRow {
  eventId: string;
  occurredAt: Date;
  type: EventType;
  severity: Severity;
  name: string;
  message: string | null;
  component: string | null;
  sessionId: string | null;
  purpose: string | null;
  categories: string[];
  genAiProviderName: string | null;
  genAiRequestModel: string | null;
  genAiOperationName: string | null;
  genAiConversationId: string | null;
  httpRoute: string | null;
  errorType: string | null;
  payload: unknown;
}

/** Enough of a StorableEvent for the slots rules match on (lib/classify/slots.ts). */
export function fromStored(row: StoredEventRow): StorableEvent {
  const payload = row.payload !== null && typeof row.payload === "object" && !Array.isArray(row.payload) ? (row.payload as Record<string, unknown>) : {};
  return {
    eventId: row.eventId,
    occurredAt: row.occurredAt,
    type: row.type,
    severity: row.severity,
    name: row.name,
    message: row.message,
    component: row.component,
    subject: null,
    sessionId: row.sessionId,
    purpose: row.purpose,
    userAgent: null,
    genAi: { provider: row.genAiProviderName, model: row.genAiRequestModel, operation: row.genAiOperationName, conversationId: row.genAiConversationId, inputTokens: null, outputTokens: null, latencyMs: null, costUsd: null },
    http: { method: null, route: row.httpRoute, status: null, durationMs: null, requestSize: null, responseSize: null },
    errorType: row.errorType,
    errorFingerprint: null,
    payload,
  };
}

function excerpt(before: string, after: string): string {
  let at = 0;
  while (at < before.length && at < after.length && before[at] === after[at]) at++;
  const start = Math.max(0, at - 40);
  const text = after.slice(start, start + EXCERPT_CHARS);
  return `${start > 0 ? "…" : ""}${text}${start + EXCERPT_CHARS < after.length ? "…" : ""}`;
}

const textOf = (value: unknown) => (typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value));

/** Runs one rule over stored events. Pure. */
export function previewAgainst(rule: CompiledRule, rows: readonly StoredEventRow[], days = PREVIEW_DAYS): PreviewResult {
  // Shown, never applied: whatever the rule's action, the match is marked so its place can be seen.
  const marking: CompiledRule = { ...rule, action: "redact" };
  const paths = new Map<string, number>();
  const samples: PreviewSample[] = [];
  let matched = 0;
  for (const row of rows) {
    const event = fromStored(row);
    const outcome = classifyEvent(event, [marking], { hash: () => "" });
    if (outcome.kind !== "stored" || outcome.hits.length === 0) continue;
    matched++;
    const before = new Map(collectSlots(event).map((s) => [s.path, textOf(s.get())]));
    const after = new Map(collectSlots(outcome.event).map((s) => [s.path, textOf(s.get())]));
    for (const hit of outcome.hits) {
      paths.set(hit.path, (paths.get(hit.path) ?? 0) + 1);
      if (samples.length >= PREVIEW_SAMPLES || samples.some((s) => s.eventId === row.eventId)) continue;
      const marked = after.get(hit.path) ?? "[REMOVED]";
      samples.push({ eventId: row.eventId, occurredAt: row.occurredAt.toISOString(), type: row.type, path: hit.path, excerpt: excerpt(before.get(hit.path) ?? "", marked) });
    }
  }
  const detector = rule.detector && rule.detector in DETECTORS ? DETECTORS[rule.detector as keyof typeof DETECTORS] : null;
  const category = detector?.category ?? (rule.detector === "secret" || rule.detector === "sensitive_field" ? "system.credentials" : null);
  return {
    kind: "ok",
    scanned: rows.length,
    matched,
    days,
    paths: [...paths].map(([path, count]) => ({ path, count })).sort((a, b) => b.count - a.count || a.path.localeCompare(b.path)),
    samples,
    alreadyClassified: category ? { category, count: rows.filter((r) => r.categories.includes(category)).length } : null,
  };
}

/** The latest stored events of the last days, of the rule's event type if it has one. */
export function latestStoredEvents(eventType: EventType | null, now: Date, limit = PREVIEW_EVENTS, days = PREVIEW_DAYS): Promise<StoredEventRow[]> {
  return db().systemLog.findMany({
    where: { occurredAt: { gte: new Date(now.getTime() - days * 86_400_000), lte: now }, ...(eventType ? { type: eventType } : {}) },
    orderBy: { occurredAt: "desc" },
    take: limit,
    select: {
      eventId: true, occurredAt: true, type: true, severity: true, name: true, message: true, component: true, sessionId: true, purpose: true, categories: true,
      genAiProviderName: true, genAiRequestModel: true, genAiOperationName: true, genAiConversationId: true, httpRoute: true, errorType: true, payload: true,
    },
  });
}

/** Previews a rule as being edited (or saved: one written into the database by hand may not compile); its regex runs on RE2, as at ingest. */
export async function previewRule(draft: DraftRule, now = new Date()): Promise<PreviewResult> {
  const check = draft.matchRegex ? checkRegex(draft.matchRegex) : { ok: true as const };
  if (!check.ok) return { kind: "invalid", error: `The regex ${check.message}` };
  const rule = compileRule({ ...draft, id: draft.id ?? "draft", priority: 0 });
  return previewAgainst(rule, await latestStoredEvents(draft.matchEventType, now));
}

/** Previews a saved rule. */
export async function previewSavedRule(id: string, now = new Date()): Promise<PreviewResult | null> {
  const row = await db().classificationRule.findUnique({ where: { id } });
  if (!row) return null;
  return previewRule({ ...row, matchDetector: row.matchDetector as DraftRule["matchDetector"] }, now);
}
