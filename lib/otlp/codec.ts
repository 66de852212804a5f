import "server-only";
import path from "node:path";
import protobuf from "protobufjs";
import { SafeError, type ErrorCode } from "../errors";

// OTLP's binary encoding, through protobufjs and the official .proto files (lib/otlp/proto, see its
// README). A protobuf export request is decoded into exactly the shape of OTLP/JSON — lowerCamelCase
// field names, trace and span ids in hex, 64-bit integers as decimal strings, enums as numbers, an
// AnyValue as the one member it holds — so lib/ingest/otlp.ts maps both encodings with one mapper.
export type OtlpSignal = "logs" | "traces";

const PROTO_DIR = path.join(process.cwd(), "lib", "otlp", "proto");

const SERVICES = {
  traces: {
    file: "opentelemetry/proto/collector/trace/v1/trace_service.proto",
    service: "opentelemetry.proto.collector.trace.v1.TraceService",
    request: "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest",
    response: "opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse",
    counter: "rejectedSpans",
  },
  logs: {
    file: "opentelemetry/proto/collector/logs/v1/logs_service.proto",
    service: "opentelemetry.proto.collector.logs.v1.LogsService",
    request: "opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest",
    response: "opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse",
    counter: "rejectedLogRecords",
  },
} as const;

let root: protobuf.Root | undefined;

function otlpRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  // Imports in the .proto files are relative to the proto root (`opentelemetry/proto/...`).
  r.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
  r.loadSync([SERVICES.traces.file, SERVICES.logs.file], { keepCase: false });
  // google.rpc.Status, the body of an OTLP/HTTP error answer in the binary encoding (fields 1 and 2
  // of google/rpc/status.proto; `details` is not sent).
  r.define("google.rpc").add(new protobuf.Type("Status").add(new protobuf.Field("code", 1, "int32")).add(new protobuf.Field("message", 2, "string")));
  r.resolveAll();
  return (root = r);
}

/** The service as the official definition names it, e.g. `opentelemetry.proto.collector.trace.v1.TraceService`. */
export function otlpService(signal: OtlpSignal): { name: string; method: string } {
  const service = otlpRoot().lookupService(SERVICES[signal].service);
  return { name: service.fullName.replace(/^\./, ""), method: service.methods.Export!.name };
}

const ID_KEYS = new Set(["traceId", "spanId", "parentSpanId"]);

/** Trace and span ids (bytes, base64 after toObject) become hex, as OTLP/JSON writes them; anything else is left as it is. */
function hexIds(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) hexIds(item);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const obj = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(obj)) {
    if (ID_KEYS.has(key) && typeof v === "string") obj[key] = Buffer.from(v, "base64").toString("hex");
    else if (key === "resourceSpans" || key === "scopeSpans" || key === "spans" || key === "links" || key === "resourceLogs" || key === "scopeLogs" || key === "logRecords") {
      hexIds(v);
    }
  }
}

/** An ExportTraceServiceRequest / ExportLogsServiceRequest in the protobuf encoding, as OTLP/JSON. Throws an "invalid" SafeError for bytes that are not one. */
export function decodeExportRequest(signal: OtlpSignal, bytes: Uint8Array): unknown {
  const type = otlpRoot().lookupType(SERVICES[signal].request);
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch {
    // protobufjs' message names the offset and wire type only, never the content; still, say it in our words.
    throw new SafeError(`The body is not a valid protobuf ${type.name} (Content-Type: application/x-protobuf)`, "invalid");
  }
  const object = type.toObject(message, { longs: String, enums: Number, bytes: String, defaults: false, json: true });
  hexIds(object);
  return object;
}

export interface ExportResult {
  /** records refused (spans or log records) */
  rejected: number;
  errorMessage?: string;
}

/** The OTLP answer as JSON: `{}` or `{ partialSuccess: { rejectedSpans, errorMessage } }`. */
export function exportResponseJson(signal: OtlpSignal, result: ExportResult): Record<string, unknown> {
  if (result.rejected === 0 && !result.errorMessage) return {};
  return { partialSuccess: { [SERVICES[signal].counter]: result.rejected, errorMessage: result.errorMessage ?? "" } };
}

/** The same answer in the protobuf encoding (ExportTraceServiceResponse / ExportLogsServiceResponse). */
export function encodeExportResponse(signal: OtlpSignal, result: ExportResult): Uint8Array {
  const type = otlpRoot().lookupType(SERVICES[signal].response);
  return type.encode(type.fromObject(exportResponseJson(signal, result))).finish();
}

/** Parses an encoded response again (for tests and the benchmark's client side). */
export function decodeExportResponse(signal: OtlpSignal, bytes: Uint8Array): Record<string, unknown> {
  const type = otlpRoot().lookupType(SERVICES[signal].response);
  return type.toObject(type.decode(bytes), { longs: Number, defaults: false });
}

/** google.rpc.Code for each domain error code (OTLP/gRPC statuses and the Status body of OTLP/HTTP errors). */
export const GRPC_CODE_OF: Record<ErrorCode | "internal", number> = {
  invalid: 3, // INVALID_ARGUMENT
  unauthenticated: 16, // UNAUTHENTICATED
  forbidden: 7, // PERMISSION_DENIED
  not_found: 5, // NOT_FOUND
  conflict: 10, // ABORTED
  too_large: 3, // INVALID_ARGUMENT: the same export will never fit, so it must not be retried
  unsupported_media: 3, // INVALID_ARGUMENT
  refused: 9, // FAILED_PRECONDITION
  throttled: 8, // RESOURCE_EXHAUSTED
  internal: 14, // UNAVAILABLE: retryable, nothing was stored
};

/** A google.rpc.Status in the protobuf encoding. */
export function encodeStatus(code: number, message: string): Uint8Array {
  const type = otlpRoot().lookupType("google.rpc.Status");
  return type.encode(type.create({ code, message })).finish();
}

export function decodeStatus(bytes: Uint8Array): { code?: number; message?: string } {
  const type = otlpRoot().lookupType("google.rpc.Status");
  return type.toObject(type.decode(bytes)) as { code?: number; message?: string };
}
