import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJobWorker } from "@/lib/jobs/worker";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { NOTEBOOK_RANGE, seedNotebookPopulation, userKey } from "@/test/support/notebook-fixtures";

// The contract: every route file under app/api/v1 has its operations in the document, and real
// answers of the routes validate against the document's schemas.
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

type Doc = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>> };
let doc: Doc;
let server: IngestTestServer;
let key: string;

beforeAll(async () => {
  await seedNotebookPopulation();
  await startJobWorker({ pollingIntervalSeconds: 0.5 });
  key = (await userKey("data_scientist", ["training:read", "training:write", "registry:write"])).key;
  server = await startIngestServer();
  doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as Doc;
});

afterAll(async () => {
  await server.stop();
});

const ajv = new Ajv2020({ strict: false, allErrors: true });

async function check(method: string, docPath: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${url}`, {
    method: method.toUpperCase(),
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const documented = doc.paths[docPath]?.[method]?.responses[String(response.status)];
  expect(documented, `${method} ${docPath} answered ${response.status}, which the document does not list`).toBeDefined();
  const schema = documented!.content?.["application/json"]?.schema;
  const json = response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
  if (schema) {
    const validate = ajv.compile(schema);
    expect(validate(json), `${method} ${docPath}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }
  return json;
}

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 and lists every route file's methods", () => {
    expect(doc.openapi).toBe("3.1.0");
    const listed = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    const routes = discovered();
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((r) => !listed.includes(r)), "routes missing from lib/api/openapi").toEqual([]);
    expect(listed.filter((r) => !routes.includes(r)), "operations without a route").toEqual([]);
  });

  it("describes the training routes' real answers", async () => {
    const { id } = await check("post", "/api/v1/feature-sets", "/api/v1/feature-sets", { featureType: "user_behavior", ...NOTEBOOK_RANGE });
    for (let i = 0; i < 100 && (await check("get", "/api/v1/feature-sets/{id}", `/api/v1/feature-sets/${id}`)).status === "building"; i++) await new Promise((r) => setTimeout(r, 100));
    await check("get", "/api/v1/feature-sets", "/api/v1/feature-sets");
    await check("get", "/api/v1/feature-sets/{id}/manifest", `/api/v1/feature-sets/${id}/manifest`);
    await check("post", "/api/v1/models", "/api/v1/models", { model_name: "contract", model_type: "t", model_version: "1.0.0", feature_sets: [id] });
    await check("put", "/api/v1/models/{model}/aliases/{alias}", "/api/v1/models/contract/aliases/staging", { version: "1.0.0" });
    await check("get", "/api/v1/models", "/api/v1/models");
    await check("get", "/api/v1/models/{model}/versions/{version}", "/api/v1/models/contract/versions/1.0.0");
    await check("get", "/api/v1/retrain-needed", "/api/v1/retrain-needed");
    await check("delete", "/api/v1/models/{model}/aliases/{alias}", "/api/v1/models/contract/aliases/staging");
    await check("get", "/api/v1/whoami", "/api/v1/whoami");
  });
});
