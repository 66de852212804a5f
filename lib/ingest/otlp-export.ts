import "server-only";
import { env } from "../env";
import { SafeError } from "../errors";
import type { ExportResult, OtlpSignal } from "../otlp/codec";
import { ingestEvents } from "./ingest";
import { countIntakeRefusal, IntakeRefusedError } from "./intake-refusals";
import { mapOtlpLogs, mapOtlpTraces, OtlpShapeError, type MappedEvent } from "./otlp";

// One OTLP export, whatever carried it (OTLP/HTTP with JSON or protobuf, OTLP/gRPC): map the request
// (lib/ingest/otlp.ts), run the ingestion pipeline, and say what was rejected and why, as OTLP's
// partial success does. Duplicates and events dropped by a classification rule count as accepted:
// retrying them would change nothing. Whole-request refusals are SafeErrors.
export interface ExportContext {
  keyId: string;
  network: string | null;
  userAgent: string | null;
}

const SIGNALS = {
  logs: { map: mapOtlpLogs, noun: "log record" },
  traces: { map: mapOtlpTraces, noun: "span" },
} as const;

const MAX_LISTED = 5;

/** Where a pipeline field (`events[4].ai.model`) sits in the OTLP body. */
function locate(field: string, index: number, source: string): string {
  const prefix = `events[${index}]`;
  const rest = field.startsWith(prefix) ? field.slice(prefix.length).replace(/^\./, "") : field;
  return rest ? `${source} (${rest})` : source;
}

/** Ingests one decoded export request (the OTLP/JSON shape); the rejected records, counted and named. */
export async function exportOtlp(signal: OtlpSignal, body: unknown, ctx: ExportContext): Promise<ExportResult> {
  const { map, noun } = SIGNALS[signal];
  let mapped: MappedEvent[];
  try {
    mapped = map(body);
  } catch (error) {
    if (error instanceof OtlpShapeError) throw new SafeError(error.message, "invalid");
    throw error;
  }
  const records = new Set(mapped.map((m) => m.source)).size;
  const { CLEARLOG_INGEST_MAX_EVENTS: maxEvents, CLEARLOG_INGEST_MAX_EVENT_BYTES: maxEventBytes } = env();
  if (mapped.length > maxEvents) {
    throw new IntakeRefusedError(
      `The export holds ${mapped.length} events; the limit is ${maxEvents} per request (CLEARLOG_INGEST_MAX_EVENTS): lower the exporter's batch size`,
      "too_large",
      records,
    );
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
  countIntakeRefusal(ctx.keyId, "too_large", { records: rejected.size });
  if (toIngest.length > 0) {
    const result = await ingestEvents(
      toIngest.map((m) => m.event),
      { apiKeyId: ctx.keyId, ip: ctx.network, userAgent: ctx.userAgent },
    );
    result.results.forEach((r, i) => {
      if (r.status !== "rejected") return;
      const source = toIngest[i]!.source;
      rejected.add(source);
      problems.push(`${locate(r.field, i, source)}: ${r.reason}`);
    });
  }
  if (rejected.size === 0) return { rejected: 0 };
  const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : "";
  return { rejected: rejected.size, errorMessage: `${rejected.size} of ${records} ${noun}s rejected: ${problems.slice(0, MAX_LISTED).join("; ")}${more}` };
}
