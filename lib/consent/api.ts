import "server-only";
import { z } from "zod";
import { writeAudit } from "../audit/audit";
import { SafeError } from "../errors";
import { HttpError } from "../ingest/http";
import { truncateIp } from "../ingest/ip";
import { pseudonymFor } from "../privacy/pseudonym";
import { storable } from "../validation";
import { consentFor, recordConsent, type ConsentState } from "./consent";

// The consent API for applications (API key with the `consent` scope). The subject travels in the
// body, never in the URL, so application user ids stay out of access logs.
const subject = storable(z.string("subject is required").min(1, "subject must not be empty").max(256));

export const consentQuerySchema = z.object({ subject });
export const consentUpdateSchema = z.object({
  subject,
  purposes: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.boolean(), "purposes must map purpose keys to true or false"),
});

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new HttpError(400, `${issue.path.join(".") || "body"}: ${issue.message}`);
}

export function publicState(states: ConsentState[]) {
  return Object.fromEntries(states.map((s) => [s.purpose, { granted: s.granted, method: s.method, updatedAt: s.updatedAt?.toISOString() ?? null }]));
}

export async function readConsent(body: unknown) {
  const { subject: id } = parseBody(consentQuerySchema, body);
  return { purposes: publicState(await consentFor(pseudonymFor(id))) };
}

export async function updateConsent(body: unknown, ctx: { keyId: string; userAgent: string | null; ip: string | null }) {
  const input = parseBody(consentUpdateSchema, body);
  const pseudonym = pseudonymFor(input.subject);
  try {
    // The subject's link is written by recordConsent, in its transaction, once the changes are valid:
    // a refused update leaves no trace.
    const states = await recordConsent(pseudonym, Object.entries(input.purposes).map(([purpose, granted]) => ({ purpose, granted })), {
      subjectExternalId: input.subject,
      method: "api",
      userAgent: ctx.userAgent,
      ipPrefix: truncateIp(ctx.ip),
    });
    await writeAudit({ actor: { type: "api_key", id: ctx.keyId }, action: "consent.update", resourceType: "consent", outcome: "success", metadata: { purposes: Object.keys(input.purposes) } });
    return { purposes: publicState(states) };
  } catch (error) {
    if (error instanceof SafeError) throw new HttpError(400, error.message);
    throw error;
  }
}
