import "server-only";
import { env } from "../env";
import { SafeError } from "../errors";
import { jsonBytes } from "./sanitize";
import { IntakeRefusedError } from "./intake-refusals";

/** The events of a `{ "events": [...] }` body, within the batch's count and per-event size limits. */
export function acceptEventBatch(body: unknown): unknown[] {
  const events = (body as { events?: unknown } | null)?.events;
  if (!body || typeof body !== "object" || !Array.isArray(events)) {
    throw new SafeError("Body must be a JSON object with an `events` array", "invalid", { field: "events" });
  }
  const { CLEARLOG_INGEST_MAX_EVENTS: maxEvents, CLEARLOG_INGEST_MAX_EVENT_BYTES: maxEventBytes } = env();
  if (events.length === 0) throw new SafeError("`events` is empty: send at least one event", "invalid", { field: "events" });
  if (events.length > maxEvents) {
    throw new IntakeRefusedError(`Batch has ${events.length} events; the limit is ${maxEvents} per batch (CLEARLOG_INGEST_MAX_EVENTS)`, "too_large", events.length, { field: "events" });
  }
  events.forEach((event, i) => {
    // Too deep to measure: the pipeline rejects that one event, naming the field.
    const size = jsonBytes(event);
    if (size !== null && size > maxEventBytes) {
      throw new IntakeRefusedError(`events[${i}] is ${size} bytes; the limit is ${maxEventBytes} bytes per event (CLEARLOG_INGEST_MAX_EVENT_BYTES)`, "too_large", events.length, { field: `events[${i}]` });
    }
  });
  return events;
}
