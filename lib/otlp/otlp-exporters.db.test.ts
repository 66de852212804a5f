import { Metadata } from "@grpc/grpc-js";
import { SpanKind } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { OTLPLogExporter as GrpcLogExporter } from "@opentelemetry/exporter-logs-otlp-grpc";
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as ProtoLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPTraceExporter as GrpcTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { database } from "../db/client";
import { childEnv } from "../env";
import { pseudonymFor } from "../privacy/pseudonym";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { startOtlpGrpcServer, type OtlpGrpcServer } from "./grpc-server";

// The official OpenTelemetry exporters, each in its default configuration (an endpoint and the API
// key as a header or metadata, nothing else), send to the real route handlers over HTTP and to the
// gRPC server; the rows are read back from system_logs. NodeSDK runs in a child process configured
// only by OTEL_* variables, with its default protocol (http/protobuf), then with grpc.
let http: IngestTestServer;
let grpc: OtlpGrpcServer;
let key: string;
let seq = 0;
const marker = (name: string) => `${name}-${Date.now().toString(36)}-${seq++}`;

beforeAll(async () => {
  key = (await createApiKey({ name: "Exporters", scopes: ["ingest"] }, { type: "cli" })).secret;
  http = await startIngestServer();
  grpc = await startOtlpGrpcServer({ port: 0, host: "127.0.0.1" });
});

afterAll(async () => {
  await http?.stop();
  await grpc?.stop();
});

const otlpUrl = (signal: "traces" | "logs") => `${http.url}/api/v1/otlp/v1/${signal}`;
const grpcUrl = () => `http://127.0.0.1:${grpc.port}`;
const metadata = () => {
  const m = new Metadata();
  m.set("x-api-key", key);
  return m;
};

async function rowsOf(session: string) {
  const { rows } = await database().pool.query(`SELECT * FROM system_logs WHERE session_id = $1 ORDER BY type, event_id`, [session]);
  return rows;
}

/** One GenAI span and one HTTP span through `exporter`, then their rows. */
async function sendSpans(exporter: SpanExporter) {
  const session = marker("spans");
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ "service.name": "checkout" }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer("exporter-test");
  const start = new Date(Date.now() - 2_000);
  tracer
    .startSpan("chat gpt-4o", {
      kind: SpanKind.CLIENT,
      startTime: start,
      attributes: {
        "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.operation.name": "chat",
        "gen_ai.usage.input_tokens": 120, "gen_ai.usage.output_tokens": 36, "user.id": "exporter-user-1", "session.id": session,
      },
    })
    .end(new Date(start.getTime() + 850));
  tracer
    .startSpan("POST /orders", {
      kind: SpanKind.SERVER,
      attributes: { "http.request.method": "POST", "http.route": "/orders/:id", "http.response.status_code": 201, "session.id": session, "order.total": 12.5 },
    })
    .end();
  await provider.forceFlush();
  await provider.shutdown();
  return rowsOf(session);
}

/** An error log record and an info log record through `exporter`, then their rows. */
async function sendLogs(exporter: LogRecordExporter) {
  const session = marker("logs");
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": "billing" }),
    processors: [new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 60_000 })],
  });
  const logger = provider.getLogger("billing-logger");
  logger.emit({
    severityNumber: SeverityNumber.ERROR, severityText: "ERROR", body: "Charge failed",
    attributes: { "exception.type": "CardDeclinedError", "exception.message": "Card declined for order 1234", "session.id": session, "user.id": "exporter-user-2" },
  });
  logger.emit({ severityNumber: SeverityNumber.INFO, body: "Invoice sent", eventName: "invoice.sent", attributes: { "session.id": session, "invoice.lines": 3 } });
  await provider.forceFlush();
  await provider.shutdown();
  return rowsOf(session);
}

function expectSpanRows(rows: Record<string, unknown>[]) {
  expect(rows).toHaveLength(2);
  const [ai, api] = rows;
  expect(ai).toMatchObject({
    type: "ai_interaction", component: "checkout", gen_ai_provider_name: "openai", gen_ai_request_model: "gpt-4o",
    gen_ai_usage_input_tokens: 120, gen_ai_usage_output_tokens: 36, gen_ai_latency_ms: 850, subject_pseudonym: pseudonymFor("exporter-user-1"),
  });
  expect(ai!.event_id).toMatch(/^otlp-[0-9a-f]{32}-[0-9a-f]{16}$/);
  expect(api).toMatchObject({ type: "api_request", http_request_method: "POST", http_route: "/orders/:id", http_response_status_code: 201 });
  expect((api!.payload as { attributes: Record<string, unknown> }).attributes).toMatchObject({ "order.total": 12.5, "span.kind": "server" });
  expect(JSON.stringify(rows)).not.toContain("exporter-user-1");
}

