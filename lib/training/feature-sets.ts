import "server-only";
import { actorNames, nameOf } from "../auth/actor-names";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { EXCLUSION_REASONS, FEATURE_DEFINITIONS, type ExclusionReason, type FeatureTypeName } from "./definitions";
import type { Exclusions } from "./extract";

// Feature sets as the pages and the downloads see them: status, manifest, lineage.

export type FeatureSetStatus = "building" | "failed" | "ready" | "stale";

type SetWithJob = Prisma.FeatureSetGetPayload<{ include: { job: { select: { status: true; error: true } } } }>;

function statusOf(set: SetWithJob): FeatureSetStatus {
  if (set.completedAt) return set.staleAt ? "stale" : "ready";
  return set.job?.status === "failed" ? "failed" : "building";
}

/** Subjects of each set who withdrew, were restricted or erased since the extraction. */
async function withdrawnCounts(ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db().featureSetSubject.groupBy({ by: ["featureSetId"], where: { featureSetId: { in: ids }, withdrawnAt: { not: null } }, _count: true });
  return new Map(rows.map((r) => [r.featureSetId, r._count]));
}

export interface FeatureSetSummary {
  id: string;
  featureType: FeatureTypeName;
  startDate: Date;
  endDate: Date;
  status: FeatureSetStatus;
  rowCount: number;
  subjectCount: number;
  excluded: number;
  withdrawnSubjects: number;
  jobId: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export async function listFeatureSets(take = 50): Promise<FeatureSetSummary[]> {
  const sets = await db().featureSet.findMany({ orderBy: { createdAt: "desc" }, take, include: { job: { select: { status: true, error: true } } } });
  const [names, withdrawn] = await Promise.all([actorNames(sets.map((s) => s.createdById)), withdrawnCounts(sets.map((s) => s.id))]);
  return sets.map((s) => ({
    id: s.id,
    featureType: s.featureType as FeatureTypeName,
    startDate: s.startDate,
    endDate: s.endDate,
    status: statusOf(s),
    rowCount: s.rowCount,
    subjectCount: s.subjectCount,
    excluded: Object.values(s.exclusions as Exclusions).reduce((a, b) => a + (b ?? 0), 0),
    withdrawnSubjects: withdrawn.get(s.id) ?? 0,
    jobId: s.jobId,
    createdBy: nameOf(names, s.createdById),
    createdAt: s.createdAt,
  }));
}

/** The manifest that travels with every download of a set (format clearlog.feature-set-manifest/1). */
export interface Manifest {
  format: "clearlog.feature-set-manifest/1";
  featureSetId: string;
  featureType: FeatureTypeName;
  definitionVersion: number;
  range: { start: string; end: string };
  extractedAt: string | null;
  rows: number;
  columns: { name: string; type: string; description: string }[];
  subjects: {
    included: number;
    /**
     * the pseudonyms of the subjects included, in byte order; erased ones appear as `erased:<random>`
     * tokens. Left out of the copy embedded in Parquet files (see `featureSetManifest`).
     */
    pseudonyms?: string[];
    excluded: Partial<Record<ExclusionReason, number>>;
    excludedReasons: Partial<Record<ExclusionReason, string>>;
  };
  digest: { algorithm: "sha256"; value: string | null };
  status: { stale: boolean; staleSince: string | null; withdrawnSubjects: number };
  rebuiltFrom: string | null;
}

/**
 * The set's manifest. `withPseudonyms: false` leaves out the member list (a million people are about
 * 70 MB of JSON): the copy embedded in a Parquet file is held in memory while the file is written, and
 * its rows' `entity_key` already name the members; `manifest.json` keeps the full list.
 */
export async function featureSetManifest(id: string, { withPseudonyms = true } = {}): Promise<Manifest | null> {
  const set = await db().featureSet.findUnique({ where: { id } });
  if (!set) return null;
  const members = withPseudonyms
    ? await db().$queryRaw<{ p: string; withdrawn: boolean }[]>`
        SELECT subject_pseudonym AS p, withdrawn_at IS NOT NULL AS withdrawn FROM feature_set_subjects WHERE feature_set_id = ${id}::uuid ORDER BY subject_pseudonym COLLATE "C"`
    : null;
  const withdrawnSubjects = members
    ? members.filter((m) => m.withdrawn).length
    : (await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM feature_set_subjects WHERE feature_set_id = ${id}::uuid AND withdrawn_at IS NOT NULL`)[0]!.n;
  const type = set.featureType as FeatureTypeName;
  const excluded = set.exclusions as Exclusions;
  return {
    format: "clearlog.feature-set-manifest/1",
    featureSetId: set.id,
    featureType: type,
    definitionVersion: set.definitionVersion,
    range: { start: set.startDate.toISOString(), end: set.endDate.toISOString() },
    extractedAt: set.completedAt?.toISOString() ?? null,
    rows: set.rowCount,
    columns: [
      { name: "entity_key", type: "string", description: FEATURE_DEFINITIONS[type].entity === "subject" ? "subject pseudonym" : "error fingerprint" },
      ...FEATURE_DEFINITIONS[type].columns,
    ],
    subjects: {
      included: set.subjectCount,
      ...(members ? { pseudonyms: members.map((m) => m.p) } : {}),
      excluded,
      excludedReasons: Object.fromEntries(Object.keys(excluded).map((k) => [k, EXCLUSION_REASONS[k as ExclusionReason]])),
    },
    digest: { algorithm: "sha256", value: set.digest },
    status: { stale: Boolean(set.staleAt), staleSince: set.staleAt?.toISOString() ?? null, withdrawnSubjects },
    rebuiltFrom: set.rebuiltFromId,
  };
}

export async function featureSetDetail(id: string) {
  const set = await db().featureSet.findUnique({
    where: { id },
    include: {
      job: { select: { id: true, status: true, error: true, stage: true, processed: true, total: true, kind: true } },
      rebuiltFrom: { select: { id: true, createdAt: true } },
      rebuilds: { select: { id: true, createdAt: true, completedAt: true }, orderBy: { createdAt: "desc" } },
      modelVersions: { include: { modelVersion: { select: { id: true, version: true, model: { select: { id: true, name: true } } } } } },
    },
  });
  if (!set) return null;
  const [names, withdrawn, preview, withdrawals] = await Promise.all([
    actorNames([set.createdById]),
    withdrawnCounts([set.id]),
    db().extractedFeature.findMany({ where: { featureSetId: id }, orderBy: { entityKey: "asc" }, take: 10, select: { entityKey: true, features: true } }),
    db().featureSetSubject.groupBy({ by: ["withdrawal"], where: { featureSetId: id, withdrawnAt: { not: null } }, _count: true }),
  ]);
  return {
    ...set,
    featureType: set.featureType as FeatureTypeName,
    status: statusOf(set),
    exclusions: set.exclusions as Exclusions,
    createdBy: nameOf(names, set.createdById),
    withdrawnSubjects: withdrawn.get(id) ?? 0,
    withdrawals: Object.fromEntries(withdrawals.map((w) => [w.withdrawal ?? "withdrawn", w._count])) as Partial<Record<"withdrawn" | "restricted" | "erased" | "objected", number>>,
    preview: preview.map((p) => ({ entityKey: p.entityKey, features: p.features as Record<string, unknown> })),
    models: set.modelVersions.map((l) => ({ versionId: l.modelVersion.id, version: l.modelVersion.version, modelId: l.modelVersion.model.id, modelName: l.modelVersion.model.name })),
  };
}
export type FeatureSetDetail = NonNullable<Awaited<ReturnType<typeof featureSetDetail>>>;
