import "server-only";
import { writeAudit } from "../audit/audit";
import { database } from "../db/client";
import { quoteIdentifier, raw, sql, type Sql } from "../db/sql";
import { lockFor, transaction } from "../db/transaction";
import type { Prisma } from "../db/generated/client";
import { SafeError } from "../errors";
import type { JobRecord, Progress } from "../jobs/jobs";
import { forgetConsent } from "../consent/consent-cache";
import { forgetSubject } from "../ingest/known-subjects";
import { noticeErasureCompleted, requestFacts } from "../notifications/notices";
import { withdrawFromTraining } from "../training/withdrawal";
import { refreshStatistics, staleStatistics, type HeldRows, type StaleStatistics } from "./statistics";
import { SUBJECT_COLUMNS, SUBJECT_REFERENCES, type SubjectColumn, type SubjectReference } from "./subject-data";

// Erasure (GDPR art. 17): one transaction deletes every row that belongs to the subject in every
// table that can hold it (lib/privacy/subject-data.ts) and the rows that point at theirs (feedback on
// their events by event id), marks the feature sets that included them stale, deletes the subject ↔
// pseudonym link last, and refreshes the planner statistics that sampled their values. The receipt
// has counts per table and ids of what was affected downstream, never personal data. Running it
// again returns the same receipt.
export interface ErasureReceipt {
  [key: string]: Prisma.InputJsonValue;
  requestId: string;
  erasedAt: string;
  /** rows deleted or unlinked, per table */
  tables: Record<string, number>;
  /** feature sets that included the subject, now marked stale */
  featureSets: string[];
  /** model versions trained on those feature sets */
  modelVersions: string[];
}

/** The erasure of one registered column (identifiers from the registry in code, the pseudonym bound). */
function statements(c: SubjectColumn, pseudonym: string): Sql[] {
  const t = raw(quoteIdentifier(c.table));
  const col = raw(quoteIdentifier(c.column));
  if (c.erase === "outbox") {
    return [
      sql`UPDATE ${t} SET ${col} = NULL, drop_payload_when_done = true WHERE ${col} = ${pseudonym} AND status = 'pending'`,
      sql`DELETE FROM ${t} WHERE ${col} = ${pseudonym}`,
    ];
  }
  return [
    c.erase === "delete"
      ? sql`DELETE FROM ${t} WHERE ${col} = ${pseudonym}`
      : sql`UPDATE ${t} SET ${raw([c.column, ...(c.alsoClear ?? [])].map((x) => `${quoteIdentifier(x)} = NULL`).join(", "))} WHERE ${col} = ${pseudonym}`,
  ];
}

/** The rows that point at the subject's rows (SUBJECT_REFERENCES), selected while those still exist. */
function referencing(r: SubjectReference, pseudonym: string): Sql {
  const owner = SUBJECT_COLUMNS.find((c) => c.table === r.references.table)!;
  return sql`${raw(quoteIdentifier(r.column))} IN (SELECT ${raw(quoteIdentifier(r.references.column))} FROM ${raw(quoteIdentifier(r.references.table))} WHERE ${raw(quoteIdentifier(owner.column))} = ${pseudonym})`;
}

/** Every table's rows of the subject that erasure deletes or rewrites, for the statistics check. */
function heldRows(pseudonym: string): HeldRows[] {
  return SUBJECT_COLUMNS.map((c) => {
    let where = sql`${raw(quoteIdentifier(c.column))} = ${pseudonym}`;
    for (const r of SUBJECT_REFERENCES.filter((x) => x.table === c.table)) where = sql`(${where} OR ${referencing(r, pseudonym)})`;
    return { table: c.table, where };
  });
}

export async function eraseSubjectJob(job: JobRecord, progress: Progress): Promise<ErasureReceipt> {
  if (!job.privacyRequestId) throw new SafeError("This erasure job is not attached to a request.");
  // Progress is written on its own connection as each table is done, so the page sees it while the
  // erasure's transaction is still open (the job row is not among the rows the erasure locks).
  await progress(0, SUBJECT_COLUMNS.length, "erasing");
  const receipt = await eraseForRequest(job.privacyRequestId, (done) => progress(done, SUBJECT_COLUMNS.length, "erasing"));
  await progress(SUBJECT_COLUMNS.length, SUBJECT_COLUMNS.length, "erased");
  return receipt;
}

