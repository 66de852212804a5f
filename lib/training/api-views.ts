import "server-only";
import { db } from "../db/client";
import { SafeError } from "../errors";
import type { FeatureTypeName } from "./definitions";
import type { Exclusions } from "./extract";
import { trainingDataStatus } from "./registry";

// What the public API (/api/v1) answers about feature sets and models: plain JSON, ids and counts,
// never pseudonyms (those travel only in a set's manifest and files).

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

export type ApiFeatureSetStatus = "building" | "failed" | "ready" | "stale";

/** A set's status with its job's progress and its rebuilds (newest first). */
export async function featureSetStatus(id: string) {
  const set = await db().featureSet.findUnique({
    where: { id },
    include: {
      job: { select: { id: true, status: true, stage: true, processed: true, total: true, error: true } },
      rebuilds: { select: { id: true }, orderBy: { createdAt: "desc" } },
    },
  });
  if (!set) throw new SafeError("There is no feature set with this id.", "not_found", { field: "id" });
  const status: ApiFeatureSetStatus = set.completedAt ? (set.staleAt ? "stale" : "ready") : set.job?.status === "failed" ? "failed" : "building";
  return {
    id: set.id,
    featureType: set.featureType as FeatureTypeName,
    startDate: set.startDate.toISOString(),
    endDate: set.endDate.toISOString(),
    definitionVersion: set.definitionVersion,
    status,
    job: set.job
      ? { id: set.job.id, status: set.job.status, stage: set.job.stage, processed: set.job.processed, total: set.job.total, error: set.job.status === "failed" ? set.job.error : null }
      : null,
    rows: set.rowCount,
    subjects: set.subjectCount,
    exclusions: set.exclusions as Exclusions,
    digest: set.digest,
    createdAt: set.createdAt.toISOString(),
    completedAt: iso(set.completedAt),
    staleSince: iso(set.staleAt),
    rebuiltFrom: set.rebuiltFromId,
    rebuiltAs: set.rebuilds.map((r) => r.id),
  };
}
export type FeatureSetStatusBody = Awaited<ReturnType<typeof featureSetStatus>>;

/** The problem extensions of a stale set's 409: why, and the set rebuilt from it if any. */
export async function staleSetExtensions(id: string) {
  return { code: "stale", reason: "consent_withdrawn", rebuiltSet: await latestRebuild(id) };
}

/** The newest set rebuilt from `id`, if any. */
export async function latestRebuild(id: string): Promise<string | null> {
  const rebuilt = await db().featureSet.findFirst({ where: { rebuiltFromId: id }, orderBy: { createdAt: "desc" }, select: { id: true } });
  return rebuilt?.id ?? null;
}

/** Models with their versions (newest first) and aliases. */
export async function modelsWithVersions() {
  const models = await db().model.findMany({
    orderBy: { name: "asc" },
    include: { versions: { orderBy: { createdAt: "desc" }, include: { aliases: { select: { alias: true } } } } },
  });
  return models.map((m) => ({
    id: m.id,
    name: m.name,
    modelType: m.modelType,
    description: m.description,
    versions: m.versions.map((v) => ({
      id: v.id,
      version: v.version,
      isActive: v.isActive,
      aliases: v.aliases.map((a) => a.alias).sort(),
      metrics: v.metrics as Record<string, number>,
      artifactUri: v.artifactUri,
      createdAt: v.createdAt.toISOString(),
    })),
  }));
}

/** A model version by model name and semantic version. */
export async function findVersion(modelName: string, version: string) {
  const found = await db().modelVersion.findFirst({ where: { version, model: { name: modelName } }, select: { id: true, modelId: true } });
  if (!found) throw new SafeError(`There is no version ${version.slice(0, 40)} of model ${modelName.slice(0, 80)}.`, "not_found");
  return found;
}

/** A version's lineage (the sets it was trained on, each with its newest rebuild) and taint. */
export async function versionLineage(modelName: string, version: string) {
  const { id } = await findVersion(modelName, version);
  const v = await db().modelVersion.findUniqueOrThrow({
    where: { id },
    include: {
      model: { select: { id: true, name: true, modelType: true } },
      aliases: { select: { alias: true } },
      featureSets: { include: { featureSet: { include: { rebuilds: { select: { id: true }, orderBy: { createdAt: "desc" }, take: 1 } } } } },
    },
  });
  const status = (await trainingDataStatus([id])).get(id)!;
  return {
    model: v.model,
    version: { id: v.id, version: v.version, isActive: v.isActive, aliases: v.aliases.map((a) => a.alias).sort(), createdAt: v.createdAt.toISOString() },
    taint: { tainted: status.withdrawnSubjects > 0 || status.staleSets > 0, subjects: status.subjects, withdrawnSubjects: status.withdrawnSubjects, staleSets: status.staleSets },
    featureSets: v.featureSets
      .map((l) => l.featureSet)
      .map((s) => ({
        id: s.id,
        featureType: s.featureType as FeatureTypeName,
        startDate: s.startDate.toISOString(),
        endDate: s.endDate.toISOString(),
        rows: s.rowCount,
        digest: s.digest,
        stale: Boolean(s.staleAt),
        staleSince: iso(s.staleAt),
        rebuiltAs: s.rebuilds[0]?.id ?? null,
      })),
  };
}

/**
 * Versions behind an alias (production, staging, …) trained on a set that lost a person's data since
 * (consent withdrawn, restricted, erased), each stale set with its newest rebuild, if any.
 */
export async function retrainNeeded(aliases?: string[]) {
  const rows = await db().modelAlias.findMany({
    where: {
      ...(aliases ? { alias: { in: aliases } } : {}),
      modelVersion: { featureSets: { some: { featureSet: { staleAt: { not: null } } } } },
    },
    orderBy: [{ model: { name: "asc" } }, { alias: "asc" }],
    include: {
      model: { select: { id: true, name: true } },
      modelVersion: {
        select: {
          id: true,
          version: true,
          featureSets: { where: { featureSet: { staleAt: { not: null } } }, include: { featureSet: { include: { rebuilds: { select: { id: true, completedAt: true }, orderBy: { createdAt: "desc" }, take: 1 } } } } },
        },
      },
    },
  });
  const byVersion = new Map<string, (typeof rows)[number] & { aliasList: string[] }>();
  for (const r of rows) {
    const seen = byVersion.get(r.modelVersionId);
    if (seen) seen.aliasList.push(r.alias);
    else byVersion.set(r.modelVersionId, { ...r, aliasList: [r.alias] });
  }
  const status = await trainingDataStatus([...byVersion.keys()]);
  return [...byVersion.values()].map((r) => ({
    modelId: r.model.id,
    modelName: r.model.name,
    versionId: r.modelVersion.id,
    version: r.modelVersion.version,
    aliases: r.aliasList,
    withdrawnSubjects: status.get(r.modelVersion.id)?.withdrawnSubjects ?? 0,
    staleFeatureSets: r.modelVersion.featureSets.map((l) => ({
      id: l.featureSet.id,
      featureType: l.featureSet.featureType as FeatureTypeName,
      staleSince: iso(l.featureSet.staleAt),
      rebuiltSet: l.featureSet.rebuilds[0] ? { id: l.featureSet.rebuilds[0].id, ready: Boolean(l.featureSet.rebuilds[0].completedAt) } : null,
    })),
  }));
}
export type RetrainNeeded = Awaited<ReturnType<typeof retrainNeeded>>;
