import "server-only";
import { NextResponse } from "next/server";
import { env } from "../env";
import { acceptJson, CORS_HEADERS, failure, HttpError, requestIp, type Authorized } from "./http";
import { ingestEvents } from "./ingest";
import { mapOtlpLogs, mapOtlpTraces, OtlpShapeError, type MappedEvent } from "./otlp";

// The OTLP/HTTP endpoints (POST /api/v1/otlp/v1/logs and /traces): authenticate like every ingest
// route, read OTLP/JSON (optionally gzip-compressed), map it (lib/ingest/otlp.ts), run the ingestion
// pipeline, and answer as the OTLP specification says: 200 with `{}` when everything was accepted,
// 200 with `partialSuccess` (how many records were rejected and why) when some were. Duplicates and
// events dropped by a classification rule count as accepted: retrying them would change nothing.
export type OtlpSignal = "logs" | "traces";

const SIGNALS = {
  logs: { map: mapOtlpLogs, counter: "rejectedLogRecords", noun: "log record" },
  traces: { map: mapOtlpTraces, counter: "rejectedSpans", noun: "span" },
} as const;

const MAX_LISTED = 5;

const PROTOBUF_MESSAGE =
  "Content-Type must be application/json: Clearlog accepts OTLP/HTTP with JSON encoding only (protobuf is not supported). " +
  "Set the exporter protocol to http/json (OTEL_EXPORTER_OTLP_PROTOCOL=http/json)";

/** A copy of the request whose body is `body` (the original headers, minus the encoding and length). */
function withBody(request: Request, body: ReadableStream<Uint8Array>): Request {
  const headers = new Headers(request.headers);
  headers.delete("content-encoding");
  headers.delete("content-length");
  return new Request(request.url, { method: request.method, headers, body, duplex: "half" } as RequestInit);
}

/** A stream that fails with `error` when read: acceptJson authenticates before it reads the body. */
function failing(error: HttpError): ReadableStream<Uint8Array> {
  return new ReadableStream({ pull: (controller) => controller.error(error) });
}

function gunzip(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = source.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>).getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch {
        controller.error(new HttpError(400, "The body is not valid gzip (Content-Encoding: gzip)"));
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** acceptJson, plus gzip bodies (the size limit applies to the decompressed JSON) and OTLP-specific 415s. */
async function acceptOtlpJson(request: Request): Promise<Authorized> {
  const encoding = (request.headers.get("content-encoding") ?? "").trim().toLowerCase();
  let req = request;
  if (request.body && encoding === "gzip") req = withBody(request, gunzip(request.body));
  else if (request.body && encoding !== "" && encoding !== "identity") {
    req = withBody(request, failing(new HttpError(415, `Content-Encoding ${encoding} is not supported; send the body uncompressed or with gzip`)));
  }
  try {
    return await acceptJson(req, "ingest");
  } catch (error) {
    const type = request.headers.get("content-type") ?? "";
    if (error instanceof HttpError && error.status === 415 && !/^application\/json\b/i.test(type)) {
      throw new HttpError(415, `${PROTOBUF_MESSAGE}; received ${type.split(";")[0] || "no Content-Type"}`);
    }
    throw error;
  }
}

/** Where a pipeline field (`events[4].ai.model`) sits in the OTLP body. */
function locate(field: string, index: number, source: string): string {
  const prefix = `events[${index}]`;
  const rest = field.startsWith(prefix) ? field.slice(prefix.length).replace(/^\./, "") : field;
  return rest ? `${source} (${rest})` : source;
}

export async function handleOtlp(request: Request, signal: OtlpSignal): Promise<Response> {
  const { map, counter, noun } = SIGNALS[signal];
  try {
    const { keyId, body } = await acceptOtlpJson(request);
    let mapped: MappedEvent[];
    try {
      mapped = map(body);
    } catch (error) {
      if (error instanceof OtlpShapeError) throw new HttpError(400, error.message);
      throw error;
    }
    const { CLEARLOG_INGEST_MAX_EVENTS: maxEvents, CLEARLOG_INGEST_MAX_EVENT_BYTES: maxEventBytes } = env();
    if (mapped.length > maxEvents) {
      throw new HttpError(413, `The export holds ${mapped.length} events; the limit is ${maxEvents} per request (CLEARLOG_INGEST_MAX_EVENTS): lower the exporter's batch size`);
    }

    const rejected = new Set<string>();
    const problems: string[] = [];
    const toIngest: MappedEvent[] = [];
    for (const m of mapped) {
      const size = Buffer.byteLength(JSON.stringify(m.event) ?? "");
      if (size <= maxEventBytes) toIngest.push(m);
      else {
        rejected.add(m.source);
        problems.push(`${m.source}: is ${size} bytes; the limit is ${maxEventBytes} bytes per event (CLEARLOG_INGEST_MAX_EVENT_BYTES)`);
      }
    }
    if (toIngest.length > 0) {
      const result = await ingestEvents(
        toIngest.map((m) => m.event),
        { apiKeyId: keyId, ip: requestIp(request), userAgent: request.headers.get("user-agent") },
      );
      result.results.forEach((r, i) => {
        if (r.status !== "rejected") return;
        const source = toIngest[i]!.source;
        rejected.add(source);
        problems.push(`${locate(r.field, i, source)}: ${r.reason}`);
      });
    }
    if (rejected.size === 0) return NextResponse.json({}, { status: 200, headers: CORS_HEADERS });

    const records = new Set(mapped.map((m) => m.source)).size;
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : "";
    const errorMessage = `${rejected.size} of ${records} ${noun}s rejected: ${problems.slice(0, MAX_LISTED).join("; ")}${more}`;
    return NextResponse.json({ partialSuccess: { [counter]: rejected.size, errorMessage } }, { status: 200, headers: CORS_HEADERS });
  } catch (error) {
    return failure(error, `api/v1/otlp/v1/${signal}`);
  }
}
