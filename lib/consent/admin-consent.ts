import "server-only";
import { z } from "zod";
import type { Actor } from "../audit/audit";
import { SafeError } from "../errors";
import { pseudonymFor } from "../privacy/pseudonym";
import { consentFor, recordConsent } from "./consent";

// An admin changes a person's consent on their behalf (the person asked by phone, by letter, at the
// desk): with a reason the person sees in their history ("changed by the organisation"), audited.
export const adminConsentSchema = z.object({
  subject: z.string("Give the application user id").trim().min(1, "Give the application user id").max(256, "The application user id is at most 256 characters"),
  purpose: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "Choose a purpose"),
  granted: z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean("Choose grant or withdraw")),
  reason: z.string().trim().min(5, "Say why the organisation makes this change (the person will see it)").max(500, "Keep the reason under 500 characters"),
});

export async function changeConsentOnBehalf(input: z.infer<typeof adminConsentSchema>, actor: Actor & { type: "user" }) {
  const pseudonym = pseudonymFor(input.subject);
  const before = await consentFor(pseudonym);
  const state = before.find((s) => s.purpose === input.purpose);
  if (!state) throw new SafeError(`Unknown purpose "${input.purpose}".`, "invalid", { field: "purpose" });
  if (state.granted === input.granted && state.method !== "default") {
    throw new SafeError(`${state.name} is already ${input.granted ? "granted" : "withdrawn"} for this person; nothing was changed.`, "conflict", { field: "granted" });
  }
  // The link to the application's id is written with the change, in its transaction.
  const after = await recordConsent({ externalId: input.subject }, [{ purpose: input.purpose, granted: input.granted }], {
    method: "admin",
    reason: input.reason,
    actor,
    auditAction: "consent.admin_change",
  });
  return after.find((s) => s.purpose === input.purpose)!;
}
