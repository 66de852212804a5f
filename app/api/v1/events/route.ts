import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { acceptJson, CORS_HEADERS, failure, HttpError, preflight, requestIp } from "@/lib/ingest/http";
import { ingestEvents } from "@/lib/ingest/ingest";
import type { BatchResponse } from "@clearlog/sdk";

export const dynamic = "force-dynamic";

export const OPTIONS = preflight;

/** POST a batch `{ "events": [...] }` with an API key holding the `ingest` scope (docs/ingestion.md). */
export async function POST(request: NextRequest) {
  try {
    const { keyId, body } = await acceptJson(request, "ingest");
    const events = (body as { events?: unknown } | null)?.events;
    if (!body || typeof body !== "object" || !Array.isArray(events)) {
      throw new HttpError(400, "Body must be a JSON object with an `events` array");
    }
    const { CLEARLOG_INGEST_MAX_EVENTS: maxEvents, CLEARLOG_INGEST_MAX_EVENT_BYTES: maxEventBytes } = env();
    if (events.length === 0) throw new HttpError(400, "`events` is empty: send at least one event");
    if (events.length > maxEvents) {
      throw new HttpError(413, `Batch has ${events.length} events; the limit is ${maxEvents} per batch (CLEARLOG_INGEST_MAX_EVENTS)`);
    }
    events.forEach((event, i) => {
      const size = Buffer.byteLength(JSON.stringify(event) ?? "");
      if (size > maxEventBytes) {
        throw new HttpError(413, `events[${i}] is ${size} bytes; the limit is ${maxEventBytes} bytes per event (CLEARLOG_INGEST_MAX_EVENT_BYTES)`);
      }
    });
    const result = await ingestEvents(events, { apiKeyId: keyId, ip: requestIp(request), userAgent: request.headers.get("user-agent") });
    const status = result.rejected === 0 ? 200 : result.rejected === events.length ? 400 : 207;
    return NextResponse.json<BatchResponse>(result, { status, headers: CORS_HEADERS });
  } catch (error) {
    return failure(error, "api/v1/events");
  }
}
