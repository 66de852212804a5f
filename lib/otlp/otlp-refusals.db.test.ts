import * as grpcJs from "@grpc/grpc-js";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetRateLimits } from "../api/with-api-key";
import { createApiKey } from "../auth/api-keys";
import { database } from "../db/client";
import { overrideEnv } from "../env";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { decodeStatus } from "./codec";
import { startOtlpGrpcServer, type OtlpGrpcServer } from "./grpc-server";

// What OTLP clients are told when not everything is stored, in the encoding they spoke: partial
// success for rejected records, a status for refused requests (never a 500), nothing written, and
// every refusal counted for the key (GET /api/v1/whoami shows them).
let http: IngestTestServer;
let grpc: OtlpGrpcServer;
let client: grpcJs.Client;

beforeAll(async () => {
  http = await startIngestServer();
  grpc = await startOtlpGrpcServer({ port: 0, host: "127.0.0.1" });
  client = new grpcJs.Client(`127.0.0.1:${grpc.port}`, grpcJs.credentials.createInsecure());
});
afterEach(() => resetRateLimits());
afterAll(async () => {
  client?.close();
  await http?.stop();
  await grpc?.stop();
});

const newKey = async (scopes: ("ingest" | "consent")[] = ["ingest"]) => (await createApiKey({ name: `Refusals ${Math.random()}`, scopes }, { type: "cli" })).secret;
const total = async () => Number((await database().pool.query("SELECT count(*) FROM system_logs")).rows[0].count);

/** Two log records serialized by OpenTelemetry's own protobuf serializer: one of now, one 40 days old. */
function logsWithAnOldRecord(): Uint8Array {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource: resourceFromAttributes({ "service.name": "refusals" }), processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger("refusals");
  logger.emit({ severityNumber: SeverityNumber.INFO, body: `fresh ${Math.random()}` });
  logger.emit({ severityNumber: SeverityNumber.INFO, body: "ancient", timestamp: Date.now() - 40 * 86_400_000 });
  return ProtobufLogsSerializer.serializeRequest(memory.getFinishedLogRecords())!;
}

function oneSpan(): Uint8Array {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  provider.getTracer("refusals").startSpan("work").end();
  return ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!;
}

const GARBAGE = Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]);

function postProto(signal: "logs" | "traces", body: Uint8Array, headers: Record<string, string>) {
  return fetch(`${http.url}/api/v1/otlp/v1/${signal}`, { method: "POST", headers: { "Content-Type": "application/x-protobuf", ...headers }, body: Buffer.from(body) });
}

function callGrpc(signal: "logs" | "traces", body: Uint8Array, meta: Record<string, string>): Promise<{ error: grpcJs.ServiceError | null; response?: Buffer }> {
  const service = signal === "logs" ? "opentelemetry.proto.collector.logs.v1.LogsService" : "opentelemetry.proto.collector.trace.v1.TraceService";
  const metadata = new grpcJs.Metadata();
  for (const [k, v] of Object.entries(meta)) metadata.set(k, v);
  const identity = (b: Buffer) => b;
  return new Promise((resolve) =>
    client.makeUnaryRequest(`/${service}/Export`, identity, identity, Buffer.from(body), metadata, (error, response) => resolve({ error, response })),
  );
}

async function intakeOf(key: string) {
  const response = await fetch(`${http.url}/api/v1/whoami`, { headers: { "x-api-key": key } });
  expect(response.status).toBe(200);
  return (await response.json()).intake as { refusedRecords: number; refusedRequests: number; byReason: { reason: string; records: number; requests: number; description: string }[] };
}

describe("OTLP/HTTP protobuf refusals", () => {
  it("reports partial success in protobuf, naming the old record, and counts it", async () => {
    const key = await newKey();
    for (const encoding of ["identity", "gzip"]) {
      const body = logsWithAnOldRecord();
      const response = await postProto("logs", encoding === "gzip" ? gzipSync(body) : body, { "x-api-key": key, "Content-Encoding": encoding });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/x-protobuf");
      const answer = ProtobufLogsSerializer.deserializeResponse(new Uint8Array(await response.arrayBuffer()));
      expect(Number(answer.partialSuccess?.rejectedLogRecords)).toBe(1);
      expect(answer.partialSuccess?.errorMessage).toMatch(/^1 of 2 log records rejected: resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[1\] \(timestamp\): is more than 30 days old/);
    }
    const intake = await intakeOf(key);
    expect(intake.byReason).toEqual([expect.objectContaining({ reason: "too_old", records: 2, requests: 0, description: expect.stringContaining("CLEARLOG_INGEST_MAX_AGE_DAYS") })]);
  });

  it("refuses garbage (400), other media types (415) and bad keys (401) with a protobuf Status, never a 500, writing nothing", async () => {
    const key = await newKey();
    const before = await total();
    const garbage = await postProto("traces", GARBAGE, { "x-api-key": key });
    expect([garbage.status, garbage.headers.get("content-type")]).toEqual([400, "application/x-protobuf"]);
    expect(decodeStatus(new Uint8Array(await garbage.arrayBuffer()))).toEqual({ code: 3, message: expect.stringContaining("not a valid protobuf ExportTraceServiceRequest") });
    const badGzip = await postProto("traces", oneSpan(), { "x-api-key": key, "Content-Encoding": "gzip" });
    expect(badGzip.status).toBe(400);
    const text = await fetch(`${http.url}/api/v1/otlp/v1/traces`, { method: "POST", headers: { "x-api-key": key, "Content-Type": "text/plain" }, body: "hello" });
    expect(text.status).toBe(415);
    expect((await text.json()).detail).toMatch(/application\/x-protobuf or application\/json/);
    const unknownKey = await postProto("traces", oneSpan(), { "x-api-key": `clk_00000000_${"A".repeat(43)}` });
    expect(unknownKey.status).toBe(401);
    expect(decodeStatus(new Uint8Array(await unknownKey.arrayBuffer()))).toEqual({ code: 16, message: "Invalid or revoked API key" });
    expect(await total()).toBe(before);

    const intake = await intakeOf(key);
    expect(intake).toMatchObject({ refusedRecords: 0, refusedRequests: 3, byReason: [expect.objectContaining({ reason: "unreadable", requests: 3 })] });
  });
});

