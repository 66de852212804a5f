import "server-only";
import { writeAudit, type Actor } from "../audit/audit";
import { database, db } from "../db/client";
import { transaction } from "../db/transaction";
import { parseInput, SafeError } from "../errors";
import { createJob, dispatchJob, type JobRecord, type Progress } from "../jobs/jobs";
import { FEATURE_DEFINITIONS, type ExclusionReason, type FeatureTypeName } from "./definitions";
import { DIGEST_SQL, FEATURE_SQL, RECHECK_SQL, selectSubjectsSql } from "./extract-sql";
import { extractionSchema, type ExtractionInput, type ExtractionRange } from "./extract-schema";

// Feature extraction: a feature set row is written first (the manifest's header), then four SQL
// stages fill it: choose the subjects (consent as of now), compute the rows, drop anyone who stopped
// qualifying meanwhile (recomputing if so), and seal it with a digest. A set is complete once
// completed_at is set; a failed attempt is started over from nothing.

export type Exclusions = Partial<Record<ExclusionReason, number>>;

export interface ExtractionResult {
  [key: string]: string | number | Exclusions;
  featureSetId: string;
  rows: number;
  subjects: number;
  exclusions: Exclusions;
  digest: string;
}

const STAGES = ["selecting consenting subjects", "computing features", "re-checking consent", "sealing the manifest"] as const;
type StageReporter = (done: number, stage: string) => Promise<void>;

/** The manifest header the digest starts with: format, definition and range. */
function digestHeader(set: { featureType: FeatureTypeName; definitionVersion: number; startDate: Date; endDate: Date }): string {
  return `clearlog.feature-set/1 ${set.featureType} v${set.definitionVersion} ${set.startDate.toISOString()} ${set.endDate.toISOString()}`;
}

function addCounts(into: Exclusions, rows: { reason: string; n: number }[]): void {
  for (const { reason, n } of rows) if (reason !== "included" && n > 0) into[reason as ExclusionReason] = (into[reason as ExclusionReason] ?? 0) + n;
}

async function runExtraction(featureSetId: string, report: StageReporter = async () => {}): Promise<ExtractionResult> {
  const set = await db().featureSet.findUnique({ where: { id: featureSetId } });
  if (!set) throw new SafeError("That feature set no longer exists.", "not_found");
  const type = set.featureType as FeatureTypeName;
  if (set.completedAt) {
    return { featureSetId, rows: set.rowCount, subjects: set.subjectCount, exclusions: set.exclusions as Exclusions, digest: set.digest ?? "" };
  }
  const { pool } = database();
  const params = [set.id, set.startDate, set.endDate];
  // An earlier attempt may have stopped halfway: start over.
  await pool.query("DELETE FROM extracted_features WHERE feature_set_id = $1", [set.id]);
  await pool.query("DELETE FROM feature_set_subjects WHERE feature_set_id = $1", [set.id]);

  await report(0, STAGES[0]);
  const exclusions: Exclusions = {};
  addCounts(exclusions, (await pool.query<{ reason: string; n: number }>(selectSubjectsSql(type), params)).rows);
  // The planner has never seen this set's id: without fresh statistics it expects one member and
  // picks nested loops over the events (24 s instead of ~1 s at 1M events; docs/training.md).
  await pool.query("ANALYZE feature_set_subjects");

  // Someone who withdraws while the rows are computed leaves the set, and the rows are computed
  // again without them (error patterns aggregate over people, so deleting rows would not do).
  for (let pass = 0; ; pass++) {
    await report(1, STAGES[1]);
    await pool.query(FEATURE_SQL[type], params);
    await report(2, STAGES[2]);
    const removed = (await pool.query<{ reason: string; n: number }>(RECHECK_SQL, [set.id])).rows;
    if (removed.length === 0) break;
    addCounts(exclusions, removed);
    await pool.query("DELETE FROM extracted_features WHERE feature_set_id = $1", [set.id]);
    if (pass === 2) throw new Error("consent kept changing during the extraction");
  }

  await report(3, STAGES[3]);
  const sealed = (await pool.query<{ digest: string; rows: number; subjects: number }>(DIGEST_SQL, [set.id, digestHeader({ ...set, featureType: type })])).rows[0]!;
  // Stale only if someone withdrew after the re-check (their membership row says so).
  await pool.query(
    `UPDATE feature_sets SET digest = $2, row_count = $3, subject_count = $4, exclusions = $5, completed_at = now(),
       stale_at = CASE WHEN EXISTS (SELECT 1 FROM feature_set_subjects WHERE feature_set_id = $1 AND withdrawn_at IS NOT NULL) THEN stale_at END
     WHERE id = $1`,
    [set.id, sealed.digest, sealed.rows, sealed.subjects, JSON.stringify(exclusions)],
  );
  await report(4, "done");
  return { featureSetId, rows: sealed.rows, subjects: sealed.subjects, exclusions, digest: sealed.digest };
}

