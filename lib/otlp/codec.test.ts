import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { SafeError } from "../errors";
import { mapOtlpLogs, mapOtlpTraces } from "../ingest/otlp";
import { decodeExportRequest, decodeStatus, encodeExportResponse, encodeStatus, exportResponseJson } from "./codec";

// The protobuf path must give the mapper exactly what the JSON path gives it: the same records,
// serialized by OpenTelemetry's own serializers in both encodings, map to identical events.
const resource = resourceFromAttributes({ "service.name": "checkout", "deployment.environment": "prod", "build.number": 2 ** 40 });

function spans() {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer("codec-test", "1.0.0");
  const parent = tracer.startSpan("chat gpt-4o", {
    kind: SpanKind.CLIENT,
    attributes: {
      "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 120, "gen_ai.usage.output_tokens": 36,
      "user.id": "u-1", "session.id": "s-1", temperature: 0.25, streamed: false, tags: ["a", "b"], "big.int": 9_007_199_254_740_993n as unknown as number,
    },
  });
  parent.addEvent("gen_ai.content.prompt", { "gen_ai.prompt": "Hello" });
  parent.end();
  const failed = tracer.startSpan("GET /orders/:id", { kind: SpanKind.SERVER, attributes: { "http.request.method": "GET", "http.route": "/orders/:id", "http.response.status_code": 500 } });
  failed.recordException(new TypeError("order is undefined"));
  failed.setStatus({ code: SpanStatusCode.ERROR, message: "boom" });
  failed.end();
  return memory.getFinishedSpans();
}

function logRecords() {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger("codec-logger");
  logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: "ERROR", body: "Charge failed", attributes: { "exception.type": "CardDeclined", "order.id": 1234 } });
  logger.emit({ severityNumber: SeverityNumber.INFO, body: { structured: true, count: 2 }, eventName: "invoice.sent", attributes: { "session.id": "s-2" } });
  logger.emit({ body: "" });
  return memory.getFinishedLogRecords();
}

const json = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes)) as unknown;

describe("OTLP protobuf codec", () => {
  it("decodes an ExportTraceServiceRequest into the OTLP/JSON shape, so both encodings map to the same events", () => {
    const s = spans();
    const fromProto = decodeExportRequest("traces", ProtobufTraceSerializer.serializeRequest(s)!);
    const fromJson = json(JsonTraceSerializer.serializeRequest(s));
    const events = mapOtlpTraces(fromProto);
    expect(events).toEqual(mapOtlpTraces(fromJson));
    expect(events).toHaveLength(3);
    const span = (fromProto as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] }).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.startTimeUnixNano).toMatch(/^\d{19}$/);
    expect(span.kind).toBe(3);
  });

  it("decodes an ExportLogsServiceRequest the same way (severity enums, structured bodies, large ints)", () => {
    const r = logRecords();
    const fromProto = decodeExportRequest("logs", ProtobufLogsSerializer.serializeRequest(r)!);
    const events = mapOtlpLogs(fromProto);
    expect(events).toEqual(mapOtlpLogs(json(JsonLogsSerializer.serializeRequest(r))));
    expect(events.map((e) => (e.event as { type: string }).type)).toEqual(["error", "system", "system"]);
    expect((events[0]!.event as { attributes: { resource: Record<string, unknown> } }).attributes.resource["build.number"]).toBe(2 ** 40);
  });

  it("refuses bytes that are not a protobuf export request with an invalid SafeError", () => {
    for (const garbage of [Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), new TextEncoder().encode('{"resourceSpans":[]}'), Uint8Array.from([0x0f])]) {
      expect(() => decodeExportRequest("traces", garbage)).toThrow(SafeError);
      expect(() => decodeExportRequest("traces", garbage)).toThrow(/not a valid protobuf ExportTraceServiceRequest/);
    }
    expect(decodeExportRequest("logs", new Uint8Array(0))).toEqual({});
  });

  it("encodes partial success as OpenTelemetry's own deserializer reads it, and nothing for full success", () => {
    expect(encodeExportResponse("traces", { rejected: 0 })).toHaveLength(0);
    expect(exportResponseJson("logs", { rejected: 0 })).toEqual({});
    const traces = ProtobufTraceSerializer.deserializeResponse(encodeExportResponse("traces", { rejected: 2, errorMessage: "2 of 5 spans rejected" }));
    expect(traces.partialSuccess).toMatchObject({ errorMessage: "2 of 5 spans rejected" });
    expect(Number(traces.partialSuccess!.rejectedSpans)).toBe(2);
    const logs = ProtobufLogsSerializer.deserializeResponse(encodeExportResponse("logs", { rejected: 1, errorMessage: "old" }));
    expect(Number(logs.partialSuccess!.rejectedLogRecords)).toBe(1);
    expect(exportResponseJson("logs", { rejected: 1, errorMessage: "old" })).toEqual({ partialSuccess: { rejectedLogRecords: 1, errorMessage: "old" } });
    expect(decodeStatus(encodeStatus(16, "Invalid or revoked API key"))).toEqual({ code: 16, message: "Invalid or revoked API key" });
  });
});
