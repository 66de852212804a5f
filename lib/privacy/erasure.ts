import "server-only";
import { writeAudit } from "../audit/audit";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { SafeError } from "../errors";
import type { JobRecord, Progress } from "../jobs/jobs";
import { forgetConsent } from "../consent/consent-cache";
import { forgetSubject } from "../ingest/known-subjects";
import { SUBJECT_COLUMNS, type SubjectColumn } from "./subject-data";

// Erasure (GDPR art. 17): one transaction deletes every row that belongs to the subject in every
// table that can hold it (lib/privacy/subject-data.ts), marks the feature sets that included them
// stale, and deletes the subject ↔ pseudonym link last. The receipt has counts per table and ids
// of what was affected downstream, never personal data. Running it again returns the same receipt.
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

function statement(c: SubjectColumn): string {
  const t = `"${c.table}"`;
  const col = `"${c.column}"`;
  switch (c.erase) {
    case "delete":
      return `DELETE FROM ${t} WHERE ${col} = $1`;
    case "unlink":
      return `UPDATE ${t} SET ${[c.column, ...(c.alsoClear ?? [])].map((x) => `"${x}" = NULL`).join(", ")} WHERE ${col} = $1`;
    case "remove_from_array":
      return `UPDATE ${t} SET ${col} = array_remove(${col}, $1), "stale_at" = COALESCE("stale_at", now()),
                "exclusions" = jsonb_set("exclusions", '{erased}', to_jsonb(COALESCE(("exclusions"->>'erased')::int, 0) + 1))
              WHERE $1 = ANY(${col}) OR "id" = ANY($2::uuid[])`;
  }
}

export async function eraseSubjectJob(job: JobRecord, progress: Progress): Promise<ErasureReceipt> {
  if (!job.privacyRequestId) throw new SafeError("This erasure job is not attached to a request.");
  // The transaction below holds this process's connection on the embedded server, so progress is
  // reported around it rather than inside.
  await progress(0, SUBJECT_COLUMNS.length, "erasing");
  const receipt = await eraseForRequest(job.privacyRequestId);
  await progress(SUBJECT_COLUMNS.length, SUBJECT_COLUMNS.length, "erased");
  return receipt;
}

export async function eraseForRequest(requestId: string): Promise<ErasureReceipt> {
  const { receipt, pseudonym } = await db().$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM privacy_requests WHERE id = ${requestId}::uuid FOR UPDATE`;
      const request = locked.length ? await tx.privacyRequest.findUnique({ where: { id: requestId } }) : null;
      if (!request || request.type !== "erasure") throw new SafeError("That erasure request does not exist.", "not_found");
      if (request.status === "completed" && request.receipt) return { receipt: request.receipt as unknown as ErasureReceipt, pseudonym: null };
      if (request.status !== "in_progress") throw new SafeError("Only an erasure request in progress can be carried out.", "conflict");
      const pseudonym = request.subjectPseudonym;

      // Consent changes for this person wait (lib/consent/consent.ts takes the same lock).
      if (pseudonym) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`consent:${pseudonym}`}))`;
      const tables: Record<string, number> = {};
      let featureSets: string[] = [];
      let modelVersions: string[] = [];
      if (pseudonym) {
        featureSets = (
          await tx.$queryRaw<{ id: string }[]>`
            SELECT id FROM feature_sets WHERE ${pseudonym} = ANY(included_pseudonyms)
            UNION SELECT DISTINCT feature_set_id FROM extracted_features WHERE subject_pseudonym = ${pseudonym}
            ORDER BY 1`
        ).map((r) => r.id);
        modelVersions = (
          await tx.$queryRaw<{ id: string }[]>`
            SELECT DISTINCT model_version_id AS id FROM model_version_feature_sets WHERE feature_set_id = ANY(${featureSets}::uuid[]) ORDER BY 1`
        ).map((r) => r.id);
        for (const c of SUBJECT_COLUMNS) {
          // Sets found through their rows are marked stale too, even when they do not list the subject.
          const params = c.erase === "remove_from_array" ? [pseudonym, featureSets] : [pseudonym];
          tables[c.table] = await tx.$executeRawUnsafe(statement(c), ...params);
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
      return { receipt, pseudonym };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  if (pseudonym) {
    forgetConsent(pseudonym);
    forgetSubject(pseudonym);
  }
  return receipt;
}
