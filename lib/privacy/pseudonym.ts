import "server-only";
import type { PrismaTx } from "../db/transaction";
import { sql } from "../db/sql";
import { secret } from "../env";
import { pseudonymize } from "./anonymize";

// An application's user id becomes a keyed pseudonym on every row; the link between the two lives
// only in `subjects`, so deleting that row makes whatever remains impossible to tie to the person.
export function pseudonymFor(externalId: string, key: string = secret()): string {
  return pseudonymize("subject", externalId, key);
}

export interface SubjectLink {
  externalId: string;
  pseudonym: string;
}

/**
 * The one writer of the subject link: records the id ↔ pseudonym pairs not stored yet, inside the
 * caller's transaction, so a change that is refused or rolled back leaves no link behind. Sorted, so
 * concurrent batches take their row locks in one order; `ON CONFLICT DO NOTHING` without a target, so
 * a concurrent writer of the same pair (the pseudonym and the external id are both unique) is no error.
 */
export async function linkSubjects(tx: PrismaTx, links: readonly SubjectLink[]): Promise<void> {
  if (links.length === 0) return;
  const sorted = [...links].sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : a.pseudonym > b.pseudonym ? 1 : 0));
  const rows = JSON.stringify(sorted.map((s) => ({ external_id: s.externalId, pseudonym: s.pseudonym })));
  await tx.$executeRaw(sql`
    INSERT INTO subjects (id, external_id, pseudonym)
    SELECT gen_random_uuid(), external_id, pseudonym FROM jsonb_to_recordset(${rows}::jsonb) AS r(external_id text, pseudonym text)
    ON CONFLICT DO NOTHING`);
}

/** Links one application user id, in `tx`; returns its pseudonym. */
export async function linkSubject(tx: PrismaTx, externalId: string): Promise<string> {
  const pseudonym = pseudonymFor(externalId);
  await linkSubjects(tx, [{ externalId, pseudonym }]);
  return pseudonym;
}
