import { z } from "zod";
import { EVENT_TYPES, SEVERITIES, type EventType, type Severity } from "../db/enums";
import { findAll, ID_SECRET_DETECTORS } from "../classify/detectors";
import type { EventType as WireEventType, Severity as WireSeverity, WireEvent } from "@clearlog/sdk";

// Validation of one incoming event (packages/sdk/src/wire.ts is the contract). Messages name the problem;
// the caller prefixes the field path (`events[3].timestamp`).
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const nonEmpty = (max: number) => text(max).min(1, "must not be empty");
const count = z.number().int("must be a whole number").min(0, "must not be negative").max(2_147_483_647, "is too large");

export { EVENT_TYPES, SEVERITIES };

const aiSchema = z.object({
  provider: nonEmpty(100).optional(),
  model: nonEmpty(200),
  operation: nonEmpty(100).optional(),
  prompt: z.string().optional(),
  response: z.string().optional(),
  messages: z.array(z.object({ role: nonEmpty(50), content: z.string() }), "must be a list of { role, content }").max(500).optional(),
  inputTokens: count.optional(),
  outputTokens: count.optional(),
  tokens: count.optional(),
  latencyMs: count.optional(),
  costUsd: z.number().min(0, "must not be negative").max(1e8).optional(),
  conversationId: nonEmpty(200).optional(),
});

const httpSchema = z.object({
  method: z.string().regex(/^[A-Za-z]{1,16}$/, "must be an HTTP method such as GET").transform((m) => m.toUpperCase()),
  route: nonEmpty(500),
  status: z.number().int("must be a whole number").min(100, "must be an HTTP status (100-599)").max(599, "must be an HTTP status (100-599)"),
  durationMs: count.optional(),
  requestSize: count.optional(),
  responseSize: count.optional(),
  requestBody: z.string().optional(),
  responseBody: z.string().optional(),
});

const errorSchema = z.object({
  name: nonEmpty(200).optional(),
  message: text(20_000),
  stack: text(100_000).optional(),
});

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i;

/** Parses a date-time only if every part of it exists: no 31 November, no hour 24, a time zone given. */
function parseIso(value: string): Date | null {
  const m = ISO.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second = 0, offH = 0, offM = 0] = m.slice(1).map((p) => (p === undefined ? undefined : Number(p))) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour! > 23 || minute! > 59 || second > 59 || offH > 14 || offM > 59) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const timestamp = z.union([z.string(), z.number()], "must be an ISO 8601 string or milliseconds since the epoch").transform((value, ctx) => {
  const date = typeof value === "number" ? new Date(value) : parseIso(value);
  if (!date || Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: "custom", message: "must be a valid ISO 8601 date-time with a time zone (e.g. 2026-11-27T10:00:00Z) or epoch milliseconds" });
    return z.NEVER;
  }
  return date;
});

/** Ids and purpose keys are stored as they are, so they must not carry a credential. */
const noSecret = (s: string) => findAll(s, ID_SECRET_DETECTORS).length === 0;
const NO_SECRET = "must not contain a credential (it looks like an API key or token); use a random id";

export const wireEventSchema = z
  .object({
    id: z.string("is required").regex(/^[A-Za-z0-9._:-]{1,128}$/, "must be 1-128 characters of letters, digits, '.', '_', ':' or '-'").refine(noSecret, NO_SECRET),
    type: z.enum(EVENT_TYPES, `must be one of ${EVENT_TYPES.join(", ")}`),
    timestamp,
    subject: nonEmpty(256).optional(),
    sessionId: nonEmpty(128).optional(),
    component: nonEmpty(128).optional(),
    name: nonEmpty(256).optional(),
    action: nonEmpty(256).optional(),
    severity: z.enum(SEVERITIES, `must be one of ${SEVERITIES.join(", ")}`).optional(),
    message: text(20_000).optional(),
    purpose: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "must be a purpose key such as analytics").refine(noSecret, NO_SECRET).optional(),
    userAgent: text(512).optional(),
    attributes: z.record(z.string(), z.unknown(), "must be an object").optional(),
    ai: aiSchema.optional(),
    http: httpSchema.optional(),
    error: errorSchema.optional(),
  })
  .superRefine((e, ctx) => {
    const need = (field: "ai" | "http" | "error", why: string) => {
      if (!e[field]) ctx.addIssue({ code: "custom", path: [field], message: `is required for ${why}` });
    };
    if (e.type === "ai_interaction") need("ai", "ai_interaction events");
    if (e.type === "api_request") need("http", "api_request events");
    if (e.type === "error") need("error", "error events");
    if ((e.type === "user_action" || e.type === "system") && !e.name && !e.action) {
      ctx.addIssue({ code: "custom", path: ["name"], message: `is required for ${e.type} events (or send action)` });
    }
  });

export type ValidEvent = z.output<typeof wireEventSchema>;

// The wire contract and the schema must not drift apart.
type AssertAssignable<T extends U, U> = T;
export type WireMatchesSchema = AssertAssignable<WireEvent, z.input<typeof wireEventSchema>>;
// The SDK declares the enums itself (it imports no server code); they must be the schema's enums.
export type WireEnumsMatchSchema = [AssertAssignable<EventType, WireEventType>, AssertAssignable<Severity, WireSeverity>];
