import { parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { startJobWorker } from "@/lib/jobs/worker";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { NOTEBOOK_RANGE, seedNotebookPopulation, userKey } from "@/test/support/notebook-fixtures";
import { createConsentClient, createLogger, createModelTrainingService, TrainingApiError, type FeatureSetStatus } from "../src/index";

// The notebook flow in TypeScript with API keys only: the SDK's modelTrainingService against the real
// API over HTTP, then feedback through the logger and a withdrawal through the consent client.
let server: IngestTestServer;

beforeAll(async () => {
  await seedNotebookPopulation();
  await startJobWorker({ pollingIntervalSeconds: 0.5 });
  server = await startIngestServer();
});

afterAll(async () => {
  await server.stop();
});

describe("modelTrainingService", () => {
  it("extracts and waits, downloads Parquet, registers with is_active, then lists the version as retrain-needed after a withdrawal", async () => {
    const scientist = await userKey("data_scientist", ["training:read", "training:write", "registry:write", "feedback"]);
    const progress: FeatureSetStatus["status"][] = [];
    const modelTrainingService = createModelTrainingService({ endpoint: server.url, apiKey: scientist.key, pollMs: 100, onProgress: (s) => progress.push(s.status) });

    const featureIds = await modelTrainingService.extractFeatures("user_behavior", { startDate: new Date(NOTEBOOK_RANGE.startDate), endDate: NOTEBOOK_RANGE.endDate });
    const { featureSetId, status } = featureIds;
    expect(status).toMatchObject({ id: featureSetId, status: "ready", rows: 2 });
    const stored = await db().extractedFeature.findMany({ where: { featureSetId }, orderBy: { entityKey: "asc" }, select: { id: true } });
    expect(Array.isArray(featureIds)).toBe(true);
    expect([...featureIds]).toEqual(stored.map((r) => r.id));
    expect(await modelTrainingService.featureIds(featureSetId)).toEqual([...featureIds]);
    expect(progress.at(-1)).toBe("ready");

    const file = await (await modelTrainingService.download(featureSetId, "parquet")).arrayBuffer();
    const rows = await parquetReadObjects({ file, metadata: await parquetMetadataAsync(file) });
    expect(rows).toHaveLength(2);

    const { versionId } = await modelTrainingService.registerModel({
      model_name: "churn-ts",
      model_type: "classifier",
      model_version: "2.0.0",
      model_description: "from TypeScript",
      feature_sets: [featureSetId],
      is_active: true,
    });
    const version = await db().modelVersion.findUniqueOrThrow({ where: { id: versionId }, include: { aliases: true } });
    expect(version).toMatchObject({ isActive: true, aliases: [expect.objectContaining({ alias: "production" })] });

    const logger = createLogger({ endpoint: server.url, apiKey: scientist.key, flushOnPageHide: false });
    expect(await logger.sendFeedback({ model: "churn-ts", alias: "production", rating: "up" })).toMatchObject({ ok: true });
    await logger.shutdown({ timeoutMs: 1000 });

    const consent = createConsentClient({ endpoint: server.url, apiKey: (await userKey("admin", ["consent"])).key });
    await consent.setConsent("notebook-bob", { ai_training: false });

    const needed = await modelTrainingService.retrainNeeded(["production"]);
    expect(needed).toEqual([expect.objectContaining({ modelName: "churn-ts", version: "2.0.0", aliases: ["production"], withdrawnSubjects: 1 })]);
    const stale = await modelTrainingService.download(featureSetId, "csv").catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(TrainingApiError);
    expect(stale).toMatchObject({ status: 409, problem: { code: "stale", rebuiltSet: null } });
    expect(await modelTrainingService.featureIds(featureSetId).catch((e: unknown) => e)).toMatchObject({ status: 409, problem: { code: "stale" } });

    const rebuilt = await modelTrainingService.rebuild(featureSetId);
    expect(rebuilt.featureSetId).not.toBe(featureSetId);
    expect(rebuilt).toHaveLength(1);
  });

  it("rejects with the problem's field on bad input", async () => {
    const { key } = await userKey("data_scientist", ["training:read", "training:write"]);
    const service = createModelTrainingService({ endpoint: server.url, apiKey: key });
    const error = await service.extractFeatures("user_behavior", { startDate: "soon", endDate: NOTEBOOK_RANGE.endDate }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, problem: { field: "startDate" } });
  });
});
