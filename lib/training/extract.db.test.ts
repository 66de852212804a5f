import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { runJob } from "../jobs/worker";
import { expectSafeError } from "@/test/support/errors";
import { deleteFeatureSet, extractFeatures, rebuildFeatureSet, startExtraction } from "./extract";
import { PEOPLE, RANGE, seedPopulation } from "@/test/support/training-fixtures";

const features = async (featureSetId: string) =>
  Object.fromEntries((await db().extractedFeature.findMany({ where: { featureSetId } })).map((r) => [r.entityKey, r.features]));
const members = async (featureSetId: string) =>
  (await db().featureSetSubject.findMany({ where: { featureSetId }, orderBy: { subjectPseudonym: "asc" } })).map((m) => m.subjectPseudonym);

const EXCLUDED_EVERYWHERE = { no_consent: 1, withdrawn: 1, restricted: 1, erased: 1 };

beforeAll(seedPopulation);

describe("extractFeatures", () => {
  it("user_behavior: one row per consenting subject, computed over the range only, with every exclusion counted", async () => {
    const { featureSetId, featureIds } = await extractFeatures("user_behavior", RANGE);
    expect(featureIds).toHaveLength(2);
    expect(await members(featureSetId)).toEqual([PEOPLE.ada, PEOPLE.bob]);
    const rows = await features(featureSetId);
    expect(rows[PEOPLE.ada]).toEqual({
      events: 5,
      events_by_action: { search: 2, export: 1 },
      sessions: 2,
      mean_session_seconds: 75,
      active_days: 2,
      error_rate: 0.2,
      first_seen: "2020-06-01T10:00:00.000Z",
      last_seen: "2020-06-03T09:00:30.000Z",
    });
    expect(rows[PEOPLE.bob]).toMatchObject({ events: 3, events_by_action: {}, sessions: 0, mean_session_seconds: null, active_days: 3, error_rate: 0.333333 });
    const set = await db().featureSet.findUniqueOrThrow({ where: { id: featureSetId } });
    expect(set).toMatchObject({ rowCount: 2, subjectCount: 2, definitionVersion: 1, staleAt: null, exclusions: { ...EXCLUDED_EVERYWHERE, events_excluded: 1 } });
    expect(set.completedAt).not.toBeNull();
    expect(set.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ai_usage: tokens, models, latency and cost per subject; events marked excluded never count", async () => {
    const { featureSetId } = await extractFeatures("ai_usage", RANGE);
    const rows = await features(featureSetId);
    expect(Object.keys(rows).sort()).toEqual([PEOPLE.ada, PEOPLE.bob]);
    expect(rows[PEOPLE.ada]).toMatchObject({ interactions: 1, input_tokens: 100, output_tokens: 50, models: ["gpt-4o"], mean_latency_ms: 800, cost_usd: 0.0125, feedback_count: 0 });
    expect(rows[PEOPLE.bob]).toMatchObject({ interactions: 2, input_tokens: 40, output_tokens: 60, models: ["claude-sonnet-4", "gpt-4o"], mean_latency_ms: 800, p95_latency_ms: 1160, cost_usd: 0.003 });
    expect((await db().featureSet.findUniqueOrThrow({ where: { id: featureSetId } })).exclusions).toEqual({ ...EXCLUDED_EVERYWHERE, events_excluded: 1 });
  });

  it("error_patterns: per fingerprint, counting consenting subjects and subjectless errors, with a trend", async () => {
    const { featureSetId } = await extractFeatures("error_patterns", RANGE);
    const rows = await features(featureSetId);
    expect(rows["fp-render"]).toEqual({
      error_type: "TypeError",
      count: 2,
      affected_subjects: 2,
      components: ["api", "web"],
      first_seen: "2020-06-03T09:00:30.000Z",
      last_seen: "2020-06-07T12:00:00.000Z",
      first_half_count: 1,
      second_half_count: 1,
      trend: "stable",
    });
    expect(rows["fp-timeout"]).toMatchObject({ count: 2, affected_subjects: 0, components: ["worker"], first_half_count: 0, second_half_count: 2, trend: "rising" });
    expect(await members(featureSetId)).toEqual([PEOPLE.ada, PEOPLE.bob]);
    const rowsWithSubject = await db().extractedFeature.count({ where: { featureSetId, subjectPseudonym: { not: null } } });
    expect(rowsWithSubject).toBe(0);
  });

  it("is deterministic: the same inputs give the same digest; another range does not", async () => {
    const a = await extractFeatures("user_behavior", RANGE);
    const b = await extractFeatures("user_behavior", RANGE);
    const c = await extractFeatures("user_behavior", { startDate: RANGE.startDate, endDate: new Date("2020-06-05T00:00:00Z") });
    const digest = async (id: string) => (await db().featureSet.findUniqueOrThrow({ where: { id } })).digest;
    expect(a.featureSetId).not.toBe(b.featureSetId);
    expect(await digest(a.featureSetId)).toBe(await digest(b.featureSetId));
    expect(await digest(c.featureSetId)).not.toBe(await digest(a.featureSetId));
  });

  it("refuses bad input with a message naming the field, and writes nothing", async () => {
    const before = await db().featureSet.count();
    await expectSafeError(extractFeatures("user_behavior", { startDate: RANGE.endDate, endDate: RANGE.startDate }), "invalid", /endDate must be after startDate/);
    await expectSafeError(extractFeatures("user_behavior", { startDate: "yesterday", endDate: RANGE.endDate }), "invalid", /startDate/);
    await expectSafeError(extractFeatures("everything" as never, RANGE), "invalid", /featureType must be one of user_behavior, ai_usage, error_patterns/);
    await expectSafeError(extractFeatures("user_behavior", { startDate: "2019-01-01", endDate: "2020-06-01" }), "invalid", /at most 400 days/);
    expect(await db().featureSet.count()).toBe(before);
  });
});

describe("extraction as a job", () => {
  it("reports its stages and leaves the result on the job; a rebuild points at the set it replaces", async () => {
    const actor = { type: "system" } as const;
    const { jobId, featureSetId } = await startExtraction({ featureType: "user_behavior", ...RANGE }, actor);
    const building = await db().featureSet.findUniqueOrThrow({ where: { id: featureSetId } });
    expect(building.completedAt).toBeNull();
    const job = await runJob(jobId);
    expect(job).toMatchObject({ status: "succeeded", stage: "done", processed: 4, total: 4, result: { featureSetId, rows: 2, subjects: 2 } });
    const done = await db().featureSet.findUniqueOrThrow({ where: { id: featureSetId } });
    expect(done.completedAt).not.toBeNull();

    const rebuild = await rebuildFeatureSet(featureSetId, actor);
    await runJob(rebuild.jobId);
    const rebuilt = await db().featureSet.findUniqueOrThrow({ where: { id: rebuild.featureSetId } });
    expect(rebuilt).toMatchObject({ rebuiltFromId: featureSetId, digest: done.digest });
    const audit = await db().auditLog.findMany({ where: { resourceId: { in: [featureSetId, rebuild.featureSetId] } }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["feature_set.extract", "feature_set.rebuild"]);
  });

  it("a retried job starts over rather than adding to what a failed attempt left", async () => {
    const { jobId, featureSetId } = await startExtraction({ featureType: "ai_usage", ...RANGE }, { type: "system" });
    // What a crashed attempt might leave behind.
    await db().featureSetSubject.create({ data: { featureSetId, subjectPseudonym: PEOPLE.cyd } });
    await db().extractedFeature.create({ data: { featureSetId, entityKey: PEOPLE.cyd, subjectPseudonym: PEOPLE.cyd, features: {} } });
    await runJob(jobId);
    expect(await members(featureSetId)).toEqual([PEOPLE.ada, PEOPLE.bob]);
    expect(Object.keys(await features(featureSetId)).sort()).toEqual([PEOPLE.ada, PEOPLE.bob]);
  });
});

describe("deleting a feature set", () => {
  const actor = { type: "system" } as const;

  it("deletes a set no model was trained on, with its rows and members, audited", async () => {
    const { featureSetId } = await extractFeatures("user_behavior", RANGE);
    await deleteFeatureSet(featureSetId, actor);
    expect(await db().featureSet.count({ where: { id: featureSetId } })).toBe(0);
    expect(await db().extractedFeature.count({ where: { featureSetId } })).toBe(0);
    expect(await db().featureSetSubject.count({ where: { featureSetId } })).toBe(0);
    expect(await db().auditLog.findFirst({ where: { action: "feature_set.delete", resourceId: featureSetId } })).toMatchObject({ metadata: { featureType: "user_behavior", rows: 2 } });
  });

  it("keeps a set a model version was trained on, and one still being extracted", async () => {
    const { featureSetId } = await extractFeatures("ai_usage", RANGE);
    const model = await db().model.create({ data: { name: "delete-test", modelType: "classifier", versions: { create: { version: "1.0.0" } } }, include: { versions: true } });
    await db().modelVersionFeatureSet.create({ data: { modelVersionId: model.versions[0]!.id, featureSetId } });
    await expectSafeError(deleteFeatureSet(featureSetId, actor), "conflict", "Model versions were trained on this set: it stays as their lineage.");
    const building = await startExtraction({ featureType: "ai_usage", ...RANGE }, actor);
    await expectSafeError(deleteFeatureSet(building.featureSetId, actor), "conflict", "This feature set is still being extracted.");
    await expectSafeError(rebuildFeatureSet(building.featureSetId, actor), "conflict", "This feature set is still being extracted.");
    expect(await db().featureSet.count({ where: { id: { in: [featureSetId, building.featureSetId] } } })).toBe(2);
  });

  it("a failed extraction can be extracted again (not linked as a rebuild) or deleted", async () => {
    const failed = await startExtraction({ featureType: "error_patterns", ...RANGE }, actor);
    await db().job.update({ where: { id: failed.jobId }, data: { status: "failed", error: "The job failed unexpectedly" } });
    const again = await rebuildFeatureSet(failed.featureSetId, actor);
    expect((await db().featureSet.findUniqueOrThrow({ where: { id: again.featureSetId } })).rebuiltFromId).toBeNull();
    await deleteFeatureSet(failed.featureSetId, actor);
    expect(await db().featureSet.count({ where: { id: failed.featureSetId } })).toBe(0);
  });
});
