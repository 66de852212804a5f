"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { clientIp } from "../api/client-ip";
import { defineAction } from "../auth/define-action";
import { SafeError } from "../errors";
import { truncateIp } from "../ingest/ip";
import { applyGlobalPrivacyControl, recordConsent } from "./consent";
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
      ipPrefix: truncateIp(clientIp(h)),
      actor,
    });
    return states.find((s) => s.purpose === change.purpose)!.granted;
  },
);

/**
 * Global Privacy Control, applied once: the portal page only reads, and when the browser sends
 * `Sec-GPC: 1` and an opt-out is still to be recorded it calls this action, which checks the signal
 * on its own request and records the opt-out with its audit row in one transaction.
 */
export const applyGlobalPrivacyControlAction = defineAction(
  { name: "consent.gpc", permission: "portal.use", schema: z.object({}), resourceType: "consent" },
  async (_input, { user, actor }) => {
    const h = await headers();
    if (h.get("sec-gpc") !== "1") throw new SafeError("Your browser did not send a Global Privacy Control signal.", "invalid");
    if (!user.subjectPseudonym) return [];
    return applyGlobalPrivacyControl(user.subjectPseudonym, { userAgent: h.get("user-agent"), ipPrefix: truncateIp(clientIp(h)), actor });
  },
);

/** An admin changes a person's consent on their behalf, with a reason the person sees. */
export const adminConsentAction = defineAction(
  { name: "consent.admin_change", permission: "consent.manage", schema: adminConsentSchema, resourceType: "consent" },
  async (input, { user }) => (await changeConsentOnBehalf(input, { type: "user", id: user.id, role: user.role })).granted,
);
