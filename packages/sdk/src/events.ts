// Builds wire events from the arguments of the log calls. Arguments are coerced where the meaning
// is clear (numbers given as strings, objects where text is expected); an event that cannot be built
// throws a ClearlogError("invalid_argument"), which the logger reports and skips.
import { ClearlogError } from "./errors";
import { safeStringify, toJsonSafe } from "./json-safe";
import type { AiInteraction, ApiRequestInfo } from "./types";
import type { AiFields, ErrorFields, EventType, HttpFields, Severity, WireEvent } from "./wire";

export interface EventContext {
  id: string;
  /** ISO 8601 */
  timestamp: string;
  subject?: string;
  sessionId?: string;
  component?: string;
}

export const SEVERITIES: readonly Severity[] = ["debug", "info", "warn", "error", "fatal"];

/** A non-empty string from a string, number, boolean or bigint; otherwise undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === "string") return v.length > 0 ? v : undefined;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return undefined;
}

/** Text from anything: strings as they are, other values as JSON. */
function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" ? v : safeStringify(v);
}

/** A finite, non-negative number (numeric strings accepted). */
function nonNegative(v: unknown): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function count(v: unknown): number | undefined {
  const n = nonNegative(v);
  return n === undefined ? undefined : Math.round(n);
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new ClearlogError("invalid_argument", `${what} is required (a non-empty string); the event was skipped`);
  return value;
}

/** details → attributes: a JSON-safe object (non-objects are wrapped as { value }), or undefined when empty. */
export function attributes(details: unknown): Record<string, unknown> | undefined {
  if (details === undefined || details === null) return undefined;
  const safe = toJsonSafe(details);
  const obj = safe !== null && typeof safe === "object" && !Array.isArray(safe) ? (safe as Record<string, unknown>) : { value: safe };
  return Object.keys(obj).length > 0 ? obj : undefined;
}

function base(ctx: EventContext, type: EventType, severity: Severity, component?: string): WireEvent {
  const event: WireEvent = { id: ctx.id, type, timestamp: ctx.timestamp, severity };
  if (ctx.subject !== undefined) event.subject = ctx.subject;
  if (ctx.sessionId !== undefined) event.sessionId = ctx.sessionId;
  const comp = component ?? ctx.component;
  if (comp !== undefined) event.component = comp;
  return event;
}

function withAttributes(event: WireEvent, attrs: Record<string, unknown> | undefined): WireEvent {
  if (attrs) event.attributes = attrs;
  return event;
}

export function userActionEvent(ctx: EventContext, action: unknown, component: unknown, details: unknown): WireEvent {
  const event = base(ctx, "user_action", "info", str(component));
  event.action = required(str(action), "action");
  return withAttributes(event, attributes(details));
}

const AI_KEYS = new Set([
  "model", "provider", "prompt", "response", "messages", "tokens", "inputTokens", "outputTokens",
  "latencyMs", "costUsd", "conversationId",
]);

function messages(v: unknown): AiFields["messages"] {
  if (!Array.isArray(v)) return undefined;
  const out: { role: string; content: string }[] = [];
  for (const m of v as unknown[]) {
    if (m === null || typeof m !== "object") continue;
    const { role, content } = m as { role?: unknown; content?: unknown };
    out.push({ role: str(role) ?? "unknown", content: text(content) ?? "" });
  }
  return out;
}

