import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY_SCOPES } from "@/lib/auth/api-key-scopes";
import { startJobWorker } from "@/lib/jobs/worker";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { NOTEBOOK_RANGE, seedNotebookPopulation, userKey } from "@/test/support/notebook-fixtures";

// The contract: every route file under app/api/v1 has its operations in the document, and every
// operation is called over real HTTP, at least once answering its success and once a problem, each
// answer validated against the schema the document gives for its status and content type.
const ROOT = path.resolve(__dirname, "../../../app/api/v1");

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : []));
}

function discovered(): string[] {
  return routeFiles(ROOT).flatMap((file) => {
    const route = `/api/v1/${path.relative(ROOT, path.dirname(file)).split(path.sep).join("/")}`.replace(/\[(\w+)\]/g, "{$1}").replace(/\/$/, "");
    const source = readFileSync(file, "utf8");
    return [...source.matchAll(/export (?:const|async function) (GET|POST|PUT|DELETE|PATCH)\b/g)].map((m) => `${m[1]!.toLowerCase()} ${route}`);
  });
}

type Content = Record<string, { schema?: object }>;
type Doc = {
  openapi: string;
  components: { schemas: Record<string, object> };
  paths: Record<string, Record<string, { responses: Record<string, { content?: Content }> }>>;
};
let doc: Doc;
let server: IngestTestServer;
let key: string;
let narrowKey: string;

beforeAll(async () => {
  await seedNotebookPopulation();
  await startJobWorker({ pollingIntervalSeconds: 0.5 });
  key = (await userKey("data_scientist", [...API_KEY_SCOPES])).key;
  narrowKey = (await userKey("data_scientist", ["ingest"])).key;
  server = await startIngestServer();
  doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as Doc;
});

afterAll(async () => {
  await server.stop();
});

const ajv = new Ajv2020({ strict: false, allErrors: true });
/** Which operations answered a success and which a problem, to prove every one was called. */
const seen = { success: new Set<string>(), problem: new Set<string>() };

interface CallOptions {
  body?: unknown;
  raw?: { contentType: string; data: string };
  key?: string | null;
}

async function check(method: string, docPath: string, url: string, options: CallOptions = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  const presented = options.key === undefined ? key : options.key;
  if (presented) headers.Authorization = `Bearer ${presented}`;
  let body: string | undefined;
  if (options.raw) [headers["Content-Type"], body] = [options.raw.contentType, options.raw.data];
  else if (options.body !== undefined) [headers["Content-Type"], body] = ["application/json", JSON.stringify(options.body)];
  const response = await fetch(`${server.url}${url}`, { method: method.toUpperCase(), headers, body });
  const operation = doc.paths[docPath]?.[method];
  expect(operation, `${method} ${docPath} is not in the document`).toBeDefined();
  const status = response.status;
  const documented = operation!.responses[String(status)] ?? (status >= 400 ? operation!.responses.default : undefined);
  expect(documented, `${method} ${docPath} answered ${status}, which the document does not list`).toBeDefined();
  (status >= 400 ? seen.problem : seen.success).add(`${method} ${docPath}`);
  if (status === 204) return { status, json: {} };
  const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
  const content = documented!.content ?? {};
  expect(Object.keys(content), `${method} ${docPath} ${status} answered ${type}, which the document does not list`).toContain(type);
  if (!type.endsWith("json")) return { status, json: {} };
  const json = (await response.json()) as Record<string, unknown>;
  let schema = content[type]!.schema as { $ref?: string } | undefined;
  if (schema?.$ref) schema = doc.components.schemas[schema.$ref.split("/").pop()!];
  expect(schema, `${method} ${docPath} ${status} has no schema`).toBeDefined();
  const validate = ajv.compile(schema!);
  expect(validate(json), `${method} ${docPath} ${status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(json).slice(0, 400)}`).toBe(true);
  if (status >= 400 && type === "application/problem+json") expect(json.status).toBe(status);
  return { status, json };
}

async function expectStatus(status: number, answer: Promise<{ status: number; json: Record<string, unknown> }>) {
  const { status: got, json } = await answer;
  expect(got, JSON.stringify(json).slice(0, 300)).toBe(status);
  return json;
}

