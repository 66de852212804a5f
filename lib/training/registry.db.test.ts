import { beforeAll, describe, expect, it } from "vitest";
import { recordConsent } from "../consent/consent";
import { db } from "../db/client";
import { expectSafeError } from "@/test/support/errors";
import { extractFeatures } from "./extract";
import { modelTrainingService } from "./service";
import { featureSetsOfSubject, modelVersionsContainingSubject, registerModelVersion, removeAlias, setAlias, trainingDataStatus, versionsByIds } from "./registry";
import { PEOPLE, RANGE, seedPopulation } from "@/test/support/training-fixtures";

const actor = { type: "system" } as const;
let behavior: string;
let usage: string;

const input = (over: Record<string, unknown> = {}) => ({
  model_name: "churn-predictor",
  model_type: "classifier",
  model_version: "1.0.0",
  model_description: "Predicts churn from product usage.",
  feature_sets: [behavior],
  is_active: true,
  ...over,
});

beforeAll(async () => {
  await seedPopulation();
  behavior = (await extractFeatures("user_behavior", RANGE)).featureSetId;
  usage = (await extractFeatures("ai_usage", RANGE)).featureSetId;
});

describe("registerModel", () => {
  it("registers a model with its first version and lineage, returns the model id, and audits it", async () => {
    const modelId = await modelTrainingService.registerModel(input({ metrics: { auc: 0.81 }, parameters: { depth: 6 }, tags: ["churn", "churn"], artifact_uri: "s3://models/churn/1.0.0" }));
    const model = await db().model.findUniqueOrThrow({ where: { id: modelId }, include: { versions: { include: { featureSets: true } } } });
    expect(model).toMatchObject({ name: "churn-predictor", modelType: "classifier", description: "Predicts churn from product usage." });
    expect(model.versions).toHaveLength(1);
    expect(model.versions[0]).toMatchObject({ version: "1.0.0", isActive: true, metrics: { auc: 0.81 }, parameters: { depth: 6 }, tags: ["churn"], artifactUri: "s3://models/churn/1.0.0" });
    expect(model.versions[0]!.featureSets.map((l) => l.featureSetId)).toEqual([behavior]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "model.register", resourceId: model.versions[0]!.id } });
    expect(audit.metadata).toEqual({ model: "churn-predictor", version: "1.0.0", featureSets: 1, active: true });
  });

  it("adds versions to an existing model, on several sets", async () => {
    const { modelId, versionId } = await registerModelVersion(input({ model_version: "1.1.0-rc.1", feature_sets: [behavior, usage] }), actor);
    expect((await db().model.findUniqueOrThrow({ where: { id: modelId }, include: { versions: true } })).versions).toHaveLength(2);
    expect(await db().modelVersionFeatureSet.count({ where: { modelVersionId: versionId } })).toBe(2);
  });

  it("refuses bad input, naming the field, and stores nothing", async () => {
    const before = await db().modelVersion.count();
    await expectSafeError(registerModelVersion(input({ model_version: "v2" })), "invalid", "model_version must be a semantic version such as 1.2.0.");
    await expectSafeError(registerModelVersion(input({ model_name: "Churn Predictor" })), "invalid", /^model_name:/);
    await expectSafeError(registerModelVersion(input({ feature_sets: [] })), "invalid", /^feature_sets: name at least one/);
    await expectSafeError(registerModelVersion(input({ feature_sets: ["not-a-uuid"] })), "invalid", "feature_sets must hold feature set ids.");
    await expectSafeError(registerModelVersion(input({ artifact_uri: "models/churn" })), "invalid", /^artifact_uri must be a URI/);
    await expectSafeError(registerModelVersion(input({ metrics: { auc: "high" } })), "invalid", "metrics values must be numbers.");
    await expectSafeError(registerModelVersion(input({ model_version: "2.0.0", feature_sets: ["00000000-0000-4000-8000-000000000000"] })), "invalid", /does not exist/);
    expect(await db().modelVersion.count()).toBe(before);
  });

  it("refuses a version registered twice, and a model type that does not match", async () => {
    await expectSafeError(registerModelVersion(input()), "conflict", "model_version: churn-predictor 1.0.0 is already registered.");
    await expectSafeError(registerModelVersion(input({ model_version: "3.0.0", model_type: "regressor" })), "conflict", 'model_type: churn-predictor is registered as "classifier".');
  });
});