function expectLogRows(rows: Record<string, unknown>[]) {
  expect(rows).toHaveLength(2);
  const [error, info] = rows;
  expect(error).toMatchObject({
    type: "error", severity: "error", component: "billing", error_type: "CardDeclinedError", message: "Card declined for order 1234",
    subject_pseudonym: pseudonymFor("exporter-user-2"),
  });
  expect(info).toMatchObject({ type: "system", severity: "info", name: "invoice.sent", message: "Invoice sent" });
  expect((info!.payload as { attributes: Record<string, unknown> }).attributes).toMatchObject({ "invoice.lines": 3 });
}

describe("OTLP/HTTP with protobuf (the -proto exporters)", () => {
  it("stores spans and log records, plain and gzip-compressed", async () => {
    const headers = { "x-api-key": key };
    expectSpanRows(await sendSpans(new ProtoTraceExporter({ url: otlpUrl("traces"), headers })));
    expectLogRows(await sendLogs(new ProtoLogExporter({ url: otlpUrl("logs"), headers })));
    expectSpanRows(await sendSpans(new ProtoTraceExporter({ url: otlpUrl("traces"), headers, compression: CompressionAlgorithm.GZIP })));
    expectLogRows(await sendLogs(new ProtoLogExporter({ url: otlpUrl("logs"), headers, compression: CompressionAlgorithm.GZIP })));
  });
});

describe("OTLP/HTTP with JSON (the -http exporters)", () => {
  it("stores the same rows, gzip-compressed too", async () => {
    const headers = { Authorization: `Bearer ${key}` };
    expectSpanRows(await sendSpans(new JsonTraceExporter({ url: otlpUrl("traces"), headers, compression: CompressionAlgorithm.GZIP })));
    expectLogRows(await sendLogs(new JsonLogExporter({ url: otlpUrl("logs"), headers, compression: CompressionAlgorithm.GZIP })));
  });
});

describe("OTLP/gRPC (the -grpc exporters)", () => {
  it("stores spans and log records with the key in the metadata, plain and gzip-compressed", async () => {
    expectSpanRows(await sendSpans(new GrpcTraceExporter({ url: grpcUrl(), metadata: metadata() })));
    expectLogRows(await sendLogs(new GrpcLogExporter({ url: grpcUrl(), metadata: metadata() })));
    expectSpanRows(await sendSpans(new GrpcTraceExporter({ url: grpcUrl(), metadata: metadata(), compression: CompressionAlgorithm.GZIP })));
    expectLogRows(await sendLogs(new GrpcLogExporter({ url: grpcUrl(), metadata: metadata(), compression: CompressionAlgorithm.GZIP })));
  });
});

describe("NodeSDK configured only by OTEL_* variables", () => {
  const child = path.join(process.cwd(), "test", "support", "otel-node-sdk-child.ts");
  const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");

  async function runChild(otel: Record<string, string>) {
    const session = marker("node-sdk");
    await promisify(execFile)(tsx, [child, session], {
      timeout: 60_000,
      env: childEnv({ OTEL_SERVICE_NAME: "node-sdk-app", OTEL_METRICS_EXPORTER: "none", OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${key}`, ...otel }),
    });
    const rows = (await rowsOf(session)).sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(rows.map((r) => [r.type, r.name, r.component])).toEqual([
      ["system", "child.warned", "node-sdk-app"],
      ["system", "child.work", "node-sdk-app"],
    ]);
    expect(rows[0]).toMatchObject({ severity: "warn", message: "child warning" });
    expect((rows[1]!.payload as { attributes: Record<string, unknown> }).attributes).toMatchObject({ "work.items": 3, "span.kind": "internal" });
  }

  it("exports traces and logs with the default protocol, http/protobuf", async () => {
    await runChild({ OTEL_EXPORTER_OTLP_ENDPOINT: `${http.url}/api/v1/otlp` });
  }, 90_000);

  it("exports traces and logs with OTEL_EXPORTER_OTLP_PROTOCOL=grpc", async () => {
    await runChild({ OTEL_EXPORTER_OTLP_ENDPOINT: grpcUrl(), OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" });
  }, 90_000);
});
