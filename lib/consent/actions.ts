"use server";

import { headers } from "next/headers";
import { defineAction } from "../auth/define-action";
import { SafeError } from "../errors";
import { truncateIp } from "../ingest/ip";
import { recordConsent } from "./consent";
import { adminConsentSchema, changeConsentOnBehalf } from "./admin-consent";
import { consentChangeSchema } from "./consent-schema";

/** An end user grants or withdraws one purpose for themselves; the history row is the proof. */
export const updateConsentAction = defineAction(
  { name: "consent.update", permission: "portal.use", schema: consentChangeSchema, resourceType: "consent" },
  async (change, { user, actor }) => {
    if (!user.subjectPseudonym) throw new SafeError("Your account is not linked to any data yet, so there is no consent to change.", "invalid");
    const h = await headers();
    const states = await recordConsent(user.subjectPseudonym, [change], {
      method: "explicit",
      userAgent: h.get("user-agent"),
      ipPrefix: truncateIp(h.get("x-forwarded-for")),
      audit: { actor, action: "consent.update" },
    });
    return states.find((s) => s.purpose === change.purpose)!.granted;
  },
);

/** An admin changes a person's consent on their behalf, with a reason the person sees. */
export const adminConsentAction = defineAction(
  { name: "consent.admin_change", permission: "consent.manage", schema: adminConsentSchema, resourceType: "consent" },
  async (input, { user }) => (await changeConsentOnBehalf(input, { type: "user", id: user.id, role: user.role })).granted,
);
