import "server-only";
import { randomUUID } from "node:crypto";
import type { Prisma, TrainingWithdrawal } from "../db/generated/client";

export interface TrainingImpact {
  /** feature sets that included the subject, now marked stale */
  featureSets: string[];
  /** model versions trained on those feature sets */
  modelVersions: string[];
  /** membership rows marked */
  memberships: number;
  /** extracted feature rows deleted */
  featureRows: number;
}

/**
 * Takes a subject out of training, inside the caller's transaction: their membership of every
 * feature set is marked (erasure also replaces the pseudonym with a random token, so the set still
 * counts them without naming them; one token per erasure, so a model version trained on several
 * sets still counts them once), those sets become stale, their extracted rows are deleted and
 * their feedback stops being eligible for training. Returns what was affected, by id.
 */
export async function withdrawFromTraining(tx: Prisma.TransactionClient, pseudonym: string, reason: TrainingWithdrawal): Promise<TrainingImpact> {
  const marked =
    reason === "erased"
      ? await tx.$queryRaw<{ id: string }[]>`
          UPDATE feature_set_subjects SET subject_pseudonym = ${`erased:${randomUUID()}`}, withdrawn_at = COALESCE(withdrawn_at, now()), withdrawal = 'erased'
          WHERE subject_pseudonym = ${pseudonym} RETURNING feature_set_id AS id`
      : await tx.$queryRaw<{ id: string }[]>`
          UPDATE feature_set_subjects SET withdrawn_at = now(), withdrawal = ${reason}::"TrainingWithdrawal"
          WHERE subject_pseudonym = ${pseudonym} AND withdrawn_at IS NULL RETURNING feature_set_id AS id`;
  // Rows written without a membership (older sets) still name the subject: their sets count too.
  const featureSets = (
    await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM unnest(${marked.map((m) => m.id)}::uuid[]) AS m(id)
      UNION SELECT feature_set_id FROM extracted_features WHERE subject_pseudonym = ${pseudonym}
      ORDER BY 1`
  ).map((r) => r.id);
  if (featureSets.length > 0) {
    await tx.$executeRaw`UPDATE feature_sets SET stale_at = COALESCE(stale_at, now()) WHERE id = ANY(${featureSets}::uuid[])`;
  }
  const featureRows = await tx.$executeRaw`DELETE FROM extracted_features WHERE subject_pseudonym = ${pseudonym}`;
  await tx.$executeRaw`UPDATE model_feedback SET training_eligible = false WHERE subject_pseudonym = ${pseudonym} AND training_eligible`;
  const modelVersions = (
    await tx.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT model_version_id AS id FROM model_version_feature_sets WHERE feature_set_id = ANY(${featureSets}::uuid[]) ORDER BY 1`
  ).map((r) => r.id);
  return { featureSets, modelVersions, memberships: marked.length, featureRows };
}