describe("OTLP/gRPC refusals", () => {
  it("reports partial success in the response and counts it", async () => {
    const key = await newKey();
    const { error, response } = await callGrpc("logs", logsWithAnOldRecord(), { authorization: `Bearer ${key}` });
    expect(error).toBeNull();
    const answer = ProtobufLogsSerializer.deserializeResponse(new Uint8Array(response!));
    expect(Number(answer.partialSuccess?.rejectedLogRecords)).toBe(1);
    expect(answer.partialSuccess?.errorMessage).toContain("is more than 30 days old");
    expect((await intakeOf(key)).byReason).toEqual([expect.objectContaining({ reason: "too_old", records: 1 })]);
  });

  it("answers UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT and RESOURCE_EXHAUSTED, writing nothing", async () => {
    const key = await newKey();
    const consentOnly = await newKey(["consent"]);
    const before = await total();
    const cases: [Record<string, string>, Uint8Array, number, RegExp][] = [
      [{}, oneSpan(), grpcJs.status.UNAUTHENTICATED, /Missing API key/],
      [{ "x-api-key": "not-a-key" }, oneSpan(), grpcJs.status.UNAUTHENTICATED, /Malformed API key/],
      [{ "x-api-key": consentOnly }, oneSpan(), grpcJs.status.PERMISSION_DENIED, /lacks the 'ingest' scope/],
      [{ "x-api-key": key }, GARBAGE, grpcJs.status.INVALID_ARGUMENT, /not a valid protobuf ExportTraceServiceRequest/],
    ];
    for (const [meta, body, code, details] of cases) {
      const { error } = await callGrpc("traces", body, meta);
      expect([error?.code, error?.details], JSON.stringify(meta)).toEqual([code, expect.stringMatching(details)]);
    }

    const restore = overrideEnv({ CLEARLOG_INGEST_RATE_PER_SECOND: "0.001", CLEARLOG_INGEST_RATE_BURST: "1" });
    try {
      expect((await callGrpc("traces", oneSpan(), { "x-api-key": key })).error).toBeNull();
      const { error } = await callGrpc("traces", oneSpan(), { "x-api-key": key });
      expect(error?.code).toBe(grpcJs.status.RESOURCE_EXHAUSTED);
      expect(error?.metadata.get("retry-after")[0]).toMatch(/^\d+$/);
    } finally {
      restore();
      resetRateLimits();
    }
    expect(await total()).toBe(before + 1);
    const reasons = Object.fromEntries((await intakeOf(key)).byReason.map((r) => [r.reason, r.requests]));
    expect(reasons).toEqual({ unreadable: 1, rate_limited: 1 });
  });

  it("refuses a message over CLEARLOG_INGEST_MAX_BATCH_BYTES", async () => {
    const restore = overrideEnv({ CLEARLOG_INGEST_MAX_BATCH_BYTES: "2048" });
    const small = await startOtlpGrpcServer({ port: 0, host: "127.0.0.1" });
    const smallClient = new grpcJs.Client(`127.0.0.1:${small.port}`, grpcJs.credentials.createInsecure());
    try {
      const identity = (b: Buffer) => b;
      const { error } = await new Promise<{ error: grpcJs.ServiceError | null }>((resolve) =>
        smallClient.makeUnaryRequest("/opentelemetry.proto.collector.trace.v1.TraceService/Export", identity, identity, Buffer.alloc(4096, 0x0a), new grpcJs.Metadata(), (e) => resolve({ error: e })),
      );
      expect(error?.code).toBe(grpcJs.status.RESOURCE_EXHAUSTED);
    } finally {
      smallClient.close();
      await small.stop();
      restore();
    }
  });
});
