import "server-only";
import { writeAudit, type Actor } from "../audit/audit";
import { database, db } from "../db/client";
import { lockFor, transaction } from "../db/transaction";
import { SafeError } from "../errors";
import type { PolicyInput } from "./policy-schema";
import { cutoffOf, scopeCondition, type PolicyScope } from "./scope";

export function listPolicies() {
  return db().retentionPolicy.findMany({ orderBy: [{ classification: "asc" }, { eventType: { sort: "asc", nulls: "first" } }] });
}

const label = (p: { classification: string; eventType: string | null }) => `${p.classification}${p.eventType ? ` ${p.eventType.replace("_", " ")}` : ""} events`;

/** Creates or updates a policy; one policy per classification and event type (or all types). */
export async function savePolicy(input: PolicyInput, actor: Actor) {
  return transaction(async (tx) => {
    // NULL event types are distinct to the unique index, so "all types" is checked here, under a lock.
    await lockFor(tx, "retention_policies");
    const clash = await tx.retentionPolicy.findFirst({ where: { classification: input.classification, eventType: input.eventType, ...(input.id ? { NOT: { id: input.id } } : {}) } });
    if (clash) throw new SafeError(`There is already a policy for ${label(input)} ("${clash.name}"); edit that one.`, "conflict");
    const data = { name: input.name, classification: input.classification, eventType: input.eventType, keepDays: input.keepDays, action: input.action, enabled: input.enabled };
    const saved = input.id ? await tx.retentionPolicy.update({ where: { id: input.id }, data }).catch(() => null) : await tx.retentionPolicy.create({ data });
    if (!saved) throw new SafeError("That policy does not exist any more.", "not_found");
    await writeAudit(
      {
        actor,
        action: input.id ? "retention_policy.update" : "retention_policy.create",
        resourceType: "retention_policy",
        resourceId: saved.id,
        outcome: "success",
        metadata: { classification: saved.classification, eventType: saved.eventType, keepDays: saved.keepDays, action: saved.action, enabled: saved.enabled },
      },
      tx,
    );
    return saved;
  });
}

export async function deletePolicy(id: string, actor: Actor) {
  await transaction(async (tx) => {
    const gone = await tx.retentionPolicy.delete({ where: { id } }).catch(() => null);
    if (!gone) throw new SafeError("That policy does not exist any more.", "not_found");
    await writeAudit({ actor, action: "retention_policy.delete", resourceType: "retention_policy", resourceId: id, outcome: "success", metadata: { classification: gone.classification, eventType: gone.eventType } }, tx);
  });
}

export interface PolicyPreview {
  /** rows the policy would delete or anonymize if it ran now */
  expired: number;
  /** expired rows kept because their person has an open access request */
  held: number;
  cutoff: string;
}

/** What a policy (saved, or as being edited) would touch if retention ran now. */
export async function previewPolicy(input: { id?: string; classification: string; eventType: string | null; keepDays: number; action: string }, now = new Date()): Promise<PolicyPreview> {
  const enabled = await db().retentionPolicy.findMany({ where: { enabled: true }, select: { id: true, classification: true, eventType: true, keepDays: true } });
  const draft: PolicyScope = { id: input.id ?? "draft", classification: input.classification, eventType: input.eventType, keepDays: input.keepDays };
  const all = [...enabled.filter((p) => p.id !== draft.id), draft];
  const scope = scopeCondition(draft, all);
  const cutoff = cutoffOf(draft, now);
  const n = scope.params.length;
  const { rows } = await database().pool.query<{ expired: string; held: string }>(
    `WITH held AS (
       SELECT DISTINCT subject_pseudonym AS p FROM privacy_requests
        WHERE type = 'access' AND status IN ('received', 'verified', 'in_progress') AND subject_pseudonym IS NOT NULL)
     SELECT count(*) FILTER (WHERE subject_pseudonym IS NULL OR subject_pseudonym NOT IN (SELECT p FROM held)) AS expired,
            count(*) FILTER (WHERE subject_pseudonym IN (SELECT p FROM held)) AS held
       FROM system_logs WHERE ${scope.where} AND occurred_at < $${n + 1}${
         // Anonymization leaves rows that are already anonymous alone (lib/privacy/anonymize.ts).
         input.action === "anonymize" ? " AND (subject_pseudonym IS NOT NULL OR session_id IS NOT NULL OR gen_ai_conversation_id IS NOT NULL)" : ""
       }`,
    [...scope.params, cutoff],
  );
  return { expired: Number(rows[0]!.expired), held: Number(rows[0]!.held), cutoff: cutoff.toISOString() };
}
