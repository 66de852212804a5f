import { z } from "zod";
import type { ApiKeyScope } from "../../auth/api-key-scopes";

// The OpenAPI 3.1 document of /api/v1, built from the same zod schemas the routes parse with. Each
// domain lists its operations next to its schemas (lib/api/openapi/<domain>.ts) and document.ts joins
// them; the contract test fails when a route file under app/api/v1 has no operation here.

export interface Operation {
  method: "get" | "post" | "put" | "delete";
  /** OpenAPI path, `{name}` for a dynamic segment */
  path: string;
  summary: string;
  /** the API key scope by its public name, or null for any valid key; "public" for no key */
  scope: ApiKeyScope | null | "public";
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyType?: string;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
const output = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "draft-2020-12", io: "output", unrepresentable: "any" });

/** RFC 9457 problem details (lib/api/problem.ts); extensions such as `rebuiltSet` may follow. */
const PROBLEM = {
  type: "object",
  required: ["type", "title", "status", "detail", "error"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer", minimum: 400, maximum: 599 },
    detail: { type: "string" },
    code: { type: "string" },
    field: { type: "string" },
    error: { type: "string", description: "the same as detail, for clients written against the first API" },
  },
};
const PROBLEM_CONTENT = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };

function operation(op: Operation) {
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
  const query = op.query
    ? Object.entries((json(op.query) as { properties?: Record<string, unknown> }).properties ?? {}).map(([name, schema]) => ({ name, in: "query", required: false, schema }))
    : [];
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    const content = r.schema ? { [r.contentType ?? "application/json"]: { schema: output(r.schema) } } : r.contentType ? { [r.contentType]: {} } : undefined;
    // An error status a route answers with a body of its own can still be a problem (e.g. a malformed body).
    const withProblem = Number(status) >= 400 ? { ...content, ...PROBLEM_CONTENT } : content;
    responses[status] = { description: r.description, ...(withProblem ? { content: withProblem } : {}) };
  }
  responses.default = { description: "An error (RFC 9457)", content: PROBLEM_CONTENT };
  return {
    summary: op.summary,
    ...(op.scope === "public" ? { security: [] } : { "x-clearlog-scope": op.scope }),
    parameters: [...params, ...query],
    ...(op.body ? { requestBody: { required: true, content: { [op.bodyType ?? "application/json"]: { schema: json(op.body) } } } } : {}),
    responses,
  };
}

export function openApiDocument(operations: Operation[], webhooks: Record<string, unknown> = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: "3.1.0",
    info: { title: "Clearlog API", version: "1", description: "Events, consent, feedback and training data. Every call but this document needs an API key (Bearer or x-api-key)." },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, { apiKeyHeader: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" }, apiKeyHeader: { type: "apiKey", in: "header", name: "x-api-key" } },
      schemas: { Problem: PROBLEM },
    },
    paths,
    ...(Object.keys(webhooks).length ? { webhooks } : {}),
  };
}
