import { parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { startJobWorker } from "../jobs/worker";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { NOTEBOOK_RANGE, seedNotebookPopulation, userKey } from "@/test/support/notebook-fixtures";

// The training API over real HTTP with API keys only: feature sets, downloads, the registry,
// retrain-needed after a withdrawal through the consent API, scopes and the owner's permission.
let server: IngestTestServer;
let scientist: string;
let consentKey: string;

beforeAll(async () => {
  await seedNotebookPopulation();
  scientist = (await userKey("data_scientist", ["training:read", "training:write", "registry:write"])).key;
  consentKey = (await userKey("admin", ["consent"])).key;
  await startJobWorker({ pollingIntervalSeconds: 0.5 });
  server = await startIngestServer();
});

afterAll(async () => {
  await server.stop();
});

const call = (method: string, path: string, body?: unknown, key = scientist) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function waitReady(id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 150; i++) {
    const status = await (await call("GET", `/api/v1/feature-sets/${id}`)).json();
    if (status.status !== "building") return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("extraction did not finish");
}

describe("training API", () => {
  it("plays the notebook flow: extract, wait, download, register, production, feedback, withdrawal, retrain-needed", async () => {
    const started = await call("POST", "/api/v1/feature-sets", { featureType: "user_behavior", ...NOTEBOOK_RANGE });
    expect(started.status).toBe(202);
    const { id, job } = await started.json();
    expect(job).toMatch(/^[0-9a-f-]{36}$/);
    const status = await waitReady(id);
    expect(status).toMatchObject({ id, status: "ready", rows: 2, subjects: 2, job: { status: "succeeded", processed: 4, total: 4 } });

    const manifest = await (await call("GET", `/api/v1/feature-sets/${id}/manifest`)).json();
    expect(manifest).toMatchObject({ featureSetId: id, rows: 2, digest: { algorithm: "sha256" } });

    const csv = await call("GET", `/api/v1/feature-sets/${id}/data?format=csv`);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect((await csv.text()).trim().split("\n")).toHaveLength(3);
    const jsonl = await (await call("GET", `/api/v1/feature-sets/${id}/data?format=jsonl`)).text();
    expect(jsonl.trim().split("\n").map((l) => JSON.parse(l).entity_key)).toEqual(manifest.subjects.pseudonyms);
    const parquet = await call("GET", `/api/v1/feature-sets/${id}/data?format=parquet`);
    expect(parquet.headers.get("x-clearlog-digest")).toBe(`sha256:${manifest.digest.value}`);
    const file = await parquet.arrayBuffer();
    const rows = await parquetReadObjects({ file, metadata: await parquetMetadataAsync(file) });
    expect(rows.map((r) => r.entity_key)).toEqual(manifest.subjects.pseudonyms);

    // Feature ids: the rows' ids in the files' order, a page at a time with the last id as cursor.
    const stored = await db().extractedFeature.findMany({ where: { featureSetId: id }, orderBy: { entityKey: "asc" }, select: { id: true } });
    expect(await (await call("GET", `/api/v1/feature-sets/${id}/feature-ids`)).json()).toEqual({ ids: stored.map((r) => r.id), next: null });
    const first = await (await call("GET", `/api/v1/feature-sets/${id}/feature-ids?limit=1`)).json();
    expect(first).toEqual({ ids: [stored[0]!.id], next: stored[0]!.id });
    expect(await (await call("GET", `/api/v1/feature-sets/${id}/feature-ids?limit=1&after=${first.next}`)).json()).toEqual({ ids: [stored[1]!.id], next: stored[1]!.id });
    expect(await (await call("GET", `/api/v1/feature-sets/${id}/feature-ids?limit=1&after=${stored[1]!.id}`)).json()).toEqual({ ids: [], next: null });
    const foreign = await call("GET", `/api/v1/feature-sets/${id}/feature-ids?after=${id}`);
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toMatchObject({ field: "after", detail: expect.stringMatching(/not a feature id of this set/) });
    const tooMany = await call("GET", `/api/v1/feature-sets/${id}/feature-ids?limit=10001`);
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ field: "limit", detail: "limit must be at most 10000." });

    const registered = await call("POST", "/api/v1/models", {
      model_name: "churn",
      model_type: "classifier",
      model_version: "1.0.0",
      model_description: "first",
      feature_sets: [id],
      metrics: { auc: 0.8 },
      artifact_uri: "s3://models/churn/1.0.0",
    });
    expect(registered.status).toBe(201);
    const { versionId } = await registered.json();
    expect((await call("PUT", "/api/v1/models/churn/aliases/production", { version: "1.0.0" })).status).toBe(204);
    expect(await db().modelVersion.findUniqueOrThrow({ where: { id: versionId } })).toMatchObject({ isActive: true });
    const listed = await (await call("GET", "/api/v1/models")).json();
    expect(listed.models[0]).toMatchObject({ name: "churn", versions: [{ version: "1.0.0", aliases: ["production"], isActive: true }] });

    const feedback = await fetch(`${server.url}/api/v1/feedback`, {
      method: "POST",
      headers: { Authorization: `Bearer ${(await userKey("admin", ["feedback"])).key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ model: "churn", alias: "production", rating: "up", subject: "notebook-bob" }),
    });
    expect(feedback.status).toBe(201);

    expect((await (await call("GET", "/api/v1/retrain-needed")).json()).versions).toEqual([]);
    const withdrawn = await fetch(`${server.url}/api/v1/consent`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${consentKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ subject: "notebook-ada", purposes: { ai_training: false } }),
    });
    expect(withdrawn.status).toBe(200);

    const stale = await call("GET", `/api/v1/feature-sets/${id}/data?format=parquet`);
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ code: "stale", reason: "consent_withdrawn", rebuiltSet: null });
    const staleIds = await call("GET", `/api/v1/feature-sets/${id}/feature-ids`);
    expect(staleIds.status).toBe(409);
    expect(await staleIds.json()).toMatchObject({ code: "stale", reason: "consent_withdrawn", rebuiltSet: null });
    const lineage = await (await call("GET", "/api/v1/models/churn/versions/1.0.0")).json();
    expect(lineage).toMatchObject({ taint: { tainted: true, withdrawnSubjects: 1 }, featureSets: [{ id, stale: true, rebuiltAs: null }] });

    const rebuild = await call("POST", `/api/v1/feature-sets/${id}/rebuild`);
    expect(rebuild.status).toBe(202);
    const rebuilt = await rebuild.json();
    expect(await waitReady(rebuilt.id)).toMatchObject({ status: "ready", rows: 1, rebuiltFrom: id });
    const needed = (await (await call("GET", "/api/v1/retrain-needed")).json()).versions;
    expect(needed).toEqual([
      expect.objectContaining({ modelName: "churn", version: "1.0.0", aliases: ["production"], withdrawnSubjects: 1, staleFeatureSets: [expect.objectContaining({ id, rebuiltSet: { id: rebuilt.id, ready: true } })] }),
    ]);
    expect((await (await call("GET", "/api/v1/retrain-needed?alias=staging")).json()).versions).toEqual([]);
    const sets = (await (await call("GET", "/api/v1/feature-sets")).json()).featureSets;
    expect(sets.map((s: { id: string }) => s.id)).toEqual([rebuilt.id, id]);
  });

  it("is_active on registration moves production: one active version per model", async () => {
    const { id } = await (await call("POST", "/api/v1/feature-sets", { featureType: "ai_usage", ...NOTEBOOK_RANGE })).json();
    await waitReady(id);
    const base = { model_name: "ranker", model_type: "ranker", feature_sets: [id] };
    expect((await call("POST", "/api/v1/models", { ...base, model_version: "1.0.0", is_active: true })).status).toBe(201);
    expect((await call("POST", "/api/v1/models", { ...base, model_version: "1.1.0", is_active: true })).status).toBe(201);
    const versions = await db().modelVersion.findMany({ where: { model: { name: "ranker" } }, include: { aliases: true }, orderBy: { version: "asc" } });
    expect(versions.map((v) => [v.version, v.isActive, v.aliases.map((a) => a.alias)])).toEqual([["1.0.0", false, []], ["1.1.0", true, ["production"]]]);
    expect((await call("DELETE", "/api/v1/models/ranker/aliases/production")).status).toBe(204);
    expect(await db().modelVersion.count({ where: { model: { name: "ranker" }, isActive: true } })).toBe(0);
    expect((await call("DELETE", "/api/v1/feature-sets/" + id)).status).toBe(409);
  });

  it("refuses bad input with a 4xx naming the problem, and writes nothing", async () => {
    const before = await db().featureSet.count();
    const cases: [string, string, unknown, number, RegExp][] = [
      ["POST", "/api/v1/feature-sets", { featureType: "everything", ...NOTEBOOK_RANGE }, 400, /featureType must be one of/],
      ["POST", "/api/v1/feature-sets", { featureType: "ai_usage", startDate: NOTEBOOK_RANGE.endDate, endDate: NOTEBOOK_RANGE.startDate }, 400, /endDate must be after startDate/],
      ["GET", "/api/v1/feature-sets/not-an-id", undefined, 400, /not a feature set id/],
      ["GET", "/api/v1/feature-sets/00000000-0000-4000-8000-000000000000", undefined, 404, /no feature set/],
      ["GET", "/api/v1/feature-sets/00000000-0000-4000-8000-000000000000/data?format=xlsx", undefined, 400, /format must be one of csv, jsonl, parquet/],
      ["GET", "/api/v1/feature-sets?limit=0", undefined, 400, /limit must be at least 1/],
      ["POST", "/api/v1/models", { model_name: "x", model_type: "t", model_version: "one", feature_sets: [] }, 400, /model_version must be a semantic version/],
      ["PUT", "/api/v1/models/nope/aliases/production", { version: "1.0.0" }, 404, /no version 1.0.0 of model nope/],
      ["PUT", "/api/v1/models/churn/aliases/production", {}, 400, /version is required/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const response = await call(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect((await response.json()).detail).toMatch(message);
    }
    expect(await db().featureSet.count()).toBe(before);
  });

  it("needs the scope, and an owner who still holds the permission", async () => {
    const readOnly = (await userKey("data_scientist", ["training:read"])).key;
    expect((await call("GET", "/api/v1/feature-sets", undefined, readOnly)).status).toBe(200);
    const refused = await call("POST", "/api/v1/feature-sets", { featureType: "ai_usage", ...NOTEBOOK_RANGE }, readOnly);
    expect(refused.status).toBe(403);
    expect((await refused.json()).detail).toMatch(/lacks the 'training:write' scope/);

    const demoted = await userKey("data_scientist", ["training:read"]);
    expect((await call("GET", "/api/v1/models", undefined, demoted.key)).status).toBe(200);
    await db().user.update({ where: { id: demoted.userId }, data: { role: "end_user" } });
    const after = await call("GET", "/api/v1/models", undefined, demoted.key);
    expect(after.status).toBe(403);
    expect((await after.json()).detail).toMatch(/no longer holds the 'training.use' permission/);
  });
});
