import "server-only";
import { z } from "zod";
import { issuePath, SafeError } from "../errors";
import { pseudonymFor } from "../privacy/pseudonym";
import { consentFor, recordConsent, type ConsentState } from "./consent";

// The consent API for applications (API key with the `consent` scope). The subject travels in the
// body, never in the URL, so application user ids stay out of access logs.
const subject = z.string("subject is required").min(1, "subject must not be empty").max(256);

export const consentQuerySchema = z.object({ subject });
export const consentUpdateSchema = z.object({
  subject,
  purposes: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.boolean(), "purposes must map purpose keys to true or false"),
});

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issuePath(issue.path);
  throw new SafeError(`${field || "body"}: ${issue.message}`, "invalid", { field: field || undefined });
}

export function publicState(states: ConsentState[]) {
  return Object.fromEntries(states.map((s) => [s.purpose, { granted: s.granted, method: s.method, updatedAt: s.updatedAt?.toISOString() ?? null }]));
}

export async function readConsent(body: unknown) {
  const { subject: id } = parseBody(consentQuerySchema, body);
  return { purposes: publicState(await consentFor(pseudonymFor(id))) };
}

export async function updateConsent(body: unknown, ctx: { keyId: string; userAgent: string | null; network: string | null }) {
  const input = parseBody(consentUpdateSchema, body);
  // The subject's link is written with the change, in its transaction: a refused change writes nothing.
  const states = await recordConsent({ externalId: input.subject }, Object.entries(input.purposes).map(([purpose, granted]) => ({ purpose, granted })), {
    method: "api",
    userAgent: ctx.userAgent,
    ipPrefix: ctx.network,
    actor: { type: "api_key", id: ctx.keyId },
  });
  return { purposes: publicState(states) };
}
