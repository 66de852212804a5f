import "server-only";
import { mediaType } from "../api/body";
import { apiJson, withApiKey, type ApiContext } from "../api/with-api-key";
import { env } from "../env";
import { SafeError } from "../errors";
import { ingestEvents } from "./ingest";
import { mapOtlpLogs, mapOtlpTraces, OtlpShapeError, type MappedEvent } from "./otlp";

// The OTLP/HTTP endpoints (POST /api/v1/otlp/v1/logs and /traces): authenticate like every ingest
// route (lib/api/with-api-key.ts), read OTLP/JSON (optionally gzip-compressed), map it
// (lib/ingest/otlp.ts), run the ingestion pipeline, and answer as the OTLP specification says: 200 with `{}` when everything was accepted,
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

async function otlpJson(ctx: ApiContext): Promise<unknown> {
  const type = mediaType(ctx.request);
  if (type !== "application/json") throw new SafeError(`${PROTOBUF_MESSAGE}; received ${type.slice(0, 60) || "no Content-Type"}`, "unsupported_media");
  return ctx.json();
}

/** Where a pipeline field (`events[4].ai.model`) sits in the OTLP body. */
function locate(field: string, index: number, source: string): string {
  const prefix = `events[${index}]`;
  const rest = field.startsWith(prefix) ? field.slice(prefix.length).replace(/^\./, "") : field;
  return rest ? `${source} (${rest})` : source;
}

/** The OTLP/HTTP route for one signal: `export const POST = otlpRoute("logs")`. */
export function otlpRoute(signal: OtlpSignal) {
  return withApiKey("ingest", (ctx) => handleOtlp(ctx, signal));
}

async function handleOtlp(ctx: ApiContext, signal: OtlpSignal): Promise<Response> {
  const { map, counter, noun } = SIGNALS[signal];
  const body = await otlpJson(ctx);
  let mapped: MappedEvent[];
  try {
    mapped = map(body);
  } catch (error) {
    if (error instanceof OtlpShapeError) throw new SafeError(error.message, "invalid");
    throw error;
  }
  const { CLEARLOG_INGEST_MAX_EVENTS: maxEvents, CLEARLOG_INGEST_MAX_EVENT_BYTES: maxEventBytes } = env();
  if (mapped.length > maxEvents) {
    throw new SafeError(`The export holds ${mapped.length} events; the limit is ${maxEvents} per request (CLEARLOG_INGEST_MAX_EVENTS): lower the exporter's batch size`, "too_large");
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
      { apiKeyId: ctx.key.keyId, ip: ctx.network, userAgent: ctx.request.headers.get("user-agent") },
    );
    result.results.forEach((r, i) => {
      if (r.status !== "rejected") return;
      const source = toIngest[i]!.source;
      rejected.add(source);
      problems.push(`${locate(r.field, i, source)}: ${r.reason}`);
    });
  }
  if (rejected.size === 0) return apiJson({});

  const records = new Set(mapped.map((m) => m.source)).size;
  const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : "";
  const errorMessage = `${rejected.size} of ${records} ${noun}s rejected: ${problems.slice(0, MAX_LISTED).join("; ")}${more}`;
  return apiJson({ partialSuccess: { [counter]: rejected.size, errorMessage } });
}
