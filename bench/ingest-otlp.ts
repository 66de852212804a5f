import { SpanKind } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { WireEvent } from "@clearlog/sdk";

// The OTLP leg of bench/ingest.ts: the same events sent as an application instrumented with
// OpenTelemetry would send them, through the official SDK and the -proto exporters (OTLP/HTTP,
// protobuf, batches of 500): AI interactions and API requests as spans, the rest as log records.
type Client = { tracer: ReturnType<BasicTracerProvider["getTracer"]>; logger: ReturnType<LoggerProvider["getLogger"]>; flush(): Promise<void> };

function client(baseUrl: string, apiKey: string, queue: number): Client {
  const headers = { "x-api-key": apiKey };
  // forceFlush sends every queued batch at once; on a loaded machine some wait longer than the
  // exporters' default 10 s and the processors' 30 s.
  const timeoutMillis = 120_000;
  const batch = { maxExportBatchSize: 500, maxQueueSize: queue, scheduledDelayMillis: 20, exportTimeoutMillis: timeoutMillis };
  const resource = resourceFromAttributes({ "service.name": "bench-app" });
  const traces = new BasicTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${baseUrl}/api/v1/otlp/v1/traces`, headers, timeoutMillis }), batch)],
  });
  const logs = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${baseUrl}/api/v1/otlp/v1/logs`, headers, timeoutMillis }), ...batch })],
  });
  return {
    tracer: traces.getTracer("bench"),
    logger: logs.getLogger("bench"),
    async flush() {
      await Promise.all([traces.forceFlush(), logs.forceFlush()]);
      await Promise.all([traces.shutdown(), logs.shutdown()]);
    },
  };
}

function emit(c: Client, e: WireEvent): void {
  const at = new Date(e.timestamp);
  const common = { "user.id": e.subject!, "session.id": e.sessionId!, "clearlog.component": e.component! };
  if (e.type === "ai_interaction") {
    const ai = e.ai!;
    c.tracer
      .startSpan(`chat ${ai.model}`, {
        kind: SpanKind.CLIENT,
        startTime: at,
        attributes: {
          ...common, "gen_ai.provider.name": ai.provider!, "gen_ai.request.model": ai.model, "gen_ai.operation.name": "chat",
          "gen_ai.usage.input_tokens": ai.inputTokens!, "gen_ai.usage.output_tokens": ai.outputTokens!, "gen_ai.prompt": ai.prompt!, "gen_ai.completion": ai.response!,
        },
      })
      .end(new Date(at.getTime() + (ai.latencyMs ?? 0)));
  } else if (e.type === "api_request") {
    const h = e.http!;
    c.tracer
      .startSpan(`${h.method} ${h.route}`, {
        kind: SpanKind.SERVER,
        startTime: at,
        attributes: { ...common, "http.request.method": h.method, "http.route": h.route, "http.response.status_code": h.status, "http.request.body.size": h.requestSize!, "http.response.body.size": h.responseSize! },
      })
      .end(new Date(at.getTime() + (h.durationMs ?? 0)));
  } else if (e.type === "error") {
    const x = e.error!;
    c.logger.emit({ timestamp: at, severityNumber: SeverityNumber.ERROR, body: x.message, attributes: { ...common, "exception.type": x.name!, "exception.message": x.message, "exception.stacktrace": x.stack! } });
  } else if (e.type === "user_action") {
    c.logger.emit({ timestamp: at, severityNumber: SeverityNumber.INFO, eventName: e.action, attributes: { ...common, "clearlog.type": "user_action", ...(e.attributes as Record<string, string | number>) } });
  } else {
    c.logger.emit({ timestamp: at, severityNumber: SeverityNumber.INFO, eventName: e.name, body: e.message });
  }
}

/** Sends `events` from `clients` instrumented application instances at once; the time until all are exported. */
export async function timeOtlpProtobuf(baseUrl: string, apiKey: string, events: WireEvent[], clients: number): Promise<number> {
  const all = Array.from({ length: clients }, () => client(baseUrl, apiKey, events.length + 1));
  const start = performance.now();
  for (let i = 0; i < events.length; i++) {
    emit(all[i % clients]!, events[i]!);
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(all.map((c) => c.flush()));
  return performance.now() - start;
}
