import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { invalidateRuleCache } from "../classify/rule-cache";
import { database } from "../db/client";
import { pseudonymFor } from "../privacy/pseudonym";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";

// The OTLP intake end to end: the official OpenTelemetry JS SDKs and OTLP/HTTP exporters (JSON
// encoding, their default) send to the real route handlers over real HTTP; the rows are read back
// from system_logs with SQL.
type ExportResult = { code: number; error?: Error };
const SUCCESS = 0; // ExportResultCode.SUCCESS in @opentelemetry/core
const FAILED = 1; // ExportResultCode.FAILED
type TraceConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

let server: IngestTestServer;
let key: string;
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${seq++}`;

const tracesUrl = () => `${server.url}/api/v1/otlp/v1/traces`;
const logsUrl = () => `${server.url}/api/v1/otlp/v1/logs`;
const traceExporter = (secret = key, extra: Partial<TraceConfig> = {}) => new OTLPTraceExporter({ url: tracesUrl(), headers: { Authorization: `Bearer ${secret}` }, ...extra });
const logExporter = (secret = key) => new OTLPLogExporter({ url: logsUrl(), headers: { Authorization: `Bearer ${secret}` } });

function exportWith<T>(exporter: { export(items: T, done: (r: ExportResult) => void): void }, items: T): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(items, resolve));
}

/** A tracer that sends each ended span with the OTLP exporter (if given) and keeps it (for re-exports). */
function tracing(exporter?: OTLPTraceExporter) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "checkout", "service.version": "2.1.0" }),
    spanProcessors: [...(exporter ? [new SimpleSpanProcessor(exporter)] : []), new SimpleSpanProcessor(memory)],
  });
  return { tracer: provider.getTracer("clearlog-otlp-test"), provider, spans: (): ReadableSpan[] => memory.getFinishedSpans() };
}

async function rows(where: string, params: unknown[]) {
  const { rows: found } = await database().pool.query(`SELECT s.*, s::text AS row_text FROM system_logs s WHERE ${where} ORDER BY event_id`, params);
  return found;
}

const traceRows = (traceId: string) => rows("event_id LIKE $1", [`otlp-${traceId}-%`]);

beforeAll(async () => {
  key = (await createApiKey({ name: "OTLP collector", scopes: ["ingest"] }, { type: "cli" })).secret;
  server = await startIngestServer();
});

beforeEach(() => invalidateRuleCache());

afterAll(async () => {
  await server?.stop();
});

describe("OTLP traces intake", () => {
  it("stores GenAI, HTTP and other spans with typed columns, redacts prompts, and is idempotent on re-export", async () => {
    const exporter = traceExporter();
    const { tracer, provider, spans } = tracing(exporter);
    const session = unique("sess");
    const start = new Date(Date.now() - 5_000);
    const end = new Date(start.getTime() + 1234);
    const prompt = "Summarise the invoice for ada.lovelace@example.com; my AWS key is AKIAIOSFODNN7EXAMPLE";

    const chat = tracer.startSpan("chat gpt-4o", {
      kind: SpanKind.CLIENT,
      startTime: start,
      attributes: {
        "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.operation.name": "chat",
        "gen_ai.usage.input_tokens": 120, "gen_ai.usage.output_tokens": 36, "gen_ai.conversation.id": "conv-77",
        "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: prompt }] }]),
        "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: "Sent to ada.lovelace@example.com." }], finish_reason: "stop" }]),
        "user.id": "app-user-42", "session.id": session,
      },
    });
    chat.end(end);
    const http = tracer.startSpan("GET /api/projects/:id", {
      kind: SpanKind.SERVER, startTime: start,
      attributes: { "http.request.method": "GET", "http.route": "/api/projects/:id", "http.response.status_code": 200, "url.path": "/api/projects/17" },
    });
    http.end(new Date(start.getTime() + 42));
    const job = tracer.startSpan("invoice.render", { startTime: start });
    job.recordException({ name: "RenderError", message: "template missing", stack: "RenderError: template missing\n    at render (/srv/app/render.js:10:5)" });
    job.setStatus({ code: SpanStatusCode.ERROR, message: "render failed" });
    job.end(end);
    await provider.forceFlush(); // this exporter's encoding is JSON (the -proto exporters: lib/otlp/otlp-exporters.db.test.ts)

    const traceId = chat.spanContext().traceId;
    expect(new Set(spans().map((s) => s.spanContext().traceId)).size).toBe(3); // three root spans, three traces

    const [ai] = await traceRows(traceId);
    expect(ai).toMatchObject({
      type: "ai_interaction", name: "chat gpt-4o", component: "checkout", gen_ai_provider_name: "openai", gen_ai_request_model: "gpt-4o",
      gen_ai_operation_name: "chat", gen_ai_usage_input_tokens: 120, gen_ai_usage_output_tokens: 36, gen_ai_latency_ms: 1234,
      gen_ai_conversation_id: "conv-77", session_id: session, subject_pseudonym: pseudonymFor("app-user-42"),
    });
    expect(ai.occurred_at.getTime()).toBe(start.getTime());
    for (const raw of ["ada.lovelace@example.com", "AKIAIOSFODNN7EXAMPLE", "app-user-42"]) expect(ai.row_text).not.toContain(raw);
    expect(ai.payload.gen_ai.prompt).toContain("Summarise the invoice for");
    expect(ai.payload.attributes).toMatchObject({ trace_id: traceId, span_id: chat.spanContext().spanId, "span.kind": "client" });

    const [api] = await traceRows(http.spanContext().traceId);
    expect(api).toMatchObject({ type: "api_request", name: "GET /api/projects/:id", http_request_method: "GET", http_route: "/api/projects/:id", http_response_status_code: 200, http_duration_ms: 42 });

    const jobRows = await traceRows(job.spanContext().traceId);
    expect(jobRows.map((r) => [r.type, r.severity])).toEqual([["system", "error"], ["error", "error"]]);
    expect(jobRows[1]).toMatchObject({ error_type: "RenderError", message: "template missing", error_fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) });

    const count = async () => (await database().pool.query("SELECT count(*)::int AS n FROM system_logs WHERE event_id LIKE 'otlp-%'")).rows[0].n as number;
    const before = await count();
    expect(await exportWith(exporter, spans())).toMatchObject({ code: SUCCESS });
    expect(await exportWith(traceExporter(key, { compression: "gzip" as TraceConfig["compression"] }), spans())).toMatchObject({ code: SUCCESS });
    expect(await count()).toBe(before);
    await provider.shutdown();
  });

  it("refuses a wrong key with 401: the exporter reports failure and nothing is stored", async () => {
    const { tracer, provider, spans } = tracing();
    const span = tracer.startSpan("never stored", { attributes: { "http.request.method": "GET", "http.route": "/x", "http.response.status_code": 200 } });
    span.end();
    await provider.shutdown();
    const requests = server.requests;
    const result = await exportWith(traceExporter("clk_00000000_notARealKeyNotARealKeyNotARealKeyNotARea"), spans());
    expect(result.code).toBe(FAILED);
    expect(result.error).toMatchObject({ code: 401 });
    expect(server.requests).toBe(requests + 1); // not retried
    expect(await traceRows(span.spanContext().traceId)).toEqual([]);
  });

  it("answers 415 for a body that is neither JSON nor protobuf, and 400 for a body that is not an OTLP request", async () => {
    const post = (url: string, type: string, body: string) => fetch(url, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": type }, body });
    const text = await post(tracesUrl(), "text/plain", "{}");
    expect(text.status).toBe(415);
    expect((await text.json()).error).toMatch(/application\/x-protobuf or application\/json.*received text\/plain/);
    const wrong = await post(logsUrl(), "application/json", JSON.stringify({ resourceSpans: [] }));
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error).toContain("/api/v1/otlp/v1/traces");
    const empty = await post(tracesUrl(), "application/json", "{}");
    expect([empty.status, await empty.json()]).toEqual([200, {}]);
    const encoded = (encoding: string, body: Uint8Array<ArrayBuffer>) =>
      fetch(tracesUrl(), { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "Content-Encoding": encoding }, body });
    const gzipped = await encoded("gzip", new Uint8Array(gzipSync("{}")));
    expect([gzipped.status, await gzipped.json()]).toEqual([200, {}]);
    const broken = await encoded("gzip", new TextEncoder().encode("{}"));
    expect([broken.status, (await broken.json()).error]).toEqual([400, expect.stringContaining("not valid gzip")]);
    const brotli = await encoded("br", new Uint8Array([1, 2, 3]));
    expect([brotli.status, (await brotli.json()).error]).toEqual([415, expect.stringContaining("Content-Encoding br is not supported")]);
  });
});

describe("OTLP logs intake", () => {
  it("stores an error log with exception attributes as an error row with a fingerprint, and an info log as a system row", async () => {
    const session = unique("sess");
    const memory = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ "service.name": "billing" }),
      // Batch, not Simple: SimpleLogRecordProcessor.forceFlush (sdk-logs 0.223) does not wait for exports in flight
      processors: [new BatchLogRecordProcessor({ exporter: logExporter(), scheduledDelayMillis: 60_000 }), new SimpleLogRecordProcessor({ exporter: memory })],
    });
    const logger = provider.getLogger("billing-logger");
    logger.emit({
      severityNumber: SeverityNumber.ERROR, severityText: "ERROR", body: "Charge failed",
      attributes: {
        "exception.type": "CardDeclinedError", "exception.message": "Card declined for order 1234",
        "exception.stacktrace": "CardDeclinedError: Card declined\n    at charge (/srv/app/billing.js:10:5)\n    at pay (/srv/app/pay.js:3:1)",
        "user.id": "app-user-42", "session.id": session, "order.id": "o-1234",
      },
    });
    logger.emit({ severityNumber: SeverityNumber.INFO, body: "Invoice sent", eventName: "invoice.sent", attributes: { "session.id": session } });
    await provider.forceFlush();

    const [error, info] = (await rows("session_id = $1", [session])).sort((a, b) => a.type.localeCompare(b.type));
    expect(error).toMatchObject({
      type: "error", severity: "error", component: "billing", error_type: "CardDeclinedError", message: "Card declined for order 1234",
      error_fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/), subject_pseudonym: pseudonymFor("app-user-42"),
    });
    expect(error.payload.attributes).toMatchObject({ "order.id": "o-1234", body: "Charge failed" });
    expect(error.event_id).toMatch(/^otlp-log-[0-9a-f]{32}$/);
    expect(info).toMatchObject({ type: "system", severity: "info", name: "invoice.sent", message: "Invoice sent" });

    // the same records exported again store nothing twice
    const records: ReadableLogRecord[] = memory.getFinishedLogRecords();
    expect(await exportWith(logExporter(), records)).toMatchObject({ code: SUCCESS });
    expect(await rows("session_id = $1", [session])).toHaveLength(2);
    // a wrong key: failure reported, nothing stored
    expect((await exportWith(logExporter("clk_bad"), records)).code).toBe(FAILED);
    await provider.shutdown();
  });

  it("answers partialSuccess naming the rejected record, and counts rule drops as accepted", async () => {
    const now = `${Date.now()}000000`;
    const body = {
      resourceLogs: [{
        resource: { attributes: [{ key: "service.name", value: { stringValue: "web" } }] },
        scopeLogs: [{ logRecords: [
          { timeUnixNano: now, severityNumber: 9, body: { stringValue: "ok" } },
          { severityNumber: 9, body: { stringValue: "no time at all" } },
          { timeUnixNano: "1000000", severityNumber: 9, body: { stringValue: "from 1970" } },
        ] }],
      }],
    };
    const response = await fetch(logsUrl(), { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    const json = await response.json();
    expect(json.partialSuccess.rejectedLogRecords).toBe(2);
    expect(json.partialSuccess.errorMessage).toContain("2 of 3 log records rejected");
    expect(json.partialSuccess.errorMessage).toContain("resourceLogs[0].scopeLogs[0].logRecords[1] (timestamp)");
    expect(json.partialSuccess.errorMessage).toContain("resourceLogs[0].scopeLogs[0].logRecords[2] (timestamp): is more than");

    const health = { resourceSpans: [{ scopeSpans: [{ spans: [{
      traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", name: "GET /healthz", startTimeUnixNano: now, endTimeUnixNano: now,
      attributes: [{ key: "http.request.method", value: { stringValue: "GET" } }, { key: "http.route", value: { stringValue: "/healthz" } }, { key: "http.response.status_code", value: { intValue: "200" } }],
    }] }] }] };
    const dropped = await fetch(tracesUrl(), { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify(health) });
    expect([dropped.status, await dropped.json()]).toEqual([200, {}]);
    expect(await traceRows("0af7651916cd43dd8448eb211c80319c")).toEqual([]);
  });
});