export function aiEvent(ctx: EventContext, operation: unknown, input: unknown): WireEvent {
  const given: Partial<AiInteraction> =
    typeof input === "string" ? { model: input } : input !== null && typeof input === "object" ? (input as AiInteraction) : {};
  const ai: AiFields = { model: required(str(given.model), "model"), operation: str(operation) ?? "chat" };
  const set = <K extends keyof AiFields>(key: K, value: AiFields[K] | undefined) => {
    if (value !== undefined) ai[key] = value;
  };
  set("provider", str(given.provider));
  set("prompt", text(given.prompt));
  set("response", text(given.response));
  set("messages", messages(given.messages));
  const input_ = count(given.inputTokens);
  const output = count(given.outputTokens);
  set("inputTokens", input_);
  set("outputTokens", output);
  // A single total goes through as `tokens` (the server splits or keeps it) when no split was given.
  if (input_ === undefined && output === undefined) set("tokens", count(given.tokens));
  set("latencyMs", nonNegative(given.latencyMs));
  set("costUsd", nonNegative(given.costUsd));
  set("conversationId", str(given.conversationId));

  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(given)) if (!AI_KEYS.has(key)) rest[key] = (given as Record<string, unknown>)[key];
  const event = base(ctx, "ai_interaction", "info");
  event.ai = ai;
  return withAttributes(event, attributes(rest));
}

/** name/message/stack from whatever was thrown. */
export function describeThrown(error: unknown): ErrorFields & { cause?: unknown } {
  if (error === undefined || error === null) return { message: `Unknown error (${String(error)} was thrown)` };
  if (typeof error === "string") return { message: error.length > 0 ? error : "Unknown error (empty string)" };
  if (typeof error === "object") {
    // Error instances, also from other realms (iframes, vm contexts), and error-like objects.
    const e = error as { name?: unknown; message?: unknown; stack?: unknown; cause?: unknown };
    let message: unknown, name: unknown, stack: unknown, cause: unknown;
    try {
      ({ message, name, stack, cause } = e);
    } catch {
      return { message: "Unknown error (unreadable object)" };
    }
    if (typeof message === "string" || error instanceof Error) {
      const out: ErrorFields & { cause?: unknown } = { message: str(message) ?? str(name) ?? "Error" };
      if (str(name)) out.name = str(name);
      if (typeof stack === "string" && stack) out.stack = stack;
      if (cause !== undefined) out.cause = toJsonSafe(cause);
      return out;
    }
    return { message: safeStringify(error) };
  }
  return { message: String(error) };
}

export function errorEvent(ctx: EventContext, error: unknown, component: unknown, details: unknown): WireEvent {
  const { cause, ...fields } = describeThrown(error);
  const event = base(ctx, "error", "error", str(component));
  event.error = fields;
  event.message = fields.message;
  const attrs = attributes(details) ?? {};
  if (cause !== undefined) attrs["error.cause"] = cause;
  return withAttributes(event, Object.keys(attrs).length > 0 ? attrs : undefined);
}

export function apiRequestEvent(ctx: EventContext, request: unknown, details: unknown): WireEvent {
  const r = (request !== null && typeof request === "object" ? request : {}) as Partial<Record<keyof ApiRequestInfo, unknown>>;
  const status = count(r.status);
  if (status === undefined || status < 100 || status > 599) {
    throw new ClearlogError("invalid_argument", "status must be an HTTP status code (100–599); the event was skipped");
  }
  const http: HttpFields = {
    method: required(str(r.method), "method").toUpperCase(),
    route: required(str(r.route), "route"),
    status,
  };
  const durationMs = nonNegative(r.durationMs);
  if (durationMs !== undefined) http.durationMs = durationMs;
  const requestSize = count(r.requestSize);
  if (requestSize !== undefined) http.requestSize = requestSize;
  const responseSize = count(r.responseSize);
  if (responseSize !== undefined) http.responseSize = responseSize;
  const requestBody = text(r.requestBody);
  if (requestBody !== undefined) http.requestBody = requestBody;
  const responseBody = text(r.responseBody);
  if (responseBody !== undefined) http.responseBody = responseBody;
  const event = base(ctx, "api_request", status >= 500 ? "error" : status >= 400 ? "warn" : "info");
  event.http = http;
  return withAttributes(event, attributes(details));
}

export function systemEvent(ctx: EventContext, name: unknown, details: unknown, severity: unknown): WireEvent {
  const sev = SEVERITIES.includes(severity as Severity) ? (severity as Severity) : "info";
  const event = base(ctx, "system", sev);
  event.name = required(str(name), "name");
  return withAttributes(event, attributes(details));
}