function newSet(range: ExtractionRange, links: { createdById: string | null; jobId?: string; rebuiltFromId?: string }) {
  return {
    featureType: range.featureType,
    startDate: range.startDate,
    endDate: range.endDate,
    definitionVersion: FEATURE_DEFINITIONS[range.featureType].version,
    createdById: links.createdById,
    jobId: links.jobId ?? null,
    rebuiltFromId: links.rebuiltFromId ?? null,
  };
}

const userId = (actor: Actor) => (actor.type === "user" ? actor.id : null);

/**
 * The documented API: extracts a feature set now and returns its id and the ids of its rows.
 * Pages use `startExtraction`, which does the same work as a job with progress.
 */
export async function extractFeatures(
  featureType: FeatureTypeName,
  range: { startDate: Date | string; endDate: Date | string },
  options: { actor?: Actor } = {},
): Promise<{ featureSetId: string; featureIds: string[] }> {
  const input = parseInput(extractionSchema, { featureType, ...range });
  const actor = options.actor ?? { type: "system" };
  const set = await transaction(async (tx) => {
    const created = await tx.featureSet.create({ data: newSet(input, { createdById: userId(actor) }) });
    await writeAudit({ actor, action: "feature_set.extract", resourceType: "feature_set", resourceId: created.id, outcome: "success", metadata: { featureType } }, tx);
    return created;
  });
  try {
    await runExtraction(set.id);
  } catch (error) {
    await db().featureSet.delete({ where: { id: set.id } }).catch(() => {});
    throw error;
  }
  const rows = await db().extractedFeature.findMany({ where: { featureSetId: set.id }, select: { id: true }, orderBy: { entityKey: "asc" } });
  return { featureSetId: set.id, featureIds: rows.map((r) => r.id) };
}

/** Starts an extraction as a job; the set appears complete once the job has sealed it. */
export async function startExtraction(input: ExtractionInput, actor: Actor, rebuiltFromId?: string): Promise<{ jobId: string; featureSetId: string }> {
  const range = parseInput(extractionSchema, input);
  const { job, set } = await transaction(async (tx) => {
    const job = await createJob(tx, "feature_extraction", { requestedById: userId(actor) });
    const set = await tx.featureSet.create({ data: newSet(range, { createdById: userId(actor), jobId: job.id, rebuiltFromId }) });
    await writeAudit(
      {
        actor,
        action: rebuiltFromId ? "feature_set.rebuild" : "feature_set.extract",
        resourceType: "feature_set",
        resourceId: set.id,
        outcome: "success",
        metadata: { featureType: range.featureType, ...(rebuiltFromId ? { rebuiltFrom: rebuiltFromId } : {}) },
      },
      tx,
    );
    return { job, set };
  });
  await dispatchJob(job);
  return { jobId: job.id, featureSetId: set.id };
}

/**
 * One click: the same definition and range, extracted again with consent as it is now. A set whose
 * extraction failed is extracted again the same way (the new set is not linked to it).
 */
export async function rebuildFeatureSet(id: string, actor: Actor) {
  const set = await db().featureSet.findUnique({ where: { id }, include: { job: { select: { status: true } } } });
  if (!set) throw new SafeError("That feature set does not exist.", "not_found");
  const failed = !set.completedAt && set.job?.status === "failed";
  if (!set.completedAt && !failed) throw new SafeError("This feature set is still being extracted.", "conflict");
  return startExtraction({ featureType: set.featureType, startDate: set.startDate, endDate: set.endDate }, actor, failed ? undefined : set.id);
}

/**
 * Deletes a set no model version was trained on (its rows and membership go with it): data kept for
 * training that nothing uses is data to let go. Sets with models stay as their lineage.
 */
export async function deleteFeatureSet(id: string, actor: Actor): Promise<void> {
  await transaction(async (tx) => {
    const set = await tx.featureSet.findUnique({ where: { id }, include: { _count: { select: { modelVersions: true } }, job: { select: { status: true } } } });
    if (!set) throw new SafeError("That feature set does not exist.", "not_found");
    if (set._count.modelVersions > 0) throw new SafeError("Model versions were trained on this set: it stays as their lineage.", "conflict");
    if (!set.completedAt && set.job?.status !== "failed") throw new SafeError("This feature set is still being extracted.", "conflict");
    await tx.featureSet.delete({ where: { id } });
    await writeAudit({ actor, action: "feature_set.delete", resourceType: "feature_set", resourceId: id, outcome: "success", metadata: { featureType: set.featureType, rows: set.rowCount } }, tx);
  });
}

export async function featureExtractionJob(job: JobRecord, progress: Progress): Promise<ExtractionResult> {
  const set = await db().featureSet.findUnique({ where: { jobId: job.id } });
  if (!set) throw new SafeError("The feature set of this job was deleted.");
  return runExtraction(set.id, (done, stage) => progress(done, STAGES.length, stage));
}
