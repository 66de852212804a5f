// Builds wire events from the arguments of the log calls. Arguments are coerced where the meaning
// is clear (numbers given as strings, objects where text is expected); an event that cannot be built
// throws a ClearlogError("invalid_argument"), which the logger reports and skips. Fields left
// undefined are fine: events are sent as JSON.stringify makes them, which leaves such fields out.
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
  if (value === undefined) throw new ClearlogError("invalid_argument", `${what} is required; event skipped`);
  return value;
}

/** details → attributes: a JSON-safe object (non-objects are wrapped as { value }), or undefined when empty. */
export function attributes(details: unknown): Record<string, unknown> | undefined {
  if (details === undefined || details === null) return undefined;
  const safe = toJsonSafe(details);
  const obj = safe !== null && typeof safe === "object" && !Array.isArray(safe) ? (safe as Record<string, unknown>) : { value: safe };
  return Object.keys(obj).length > 0 ? obj : undefined;
}

function base(ctx: EventContext, type: EventType, severity: Severity, component?: string, details?: unknown): WireEvent {
  const { id, timestamp, subject, sessionId } = ctx;
  return { id, type, timestamp, severity, subject, sessionId, component: component ?? ctx.component, attributes: attributes(details) };
}

export function userActionEvent(ctx: EventContext, action: unknown, component: unknown, details: unknown): WireEvent {
  return { ...base(ctx, "user_action", "info", str(component), details), action: required(str(action), "action") };
}

function messages(v: unknown): AiFields["messages"] {
  if (!Array.isArray(v)) return undefined;
  return (v as unknown[])
    .filter((m): m is { role?: unknown; content?: unknown } => m !== null && typeof m === "object")
    .map((m) => ({ role: str(m.role) ?? "unknown", content: text(m.content) ?? "" }));
}

export function aiEvent(ctx: EventContext, operation: unknown, input: unknown): WireEvent {
  const given: Partial<AiInteraction> =
    typeof input === "string" ? { model: input } : input !== null && typeof input === "object" ? (input as AiInteraction) : {};
  const { model, provider, prompt, response, messages: list, tokens, inputTokens, outputTokens, latencyMs, costUsd, conversationId, ...rest } = given;
  // `tokens` is the total: alone it goes as `tokens`; with one half of the split it gives the other half.
  let input_ = count(inputTokens);
  let output = count(outputTokens);
  const total = count(tokens);
  if (total !== undefined && input_ === undefined && output !== undefined && total >= output) input_ = total - output;
  if (total !== undefined && output === undefined && input_ !== undefined && total >= input_) output = total - input_;
  const ai: AiFields = {
    model: required(str(model), "model"),
    operation: str(operation) ?? "chat",
    provider: str(provider),
    prompt: text(prompt),
    response: text(response),
    messages: messages(list),
    inputTokens: input_,
    outputTokens: output,
    tokens: input_ === undefined && output === undefined ? total : undefined,
    latencyMs: nonNegative(latencyMs),
    costUsd: nonNegative(costUsd),
    conversationId: str(conversationId),
  };
  return { ...base(ctx, "ai_interaction", "info", undefined, rest), ai };
}

/** name/message/stack from whatever was thrown. */
export function describeThrown(error: unknown): ErrorFields & { cause?: unknown } {
  if (error === undefined || error === null) return { message: `Unknown error (${String(error)} was thrown)` };
  if (typeof error === "string") return { message: error || "Unknown error (empty string)" };
  if (typeof error === "object") {
    // Error instances, also from other realms (iframes, vm contexts), and error-like objects.
    let message: unknown, name: unknown, stack: unknown, cause: unknown;
    try {
      ({ message, name, stack, cause } = error as { name?: unknown; message?: unknown; stack?: unknown; cause?: unknown });
    } catch {
      return { message: "Unknown error (unreadable object)" };
    }
    if (typeof message === "string" || error instanceof Error) {
      return {
        message: str(message) ?? str(name) ?? "Error",
        name: str(name),
        stack: typeof stack === "string" && stack ? stack : undefined,
        cause: cause === undefined ? undefined : toJsonSafe(cause),
      };
    }
    return { message: safeStringify(error) };
  }
  return { message: String(error) };
}

export function errorEvent(ctx: EventContext, error: unknown, component: unknown, details: unknown): WireEvent {
  const { cause, ...fields } = describeThrown(error);
  const attrs = attributes(details) ?? {};
  if (cause !== undefined) attrs["error.cause"] = cause;
  return { ...base(ctx, "error", "error", str(component), attrs), error: fields, message: fields.message };
}

export function apiRequestEvent(ctx: EventContext, request: unknown, details: unknown): WireEvent {
  const r = (request !== null && typeof request === "object" ? request : {}) as Partial<Record<keyof ApiRequestInfo, unknown>>;
  const status = count(r.status);
  if (status === undefined || status < 100 || status > 599) {
    throw new ClearlogError("invalid_argument", "status must be an HTTP status (100–599); event skipped");
  }
  const http: HttpFields = {
    method: required(str(r.method), "method").toUpperCase(),
    route: required(str(r.route), "route"),
    status,
    durationMs: nonNegative(r.durationMs),
    requestSize: count(r.requestSize),
    responseSize: count(r.responseSize),
    requestBody: text(r.requestBody),
    responseBody: text(r.responseBody),
  };
  return { ...base(ctx, "api_request", status >= 500 ? "error" : status >= 400 ? "warn" : "info", undefined, details), http };
}

export function systemEvent(ctx: EventContext, name: unknown, details: unknown, severity: unknown): WireEvent {
  const sev = SEVERITIES.includes(severity as Severity) ? (severity as Severity) : "info";
  return { ...base(ctx, "system", sev, undefined, details), name: required(str(name), "name") };
}