/**
 * Erases, then refreshes the planner statistics that sampled the person (lib/privacy/statistics.ts).
 * `onTable` hears how many of SUBJECT_COLUMNS are done, inside the transaction, after each one.
 */
export async function eraseForRequest(requestId: string, onTable?: (done: number) => Promise<void>): Promise<ErasureReceipt> {
  const { receipt, staleStatistics } = await eraseSubject(requestId, onTable);
  await refreshStatistics(database().pool, staleStatistics);
  return receipt;
}

/** The erasure itself, committed: the request is complete. Returns the statistics that still sample the person. */
export async function eraseSubject(requestId: string, onTable?: (done: number) => Promise<void>): Promise<{ receipt: ErasureReceipt; staleStatistics: StaleStatistics[] }> {
  let stale: StaleStatistics[] = [];
  const { receipt, pseudonym } = await transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>(sql`SELECT id FROM privacy_requests WHERE id = ${requestId}::uuid FOR UPDATE`);
      const request = locked.length ? await tx.privacyRequest.findUnique({ where: { id: requestId } }) : null;
      if (!request || request.type !== "erasure") throw new SafeError("That erasure request does not exist.", "not_found");
      if (request.status === "completed" && request.receipt) return { receipt: request.receipt as unknown as ErasureReceipt, pseudonym: null };
      if (request.status !== "in_progress") throw new SafeError("Only an erasure request in progress can be carried out.", "conflict");
      const pseudonym = request.subjectPseudonym;
      // Read before the erasure removes them: the application's id and where to write to the requester.
      const facts = await requestFacts(tx, requestId);

      // Consent changes for this person wait (lib/consent/consent.ts takes the same lock).
      if (pseudonym) await lockFor(tx, "consent", pseudonym);
      const tables: Record<string, number> = {};
      let featureSets: string[] = [];
      let modelVersions: string[] = [];
      if (pseudonym) {
        // Read before the rows change: which planner statistics hold the person (lib/privacy/statistics.ts).
        stale = await staleStatistics(tx.pg, heldRows(pseudonym));
        // Rows that point at theirs go first, while their rows can still be found.
        for (const r of SUBJECT_REFERENCES) {
          const where = referencing(r, pseudonym);
          tables[r.table] = (tables[r.table] ?? 0) + (await tx.$executeRaw(sql`DELETE FROM ${raw(quoteIdentifier(r.table))} WHERE ${where}`));
        }
        for (const [index, c] of SUBJECT_COLUMNS.entries()) {
          if (c.erase === "training_membership") {
            const impact = await withdrawFromTraining(tx, pseudonym, "erased");
            ({ featureSets, modelVersions } = impact);
            tables[c.table] = impact.memberships;
            // Their feature rows went with it; the registry's own delete below finds none left.
            tables.extracted_features = impact.featureRows;
          } else {
            for (const statement of statements(c, pseudonym)) tables[c.table] = (tables[c.table] ?? 0) + (await tx.$executeRaw(statement));
          }
          await onTable?.(index + 1);
        }
      }

      const erasedAt = new Date();
      const receipt: ErasureReceipt = { requestId, erasedAt: erasedAt.toISOString(), tables, featureSets, modelVersions };
      const events = tables.system_logs ?? 0;
      await tx.privacyRequest.update({ where: { id: requestId }, data: { status: "completed", completedAt: erasedAt, receipt } });
      await tx.privacyRequestEvent.create({
        data: { requestId, fromStatus: "in_progress", toStatus: "completed", actorType: "system", note: `Your data was erased: ${events.toLocaleString("en")} events and everything linked to you.` },
      });
      await writeAudit(
        {
          actor: { type: "system" },
          action: "privacy_request.erasure_completed",
          resourceType: "privacy_request",
          resourceId: requestId,
          outcome: "success",
          metadata: { ...tables, featureSets: featureSets.length, modelVersions: modelVersions.length },
        },
        tx,
      );
      await noticeErasureCompleted(tx, facts, receipt);
      return { receipt, pseudonym };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  if (pseudonym) {
    forgetConsent(pseudonym);
    forgetSubject(pseudonym);
  }
  return { receipt, staleStatistics: stale };
}