const event = (id: string) => ({ id, type: "user_action", timestamp: new Date().toISOString(), name: "contract", subject: "contract-person" });

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 and lists every route file's methods", () => {
    expect(doc.openapi).toBe("3.1.0");
    const listed = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    const routes = discovered();
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((r) => !listed.includes(r)), "routes missing from lib/api/openapi").toEqual([]);
    expect(listed.filter((r) => !routes.includes(r)), "operations without a route").toEqual([]);
  });

  it("describes the answers of ingestion, OTLP, consent, feedback and whoami, successes and problems", async () => {
    await expectStatus(200, check("post", "/api/v1/events", "/api/v1/events", { body: { events: [event("contract-1")] } }));
    await expectStatus(200, check("post", "/api/v1/events", "/api/v1/events", { body: { events: [event("contract-1")] } })); // a duplicate
    await expectStatus(207, check("post", "/api/v1/events", "/api/v1/events", { body: { events: [event("contract-2"), { id: "contract-3", type: "nope" }] } }));
    await expectStatus(400, check("post", "/api/v1/events", "/api/v1/events", { body: { events: [{ id: "contract-4", type: "nope" }] } })); // every event rejected: a batch answer
    await expectStatus(400, check("post", "/api/v1/events", "/api/v1/events", { raw: { contentType: "application/json", data: "{not json" } })); // a problem
    await expectStatus(401, check("post", "/api/v1/events", "/api/v1/events", { body: { events: [event("contract-5")] }, key: null }));

    const now = `${Date.now()}000000`;
    const logs = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: now, severityNumber: 9, body: { stringValue: "ok" } }, { severityNumber: 9, body: { stringValue: "no time" } }] }] }] };
    expect(await expectStatus(200, check("post", "/api/v1/otlp/v1/logs", "/api/v1/otlp/v1/logs", { body: logs }))).toMatchObject({ partialSuccess: { rejectedLogRecords: 1 } });
    await expectStatus(415, check("post", "/api/v1/otlp/v1/logs", "/api/v1/otlp/v1/logs", { raw: { contentType: "text/plain", data: "hello" } }));
    expect(await expectStatus(200, check("post", "/api/v1/otlp/v1/traces", "/api/v1/otlp/v1/traces", { body: {} }))).toEqual({});
    await expectStatus(400, check("post", "/api/v1/otlp/v1/traces", "/api/v1/otlp/v1/traces", { body: { resourceSpans: "many" } }));

    await expectStatus(200, check("put", "/api/v1/consent", "/api/v1/consent", { body: { subject: "contract-person", purposes: { analytics: true } } }));
    await expectStatus(400, check("put", "/api/v1/consent", "/api/v1/consent", { body: { subject: "contract-person", purposes: { analytics: "yes" } } }));
    await expectStatus(200, check("post", "/api/v1/consent", "/api/v1/consent", { body: { subject: "contract-person" } }));
    await expectStatus(400, check("post", "/api/v1/consent", "/api/v1/consent", { body: {} }));

    await expectStatus(200, check("get", "/api/v1/whoami", "/api/v1/whoami"));
    await expectStatus(401, check("get", "/api/v1/whoami", "/api/v1/whoami", { key: "clk_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }));
  });

  it("describes the privacy routes' answers, successes and problems", async () => {
    await expectStatus(201, check("post", "/api/v1/portal-sessions", "/api/v1/portal-sessions", { body: { subject: "contract-person" } }));
    await expectStatus(400, check("post", "/api/v1/portal-sessions", "/api/v1/portal-sessions", { body: { subject: "contract-person", returnUrl: "javascript:alert(1)" } }));
    const filed = await expectStatus(201, check("post", "/api/v1/privacy-requests", "/api/v1/privacy-requests", { body: { subject: "contract-person", type: "rectification", details: "my name" } }));
    await expectStatus(400, check("post", "/api/v1/privacy-requests", "/api/v1/privacy-requests", { body: { subject: "contract-person", type: "objection" } }));
    await expectStatus(200, check("get", "/api/v1/privacy-requests", "/api/v1/privacy-requests?limit=5"));
    await expectStatus(400, check("get", "/api/v1/privacy-requests", "/api/v1/privacy-requests?limit=0"));
    await expectStatus(200, check("get", "/api/v1/privacy-requests/{id}", `/api/v1/privacy-requests/${filed.id}`));
    await expectStatus(404, check("get", "/api/v1/privacy-requests/{id}", "/api/v1/privacy-requests/00000000-0000-4000-8000-000000000000"));
    await expectStatus(403, check("get", "/api/v1/privacy-requests/{id}", `/api/v1/privacy-requests/${filed.id}`, { key: narrowKey }));
  });

  it("describes the training routes' answers, successes and problems", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    const { id } = await expectStatus(202, check("post", "/api/v1/feature-sets", "/api/v1/feature-sets", { body: { featureType: "user_behavior", ...NOTEBOOK_RANGE } }));
    await expectStatus(400, check("post", "/api/v1/feature-sets", "/api/v1/feature-sets", { body: { featureType: "everything", ...NOTEBOOK_RANGE } }));
    for (let i = 0; i < 100 && (await check("get", "/api/v1/feature-sets/{id}", `/api/v1/feature-sets/${id}`)).json.status === "building"; i++) await new Promise((r) => setTimeout(r, 100));
    await expectStatus(404, check("get", "/api/v1/feature-sets/{id}", `/api/v1/feature-sets/${unknown}`));
    await expectStatus(200, check("get", "/api/v1/feature-sets", "/api/v1/feature-sets"));
    await expectStatus(400, check("get", "/api/v1/feature-sets", "/api/v1/feature-sets?limit=0"));
    await expectStatus(200, check("get", "/api/v1/feature-sets/{id}/manifest", `/api/v1/feature-sets/${id}/manifest`));
    await expectStatus(404, check("get", "/api/v1/feature-sets/{id}/manifest", `/api/v1/feature-sets/${unknown}/manifest`));
    await expectStatus(200, check("get", "/api/v1/feature-sets/{id}/data", `/api/v1/feature-sets/${id}/data?format=parquet`));
    await expectStatus(400, check("get", "/api/v1/feature-sets/{id}/data", `/api/v1/feature-sets/${id}/data?format=xlsx`));
    await expectStatus(200, check("get", "/api/v1/feature-sets/{id}/feature-ids", `/api/v1/feature-sets/${id}/feature-ids`));
    await expectStatus(400, check("get", "/api/v1/feature-sets/{id}/feature-ids", `/api/v1/feature-sets/${id}/feature-ids?after=${unknown}`));

    await expectStatus(201, check("post", "/api/v1/models", "/api/v1/models", { body: { model_name: "contract", model_type: "t", model_version: "1.0.0", feature_sets: [id] } }));
    await expectStatus(400, check("post", "/api/v1/models", "/api/v1/models", { body: { model_name: "contract", model_type: "t", model_version: "one", feature_sets: [id] } }));
    await expectStatus(204, check("put", "/api/v1/models/{model}/aliases/{alias}", "/api/v1/models/contract/aliases/staging", { body: { version: "1.0.0" } }));
    await expectStatus(404, check("put", "/api/v1/models/{model}/aliases/{alias}", "/api/v1/models/contract/aliases/staging", { body: { version: "9.9.9" } }));
    await expectStatus(200, check("get", "/api/v1/models", "/api/v1/models"));
    await expectStatus(403, check("get", "/api/v1/models", "/api/v1/models", { key: narrowKey }));
    await expectStatus(200, check("get", "/api/v1/models/{model}/versions/{version}", "/api/v1/models/contract/versions/1.0.0"));
    await expectStatus(404, check("get", "/api/v1/models/{model}/versions/{version}", "/api/v1/models/contract/versions/9.9.9"));
    await expectStatus(200, check("get", "/api/v1/retrain-needed", "/api/v1/retrain-needed"));
    await expectStatus(400, check("get", "/api/v1/retrain-needed", `/api/v1/retrain-needed?alias=${"a".repeat(201)}`));
    await expectStatus(204, check("delete", "/api/v1/models/{model}/aliases/{alias}", "/api/v1/models/contract/aliases/staging"));
    await expectStatus(404, check("delete", "/api/v1/models/{model}/aliases/{alias}", "/api/v1/models/contract/aliases/staging"));

    await expectStatus(201, check("post", "/api/v1/feedback", "/api/v1/feedback", { body: { id: "7d3c1a52-96b4-4e0e-8f7e-2b1f4c5d6e7f", model: "contract", version: "1.0.0", rating: "up" } }));
    await expectStatus(200, check("post", "/api/v1/feedback", "/api/v1/feedback", { body: { id: "7d3c1a52-96b4-4e0e-8f7e-2b1f4c5d6e7f", model: "contract", version: "1.0.0", rating: "up" } }));
    await expectStatus(400, check("post", "/api/v1/feedback", "/api/v1/feedback", { body: { model: "contract", version: "1.0.0", rating: "up", colour: "red" } }));

    // A set with a model cannot be deleted; a rebuild of it can.
    await expectStatus(409, check("delete", "/api/v1/feature-sets/{id}", `/api/v1/feature-sets/${id}`));
    const rebuilt = await expectStatus(202, check("post", "/api/v1/feature-sets/{id}/rebuild", `/api/v1/feature-sets/${id}/rebuild`));
    await expectStatus(404, check("post", "/api/v1/feature-sets/{id}/rebuild", `/api/v1/feature-sets/${unknown}/rebuild`));
    for (let i = 0; i < 100 && (await check("get", "/api/v1/feature-sets/{id}", `/api/v1/feature-sets/${rebuilt.id}`)).json.status === "building"; i++) await new Promise((r) => setTimeout(r, 100));
    await expectStatus(204, check("delete", "/api/v1/feature-sets/{id}", `/api/v1/feature-sets/${rebuilt.id}`));
  });

  it("called every operation, each with a success and a problem", async () => {
    await expectStatus(200, check("get", "/api/v1/openapi.json", "/api/v1/openapi.json", { key: null }));
    const all = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(all.filter((op) => !seen.success.has(op)), "operations never answered a success").toEqual([]);
    // The document itself is public and takes no input: it has no problem to answer.
    expect(all.filter((op) => !seen.problem.has(op) && op !== "get /api/v1/openapi.json"), "operations never answered a problem").toEqual([]);
  });
});
