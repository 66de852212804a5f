import "server-only";
import { writeAudit, type Actor } from "../audit/audit";
import { actorNames, nameOf } from "../auth/actor-names";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { Prisma } from "../db/generated/client";
import { parseInput, SafeError } from "../errors";
import { registerModelSchema, removeAliasSchema, setAliasSchema, type RegisterModelInput } from "./registry-schema";

// The model registry: models, their semantic versions, aliases (one version each) and lineage to
// the feature sets each version was trained on.

/** The alias `is_active` stands for: a model's one active version is the one `production` points at. */
export const PRODUCTION = "production";

/** Keeps `is_active` true on exactly the version `production` points at (none when it points nowhere). */
async function syncActive(tx: Prisma.TransactionClient, modelId: string, activeVersionId: string | null): Promise<void> {
  await tx.modelVersion.updateMany({ where: { modelId, isActive: true, ...(activeVersionId ? { id: { not: activeVersionId } } : {}) }, data: { isActive: false } });
  if (activeVersionId) await tx.modelVersion.update({ where: { id: activeVersionId }, data: { isActive: true } });
}

/**
 * Registers a version (and its model, the first time); returns both ids. `is_active: true` points
 * the `production` alias at it, which makes it the model's one active version.
 */
export async function registerModelVersion(input: RegisterModelInput, actor: Actor = { type: "system" }): Promise<{ modelId: string; versionId: string }> {
  const data = parseInput(registerModelSchema, input);
  const createdById = actor.type === "user" ? actor.id : null;
  try {
    return await transaction(async (tx) => {
      const sets = await tx.featureSet.findMany({ where: { id: { in: data.feature_sets } }, select: { id: true, completedAt: true, staleAt: true } });
      for (const id of data.feature_sets) {
        const set = sets.find((s) => s.id === id);
        if (!set) throw new SafeError(`feature_sets: feature set ${id} does not exist.`, "invalid");
        if (!set.completedAt) throw new SafeError(`feature_sets: feature set ${id} is still being extracted.`, "conflict");
        if (set.staleAt) throw new SafeError(`feature_sets: feature set ${id} contains data of people who withdrew; rebuild it and train on the new set.`, "conflict");
      }
      const model = await tx.model.upsert({
        where: { name: data.model_name },
        create: { name: data.model_name, modelType: data.model_type, description: data.model_description ?? null, createdById },
        update: {},
      });
      if (model.modelType !== data.model_type) {
        throw new SafeError(`model_type: ${data.model_name} is registered as "${model.modelType}".`, "conflict");
      }
      const version = await tx.modelVersion.create({
        data: {
          modelId: model.id,
          version: data.model_version,
          description: data.model_description ?? null,
          metrics: data.metrics,
          parameters: data.parameters as Prisma.InputJsonObject,
          tags: [...new Set(data.tags)],
          artifactUri: data.artifact_uri ?? null,
          isActive: data.is_active,
          createdById,
          featureSets: { create: [...new Set(data.feature_sets)].map((featureSetId) => ({ featureSetId })) },
        },
      });
      if (data.is_active) {
        const previous = await tx.modelAlias.findUnique({ where: { modelId_alias: { modelId: model.id, alias: PRODUCTION } }, include: { modelVersion: { select: { version: true } } } });
        await tx.modelAlias.upsert({
          where: { modelId_alias: { modelId: model.id, alias: PRODUCTION } },
          create: { modelId: model.id, alias: PRODUCTION, modelVersionId: version.id },
          update: { modelVersionId: version.id },
        });
        await syncActive(tx, model.id, version.id);
        await writeAudit(
          { actor, action: "model.alias_set", resourceType: "model", resourceId: model.id, outcome: "success", metadata: { alias: PRODUCTION, from: previous?.modelVersion.version ?? null, to: version.version } },
          tx,
        );
      }
      await writeAudit(
        {
          actor,
          action: "model.register",
          resourceType: "model_version",
          resourceId: version.id,
          outcome: "success",
          metadata: { model: model.name, version: version.version, featureSets: data.feature_sets.length, active: data.is_active },
        },
        tx,
      );
      return { modelId: model.id, versionId: version.id };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new SafeError(`model_version: ${data.model_name} ${data.model_version} is already registered.`, "conflict");
    }
    throw error;
  }
}

/** The documented API: registers a model version and returns the model id. */
export async function registerModel(input: RegisterModelInput, actor?: Actor): Promise<string> {
  return (await registerModelVersion(input, actor)).modelId;
}

/** Points an alias (production, staging, …) at a version; the move is audited with both versions. */
export async function setAlias(input: unknown, actor: Actor): Promise<void> {
  const { modelId, alias, versionId } = parseInput(setAliasSchema, input);
  await transaction(async (tx) => {
    const version = await tx.modelVersion.findUnique({ where: { id: versionId }, select: { modelId: true, version: true } });
    if (!version || version.modelId !== modelId) throw new SafeError("That version does not belong to this model.", "not_found");
    const previous = await tx.modelAlias.findUnique({ where: { modelId_alias: { modelId, alias } }, include: { modelVersion: { select: { version: true } } } });
    if (previous?.modelVersionId === versionId) return;
    await tx.modelAlias.upsert({
      where: { modelId_alias: { modelId, alias } },
      create: { modelId, alias, modelVersionId: versionId },
      update: { modelVersionId: versionId },
    });
    if (alias === PRODUCTION) await syncActive(tx, modelId, versionId);
    await writeAudit(
      { actor, action: "model.alias_set", resourceType: "model", resourceId: modelId, outcome: "success", metadata: { alias, from: previous?.modelVersion.version ?? null, to: version.version } },
      tx,
    );
  });
}

export async function removeAlias(input: unknown, actor: Actor): Promise<void> {
  const { modelId, alias } = parseInput(removeAliasSchema, input);
  await transaction(async (tx) => {
    const previous = await tx.modelAlias.findUnique({ where: { modelId_alias: { modelId, alias } }, include: { modelVersion: { select: { version: true } } } });
    if (!previous) throw new SafeError(`No version is ${alias}.`, "not_found");
    await tx.modelAlias.delete({ where: { modelId_alias: { modelId, alias } } });
    if (alias === PRODUCTION) await syncActive(tx, modelId, null);
    await writeAudit({ actor, action: "model.alias_removed", resourceType: "model", resourceId: modelId, outcome: "success", metadata: { alias, from: previous.modelVersion.version } }, tx);
  });
}

export interface TrainingDataStatus {
  /** distinct subjects in the version's feature sets */
  subjects: number;
  /** of them, those who withdrew, were restricted or erased since */
  withdrawnSubjects: number;
  staleSets: number;
}

/** Training-data status of model versions, in one query over their sets' membership. */
export async function trainingDataStatus(versionIds: string[]): Promise<Map<string, TrainingDataStatus>> {
  if (versionIds.length === 0) return new Map();
  const rows = await db().$queryRaw<{ id: string; subjects: number; withdrawn: number; stale: number }[]>`
    SELECT l.model_version_id AS id,
      count(DISTINCT m.subject_pseudonym)::int AS subjects,
      count(DISTINCT m.subject_pseudonym) FILTER (WHERE m.withdrawn_at IS NOT NULL)::int AS withdrawn,
      count(DISTINCT l.feature_set_id) FILTER (WHERE s.stale_at IS NOT NULL)::int AS stale
    FROM model_version_feature_sets l
    JOIN feature_sets s ON s.id = l.feature_set_id
    LEFT JOIN feature_set_subjects m ON m.feature_set_id = l.feature_set_id
    WHERE l.model_version_id = ANY(${versionIds}::uuid[])
    GROUP BY l.model_version_id`;
  const status = new Map(versionIds.map((id) => [id, { subjects: 0, withdrawnSubjects: 0, staleSets: 0 }]));
  for (const r of rows) status.set(r.id, { subjects: r.subjects, withdrawnSubjects: r.withdrawn, staleSets: r.stale });
  return status;
}

/** "Which model versions contain this subject's data?" — one query. */
export async function modelVersionsContainingSubject(pseudonym: string) {
  return db().$queryRaw<{ modelId: string; modelName: string; versionId: string; version: string; featureSetId: string; withdrawn: boolean }[]>`
    SELECT mr.id AS "modelId", mr.name AS "modelName", mv.id AS "versionId", mv.version, m.feature_set_id AS "featureSetId", m.withdrawn_at IS NOT NULL AS withdrawn
    FROM feature_set_subjects m
    JOIN model_version_feature_sets l ON l.feature_set_id = m.feature_set_id
    JOIN model_versions mv ON mv.id = l.model_version_id
    JOIN model_registry mr ON mr.id = mv.model_id
    WHERE m.subject_pseudonym = ${pseudonym}
    ORDER BY mr.name, mv.created_at DESC`;
}

/** The feature sets a subject is a member of (withdrawn or not), newest first. */
export async function featureSetsOfSubject(pseudonym: string): Promise<string[]> {
  const rows = await db().featureSetSubject.findMany({ where: { subjectPseudonym: pseudonym }, select: { featureSetId: true }, orderBy: { featureSet: { createdAt: "desc" } } });
  return rows.map((r) => r.featureSetId);
}

export async function listModels() {
  const models = await db().model.findMany({
    orderBy: { name: "asc" },
    include: { versions: { select: { id: true, version: true, createdAt: true, isActive: true }, orderBy: { createdAt: "desc" } }, aliases: { include: { modelVersion: { select: { version: true } } } } },
  });
  const status = await trainingDataStatus(models.flatMap((m) => m.versions.map((v) => v.id)));
  return models.map((m) => ({
    id: m.id,
    name: m.name,
    modelType: m.modelType,
    description: m.description,
    versions: m.versions.length,
    latest: m.versions[0] ?? null,
    aliases: m.aliases.map((a) => ({ alias: a.alias, version: a.modelVersion.version })).sort((a, b) => a.alias.localeCompare(b.alias)),
    versionsWithWithdrawnData: m.versions.filter((v) => (status.get(v.id)?.withdrawnSubjects ?? 0) > 0).length,
  }));
}

export async function modelDetail(id: string) {
  const model = await db().model.findUnique({
    where: { id },
    include: {
      versions: { orderBy: { createdAt: "desc" }, include: { _count: { select: { feedback: true, featureSets: true } } } },
      aliases: { orderBy: { alias: "asc" } },
    },
  });
  if (!model) return null;
  const [status, names] = await Promise.all([trainingDataStatus(model.versions.map((v) => v.id)), actorNames([model.createdById, ...model.versions.map((v) => v.createdById)])]);
  return {
    ...model,
    createdBy: nameOf(names, model.createdById),
    versions: model.versions.map((v) => ({
      ...v,
      createdBy: nameOf(names, v.createdById),
      aliases: model.aliases.filter((a) => a.modelVersionId === v.id).map((a) => a.alias),
      status: status.get(v.id)!,
      feedbackCount: v._count.feedback,
      featureSetCount: v._count.featureSets,
    })),
  };
}
export type ModelDetail = NonNullable<Awaited<ReturnType<typeof modelDetail>>>;

export async function versionDetail(versionId: string) {
  const version = await db().modelVersion.findUnique({
    where: { id: versionId },
    include: {
      model: { select: { id: true, name: true, modelType: true } },
      aliases: { orderBy: { alias: "asc" } },
      featureSets: { include: { featureSet: true } },
    },
  });
  if (!version) return null;
  const [status, names] = await Promise.all([trainingDataStatus([versionId]), actorNames([version.createdById])]);
  return {
    ...version,
    createdBy: nameOf(names, version.createdById),
    status: status.get(versionId)!,
    lineage: version.featureSets
      .map((l) => l.featureSet)
      .map((s) => ({ id: s.id, featureType: s.featureType, startDate: s.startDate, endDate: s.endDate, rowCount: s.rowCount, subjectCount: s.subjectCount, digest: s.digest, staleAt: s.staleAt, definitionVersion: s.definitionVersion })),
  };
}
export type VersionDetail = NonNullable<Awaited<ReturnType<typeof versionDetail>>>;

/** Versions by id with their model, for pages that hold only ids (erasure receipts). */
export async function versionsByIds(ids: string[]) {
  if (ids.length === 0) return [];
  const versions = await db().modelVersion.findMany({ where: { id: { in: ids } }, select: { id: true, version: true, model: { select: { id: true, name: true } } } });
  return versions.map((v) => ({ versionId: v.id, version: v.version, modelId: v.model.id, modelName: v.model.name }));
}
