import "server-only";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { secret } from "../env";
import { pseudonymize } from "./anonymize";

// An application's user id becomes a keyed pseudonym on every row; the link between the two lives
// only in `subjects`, so deleting that row makes whatever remains impossible to tie to the person.
export function pseudonymFor(externalId: string, key: string = secret()): string {
  return pseudonymize("subject", externalId, key);
}

/** The pseudonym for an application user id, recording the link the first time it is seen. */
export async function ensureSubject(externalId: string, client: Pick<Prisma.TransactionClient, "subject"> = db()): Promise<string> {
  const pseudonym = pseudonymFor(externalId);
  await client.subject.upsert({ where: { pseudonym }, create: { externalId, pseudonym }, update: {} });
  return pseudonym;
}
