import type { EventType, Severity } from "@clearlog/sdk";
import type { ValidEvent } from "./event-schema";
import { canonicalProvider } from "./ai-providers";
import { errorFingerprint } from "./fingerprint";

// A validated event in the shape it is stored in: typed columns plus a payload of free text and
// attributes. Classification (lib/classify/engine.ts) then rewrites its text before it is stored.
export interface StorableEvent {
  eventId: string;
  occurredAt: Date;
  type: EventType;
  severity: Severity;
  name: string;
  message: string | null;
  component: string | null;
  /** the application's user id: replaced by a pseudonym before storage, never stored here */
  subject: string | null;
  sessionId: string | null;
  purpose: string | null;
  userAgent: string | null;
  genAi: {
    provider: string | null;
    model: string | null;
    operation: string | null;
    conversationId: string | null;
    inputTokens: number | null;
    outputTokens: number | null;
    latencyMs: number | null;
    costUsd: number | null;
  };
  http: {
    method: string | null;
    route: string | null;
    status: number | null;
    durationMs: number | null;
    requestSize: number | null;
    responseSize: number | null;
  };
  errorType: string | null;
  errorFingerprint: string | null;
  payload: Record<string, unknown>;
}

const DEFAULT_PURPOSE: Record<EventType, string> = {
  user_action: "analytics",
  ai_interaction: "essential",
  api_request: "essential",
  error: "error_reporting",
  system: "essential",
};

function defaultSeverity(e: ValidEvent): Severity {
  if (e.type === "error") return "error";
  if (e.type === "api_request" && e.http) return e.http.status >= 500 ? "error" : e.http.status >= 400 ? "warn" : "info";
  return "info";
}

function eventName(e: ValidEvent): string {
  switch (e.type) {
    case "ai_interaction":
      return e.name ?? e.action ?? e.ai?.operation ?? "chat";
    case "api_request":
      return e.name ?? `${e.http!.method} ${e.http!.route}`;
    case "error":
      return e.name ?? e.error?.name ?? "Error";
    default:
      return (e.name ?? e.action)!;
  }
}

function compact(o: Record<string, unknown>): Record<string, unknown> | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** Marker left where an attribute repeated the subject's own id (the id is stored only as a pseudonym). */
export const SUBJECT_MARKER = "[SUBJECT]";

/** Replaces every string equal to the subject's id, at any depth, by SUBJECT_MARKER. */
function withoutSubject(value: unknown, subject: string): unknown {
  if (value === subject) return SUBJECT_MARKER;
  if (Array.isArray(value)) return value.map((v) => withoutSubject(v, subject));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSubject(v, subject)]));
  }
  return value;
}

export function toStorable(e: ValidEvent): StorableEvent {
  const ai = e.ai;
  // A single `tokens` total (as the documented SDK call sends) counts as output when no split is given.
  const inputTokens = ai?.inputTokens ?? null;
  const outputTokens = ai?.outputTokens ?? (ai?.tokens !== undefined && ai.inputTokens === undefined ? ai.tokens : null);
  const errorType = e.error ? (e.error.name ?? "Error") : null;
  const payload = compact({
    // an instrumentation may repeat the user id under its own key: it is the subject, never an attribute
    attributes: e.subject && e.attributes ? (withoutSubject(e.attributes, e.subject) as Record<string, unknown>) : e.attributes,
    gen_ai: ai && compact({ prompt: ai.prompt, response: ai.response, messages: ai.messages, total_tokens: ai.tokens }),
    http: e.http && compact({ request_body: e.http.requestBody, response_body: e.http.responseBody }),
    error: e.error?.stack ? { stack: e.error.stack } : undefined,
  });
  return {
    eventId: e.id,
    occurredAt: e.timestamp,
    type: e.type,
    severity: e.severity ?? defaultSeverity(e),
    name: eventName(e),
    message: e.error?.message ?? e.message ?? null,
    component: e.component ?? null,
    subject: e.subject ?? null,
    sessionId: e.sessionId ?? null,
    purpose: e.purpose ?? DEFAULT_PURPOSE[e.type],
    userAgent: e.userAgent ?? null,
    genAi: {
      provider: canonicalProvider(ai?.provider) ?? null,
      model: ai?.model ?? null,
      operation: ai ? (ai.operation ?? "chat") : null,
      conversationId: ai?.conversationId ?? null,
      inputTokens,
      outputTokens,
      latencyMs: ai?.latencyMs ?? null,
      costUsd: ai?.costUsd ?? null,
    },
    http: {
      method: e.http?.method ?? null,
      route: e.http?.route ?? null,
      status: e.http?.status ?? null,
      durationMs: e.http?.durationMs ?? null,
      requestSize: e.http?.requestSize ?? null,
      responseSize: e.http?.responseSize ?? null,
    },
    errorType,
    // computed after classification, from the redacted text (withFingerprint)
    errorFingerprint: null,
    payload: payload ?? {},
  };
}

/** Adds the error fingerprint, from the already classified message and stack. */
export function withFingerprint(event: StorableEvent): StorableEvent {
  if (!event.errorType) return event;
  const error = event.payload.error as { stack?: unknown } | undefined;
  const stack = typeof error?.stack === "string" ? error.stack : undefined;
  return { ...event, errorFingerprint: errorFingerprint({ type: event.errorType, message: event.message ?? "", stack, component: event.component }) };
}
