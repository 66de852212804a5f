import { randomUUID } from "node:crypto";
import { createApiKey } from "@/lib/auth/api-keys";
import { recordConsent } from "@/lib/consent/consent";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/db/enums";
import { pseudonymFor } from "@/lib/privacy/pseudonym";
import { insertEvents } from "./training-fixtures";

// The notebook flow's world: two people (known to the app by external ids, so the consent API can
// reach them) who consent to AI training and used the product in June 2020, and a data scientist
// whose API key a notebook uses.
export const NOTEBOOK_RANGE = { startDate: "2020-06-01T00:00:00.000Z", endDate: "2020-06-08T00:00:00.000Z" };
export const NOTEBOOK_PEOPLE = ["notebook-ada", "notebook-bob"] as const;

export async function seedNotebookPopulation(): Promise<void> {
  for (const externalId of NOTEBOOK_PEOPLE) {
    const pseudonym = pseudonymFor(externalId);
    await db().subject.create({ data: { externalId, pseudonym } });
    await recordConsent(pseudonym, [{ purpose: "ai_training", granted: true }], { method: "explicit" });
    await insertEvents([
      { type: "user_action", at: "2020-06-02T10:00:00Z", subject: pseudonym, name: "search", session: `s-${externalId}` },
      { type: "user_action", at: "2020-06-03T10:00:00Z", subject: pseudonym, name: "export", session: `s-${externalId}-2` },
      { type: "ai_interaction", at: "2020-06-03T10:01:00Z", subject: pseudonym, session: `s-${externalId}-2`, model: "gpt-4o", tokens: [10, 5], latencyMs: 300 },
    ]);
  }
}

/** A user with `role` and an API key of theirs with `scopes`; returns the secret and the user's id. */
export async function userKey(role: Role, scopes: Parameters<typeof createApiKey>[0]["scopes"]): Promise<{ key: string; userId: string }> {
  const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: `Notebook ${role}`, role } });
  const { secret } = await createApiKey({ name: `notebook ${role}`, scopes }, { type: "user", id: user.id, role });
  return { key: secret, userId: user.id };
}