describe("aliases", () => {
  it("points an alias at one version, moves it with an audit row naming both versions, and removes it", async () => {
    const model = await db().model.findUniqueOrThrow({ where: { name: "churn-predictor" }, include: { versions: { orderBy: { createdAt: "asc" } } } });
    const [v1, v2] = model.versions;
    await setAlias({ modelId: model.id, alias: "production", versionId: v1!.id }, actor);
    await setAlias({ modelId: model.id, alias: "production", versionId: v2!.id }, actor);
    await setAlias({ modelId: model.id, alias: "production", versionId: v2!.id }, actor); // no change, no audit row
    expect(await db().modelAlias.findMany({ where: { modelId: model.id } })).toMatchObject([{ alias: "production", modelVersionId: v2!.id }]);
    const moves = await db().auditLog.findMany({ where: { action: "model.alias_set", resourceId: model.id }, orderBy: { id: "asc" } });
    // Both versions were registered with is_active: true, which moved production each time.
    expect(moves.map((m) => m.metadata)).toEqual([
      { alias: "production", from: null, to: "1.0.0" },
      { alias: "production", from: "1.0.0", to: "1.1.0-rc.1" },
      { alias: "production", from: "1.1.0-rc.1", to: "1.0.0" },
      { alias: "production", from: "1.0.0", to: "1.1.0-rc.1" },
    ]);
    expect((await db().modelVersion.findMany({ where: { modelId: model.id, isActive: true } })).map((v) => v.id)).toEqual([v2!.id]);
    await removeAlias({ modelId: model.id, alias: "production" }, actor);
    expect(await db().modelAlias.count({ where: { modelId: model.id } })).toBe(0);
    expect(await db().modelVersion.count({ where: { modelId: model.id, isActive: true } })).toBe(0);
    await expectSafeError(removeAlias({ modelId: model.id, alias: "production" }, actor), "not_found", "No version is production.");
  });

  it("refuses a version of another model and a malformed alias", async () => {
    const other = await registerModelVersion(input({ model_name: "other-model" }), actor);
    const model = await db().model.findUniqueOrThrow({ where: { name: "churn-predictor" } });
    await expectSafeError(setAlias({ modelId: model.id, alias: "production", versionId: other.versionId }, actor), "not_found", "That version does not belong to this model.");
    await expectSafeError(setAlias({ modelId: model.id, alias: "Prod!", versionId: other.versionId }, actor), "invalid", /^alias:/);
  });
});

describe("withdrawal reaches the registry", () => {
  it("answers which versions contain a subject's data, flags them after a withdrawal, and refuses new versions on the stale set", async () => {
    const versions = await db().modelVersion.findMany({ where: { model: { name: "churn-predictor" } }, orderBy: { createdAt: "asc" } });
    const ids = versions.map((v) => v.id);
    // One row per (version, set): the second version has Ada in both of its sets. other-model 1.0.0 too.
    expect((await modelVersionsContainingSubject(PEOPLE.ada)).map((r) => `${r.modelName} ${r.version}`).sort()).toEqual([
      "churn-predictor 1.0.0",
      "churn-predictor 1.1.0-rc.1",
      "churn-predictor 1.1.0-rc.1",
      "other-model 1.0.0",
    ]);
    expect(await modelVersionsContainingSubject(PEOPLE.cyd)).toEqual([]);
    expect((await featureSetsOfSubject(PEOPLE.ada)).sort()).toEqual([behavior, usage].sort());
    expect(await featureSetsOfSubject(PEOPLE.cyd)).toEqual([]);
    expect(await versionsByIds([versions[0]!.id])).toEqual([{ versionId: versions[0]!.id, version: "1.0.0", modelId: versions[0]!.modelId, modelName: "churn-predictor" }]);
    expect([...(await trainingDataStatus(ids)).values()]).toEqual([
      { subjects: 2, withdrawnSubjects: 0, staleSets: 0 },
      { subjects: 2, withdrawnSubjects: 0, staleSets: 0 },
    ]);

    await recordConsent(PEOPLE.ada, [{ purpose: "ai_training", granted: false }], { method: "explicit" });

    // Ada is in both sets of the second version: counted once.
    expect([...(await trainingDataStatus(ids)).values()]).toEqual([
      { subjects: 2, withdrawnSubjects: 1, staleSets: 1 },
      { subjects: 2, withdrawnSubjects: 1, staleSets: 2 },
    ]);
    expect((await modelVersionsContainingSubject(PEOPLE.ada)).every((r) => r.withdrawn)).toBe(true);
    expect((await modelVersionsContainingSubject(PEOPLE.bob)).some((r) => r.withdrawn)).toBe(false);
    await expectSafeError(registerModelVersion(input({ model_version: "4.0.0" })), "conflict", /contains data of people who withdrew; rebuild it/);
  });
});
