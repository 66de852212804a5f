import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../db/client";
import { ensureLogPartitions } from "../db/partitions";
import { decodeCursor, encodeCursor } from "./cursor";
import { eventDetail } from "./event-detail";
import { filtersSchema } from "./filters";
import { eventsSince, listEvents } from "./query";

// The explorer's reads (lib/logs/query.ts, lib/logs/event-detail.ts) over events inserted directly.
// Filters are parsed from URL-style parameters, as the route does. The full-text search has its own
// file (search.db.test.ts).
const NOW = new Date("2025-06-15T12:00:00.000Z");
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const S1 = "1".repeat(64);
const S2 = "2".repeat(64);
const S3 = "3".repeat(64);

interface Ev {
  id: string;
  at: Date;
  type?: string;
  severity?: string;
  name?: string;
  message?: string | null;
  component?: string | null;
  classification?: string;
  subject?: string | null;
  session?: string | null;
  model?: string | null;
  status?: number | null;
  errorType?: string | null;
  apiKeyId?: string | null;
  payload?: unknown;
}

async function insertEvents(events: Ev[]) {
  const { pool } = database();
  const times = events.map((e) => e.at.getTime());
  await ensureLogPartitions(pool, new Date(Math.min(...times)), new Date(Math.max(...times)));
  for (const e of events) {
    await pool.query(
      `INSERT INTO system_logs (event_id, occurred_at, type, severity, name, message, component, classification, subject_pseudonym, session_id,
         gen_ai_request_model, http_request_method, http_route, http_response_status_code, http_duration_ms, error_type, api_key_id, categories, payload)
       VALUES ($1, $2, $3::"EventType", $4::"Severity", $5, $6, $7, $8::"Classification", $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19::jsonb)`,
      [
        e.id,
        e.at,
        e.type ?? "user_action",
        e.severity ?? "info",
        e.name ?? "test.event",
        e.message ?? null,
        e.component ?? null,
        e.classification ?? "internal",
        e.subject ?? null,
        e.session ?? null,
        e.model ?? null,
        e.status ? "GET" : null,
        e.status ? "/api/orders" : null,
        e.status ?? null,
        e.status ? 12 : null,
        e.errorType ?? null,
        e.apiKeyId ?? null,
        ["test.category"],
        JSON.stringify(e.payload ?? {}),
      ],
    );
  }
}

const T30 = ago(30 * MIN);
const EVENTS: Ev[] = [
  { id: "q-01", at: ago(10 * MIN), type: "api_request", component: "checkout", status: 200, subject: S1, session: "sess-a" },
  { id: "q-02", at: ago(20 * MIN), type: "api_request", severity: "warn", component: "checkout", status: 404, subject: S2 },
  // three events on the same instant: ordered by id, newest first
  { id: "q-03", at: T30, type: "api_request", severity: "error", component: "payments", status: 500, subject: S1, session: "sess-a", apiKeyId: "00000000-0000-4000-8000-000000000001" },
  { id: "q-04", at: T30, type: "api_request", severity: "error", component: "payments", status: 503, classification: "confidential" },
  { id: "q-05", at: T30, type: "error", severity: "error", name: "payment.failed", errorType: "CardDeclinedError", component: "payments", message: "card declined", subject: S1, session: "sess-a" },
  { id: "q-06", at: ago(2 * HOUR), type: "ai_interaction", component: "assistant", classification: "confidential", model: "gpt-4o", subject: S2, session: "sess-b" },
  { id: "q-07", at: ago(5 * HOUR), type: "ai_interaction", component: "assistant", classification: "restricted", model: "claude-3" },
  { id: "q-08", at: ago(12 * HOUR), type: "system", severity: "debug", name: "cache.miss", component: "cache", classification: "public" },
  { id: "q-09", at: ago(23 * HOUR), name: "checkout.started", component: "web", subject: S3 },
  { id: "q-10", at: ago(2 * DAY), component: "checkout", subject: S1, session: "sess-a" },
  { id: "q-11", at: ago(10 * DAY), type: "error", severity: "fatal", component: "payments", status: 502 },
  { id: "q-12", at: ago(40 * DAY), component: "checkout", subject: S1 },
  // after `now`: outside every window
  { id: "q-13", at: new Date(NOW.getTime() + MIN), type: "api_request", component: "checkout", status: 500, subject: S1, session: "sess-a" },
];
const LAST_24H = ["q-01", "q-02", "q-05", "q-04", "q-03", "q-06", "q-07", "q-08", "q-09"];

async function ids(params: Record<string, string>, now = NOW): Promise<string[]> {
  const page = await listEvents(filtersSchema.parse(params), null, 100, now);
  expect(page.nextCursor).toBeNull();
  return page.events.map((e) => e.eventId);
}

beforeAll(async () => {
  await insertEvents(EVENTS);
});

describe("listEvents filters", () => {
  it("returns the last 24 hours newest first, ties by event id, and nothing after now", async () => {
    expect(await ids({})).toEqual(LAST_24H);
    const page = await listEvents(filtersSchema.parse({}), null, 100, NOW);
    expect(page.events[0]).toEqual({
      eventId: "q-01",
      occurredAt: ago(10 * MIN).toISOString(),
      type: "api_request",
      severity: "info",
      name: "test.event",
      message: null,
      component: "checkout",
      classification: "internal",
      categories: ["test.category"],
      subject: S1,
      sessionId: "sess-a",
      model: null,
      provider: null,
      inputTokens: null,
      outputTokens: null,
      costUsd: null,
      httpMethod: "GET",
      httpRoute: "/api/orders",
      httpStatus: 200,
      durationMs: 12,
      errorType: null,
      trainingExcluded: false,
    });
  });

  it("widens and narrows with the time range", async () => {
    expect(await ids({ range: "15m" })).toEqual(["q-01"]);
    expect(await ids({ range: "1h" })).toEqual(["q-01", "q-02", "q-05", "q-04", "q-03"]);
    expect(await ids({ range: "7d" })).toEqual([...LAST_24H, "q-10"]);
    expect(await ids({ range: "30d" })).toEqual([...LAST_24H, "q-10", "q-11"]);
    expect(await ids({ range: "custom", from: ago(3 * DAY).toISOString(), to: ago(3 * HOUR).toISOString() })).toEqual(["q-07", "q-08", "q-09", "q-10"]);
    // Both ends are inclusive.
    expect(await ids({ range: "custom", from: T30.toISOString(), to: T30.toISOString() })).toEqual(["q-05", "q-04", "q-03"]);
    expect(await ids({ range: "custom", from: ago(50 * DAY).toISOString(), to: ago(30 * DAY).toISOString() })).toEqual(["q-12"]);
  });

  it("filters by type, severity and classification lists", async () => {
    expect(await ids({ type: "api_request" })).toEqual(["q-01", "q-02", "q-04", "q-03"]);
    expect(await ids({ type: "api_request,error" })).toEqual(["q-01", "q-02", "q-05", "q-04", "q-03"]);
    expect(await ids({ type: "system" })).toEqual(["q-08"]);
    expect(await ids({ severity: "error" })).toEqual(["q-05", "q-04", "q-03"]);
    expect(await ids({ severity: "warn,debug" })).toEqual(["q-02", "q-08"]);
    expect(await ids({ severity: "fatal" })).toEqual([]);
    expect(await ids({ classification: "confidential" })).toEqual(["q-04", "q-06"]);
    expect(await ids({ classification: "public,restricted" })).toEqual(["q-07", "q-08"]);
  });

  it("filters by component, subject, session and model, exactly", async () => {
    expect(await ids({ component: "payments" })).toEqual(["q-05", "q-04", "q-03"]);
    expect(await ids({ component: "pay" })).toEqual([]);
    expect(await ids({ subject: S1 })).toEqual(["q-01", "q-05", "q-03"]);
    expect(await ids({ subject: S3 })).toEqual(["q-09"]);
    expect(await ids({ subject: "f".repeat(64) })).toEqual([]);
    expect(await ids({ session: "sess-a" })).toEqual(["q-01", "q-05", "q-03"]);
    expect(await ids({ model: "gpt-4o" })).toEqual(["q-06"]);
  });

  it("filters by an exact HTTP status or a status class", async () => {
    expect(await ids({ status: "5xx" })).toEqual(["q-04", "q-03"]);
    expect(await ids({ status: "503" })).toEqual(["q-04"]);
    expect(await ids({ status: "404" })).toEqual(["q-02"]);
    expect(await ids({ status: "4xx" })).toEqual(["q-02"]);
    expect(await ids({ status: "2xx" })).toEqual(["q-01"]);
    expect(await ids({ status: "3xx" })).toEqual([]);
    expect(await ids({ status: "5xx", range: "30d" })).toEqual(["q-04", "q-03", "q-11"]);
  });

  it("combines filters with AND", async () => {
    expect(await ids({ type: "api_request", component: "payments", status: "5xx", classification: "internal" })).toEqual(["q-03"]);
    expect(await ids({ range: "7d", component: "checkout", subject: S1 })).toEqual(["q-01", "q-10"]);
    expect(await ids({ range: "30d", session: "sess-a", type: "api_request,error", severity: "error" })).toEqual(["q-05", "q-03"]);
    expect(await ids({ type: "ai_interaction", model: "claude-3", classification: "confidential" })).toEqual([]);
  });
});

describe("listEvents paging", () => {
  async function walk(params: Record<string, string>, limit: number) {
    const pages: string[][] = [];
    let cursor = null;
    for (let i = 0; i < 20; i++) {
      const page = await listEvents(filtersSchema.parse(params), cursor, limit, NOW);
      pages.push(page.events.map((e) => e.eventId));
      if (!page.nextCursor) break;
      // The cursor is the last row's position, opaque to the client.
      const last = page.events.at(-1)!;
      expect(page.nextCursor).toBe(encodeCursor({ at: new Date(last.occurredAt), id: last.eventId }));
      cursor = decodeCursor(page.nextCursor);
    }
    return pages;
  }

  it("walks every row exactly once in pages of 3, splitting ties on the timestamp, and ends with no cursor", async () => {
    expect(await walk({}, 3)).toEqual([
      ["q-01", "q-02", "q-05"],
      ["q-04", "q-03", "q-06"],
      ["q-07", "q-08", "q-09"],
    ]);
    expect((await walk({ range: "30d" }, 3)).flat()).toEqual([...LAST_24H, "q-10", "q-11"]);
    expect(await walk({ range: "30d" }, 4)).toEqual([
      ["q-01", "q-02", "q-05", "q-04"],
      ["q-03", "q-06", "q-07", "q-08"],
      ["q-09", "q-10", "q-11"],
    ]);
  });

  it("keeps the filters while paging", async () => {
    expect(await walk({ range: "30d", component: "payments" }, 2)).toEqual([["q-05", "q-04"], ["q-03", "q-11"]]);
    expect(await walk({ type: "system" }, 3)).toEqual([["q-08"]]);
  });

  it("pages through a run of events that all share one instant", async () => {
    const at = new Date("2025-04-01T09:00:00.000Z");
    const tied = Array.from({ length: 8 }, (_, i) => ({ id: `tie-${i}`, at, component: "tied" }));
    await insertEvents([...tied].reverse());
    const now = new Date(at.getTime() + HOUR);
    const pages: string[][] = [];
    let cursor = null;
    for (let i = 0; i < 10; i++) {
      const page = await listEvents(filtersSchema.parse({ component: "tied" }), cursor, 3, now);
      pages.push(page.events.map((e) => e.eventId));
      cursor = decodeCursor(page.nextCursor);
      if (!cursor) break;
    }
    expect(pages).toEqual([
      ["tie-7", "tie-6", "tie-5"],
      ["tie-4", "tie-3", "tie-2"],
      ["tie-1", "tie-0"],
    ]);
  });
});

describe("eventsSince", () => {
  it("returns only events newer than the position, newest first, and not those after now", async () => {
    const since = (params: Record<string, string>, id: string, at: Date, limit = 100) =>
      eventsSince(filtersSchema.parse(params), { at, id }, limit, NOW).then((events) => events.map((e) => e.eventId));
    // A tie on the timestamp counts by id: q-05 is after q-04, q-03 is not.
    expect(await since({}, "q-04", T30)).toEqual(["q-01", "q-02", "q-05"]);
    expect(await since({}, "q-01", ago(10 * MIN))).toEqual([]);
    expect(await since({}, "q-09", ago(23 * HOUR))).toEqual(["q-01", "q-02", "q-05", "q-04", "q-03", "q-06", "q-07", "q-08"]);
    expect(await since({ type: "api_request" }, "q-04", T30)).toEqual(["q-01", "q-02"]);
    expect(await since({ subject: S1 }, "q-10", ago(2 * DAY))).toEqual(["q-01", "q-05", "q-03"]);
    // The live tail ignores the range (the position is the lower bound) but keeps its limit, taking
    // the oldest events first so that a burst bigger than the limit arrives over several polls.
    expect(await since({ range: "15m" }, "q-10", ago(2 * DAY), 2)).toEqual(["q-08", "q-09"]);
    expect(await since({ range: "15m" }, "q-08", ago(12 * HOUR), 2)).toEqual(["q-06", "q-07"]);
  });
});

describe("eventDetail", () => {
  it("returns every stored column except the search vector and the API key id", async () => {
    const detail = await eventDetail("q-05", T30);
    expect(detail).not.toBeNull();
    const { rows } = await database().pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'system_logs'`,
    );
    const columns = rows.map((r) => r.column_name);
    expect(columns).toContain("search_vector");
    expect(columns).toContain("api_key_id");
    expect(Object.keys(detail!.event).sort()).toEqual(columns.filter((c) => c !== "search_vector" && c !== "api_key_id").sort());
    expect(detail!.event).toMatchObject({ event_id: "q-05", name: "payment.failed", message: "card declined", error_type: "CardDeclinedError", subject_pseudonym: S1, payload: {} });
    expect(new Date(detail!.event.occurred_at).getTime()).toBe(T30.getTime());
    // The API key id is withheld even where one is stored.
    expect(Object.keys((await eventDetail("q-03", T30))!.event)).not.toContain("api_key_id");
  });

  it("lists the session's events oldest first, whatever their time", async () => {
    const detail = await eventDetail("q-05", T30);
    expect(detail!.session.map((s) => s.eventId)).toEqual(["q-10", "q-03", "q-05", "q-01", "q-13"]);
    expect(detail!.session[1]).toEqual({ eventId: "q-03", occurredAt: T30.toISOString(), type: "api_request", severity: "error", name: "test.event" });
    expect((await eventDetail("q-06", ago(2 * HOUR)))!.session.map((s) => s.eventId)).toEqual(["q-06"]);
    expect((await eventDetail("q-07", ago(5 * HOUR)))!.session).toEqual([]);
  });

  it("returns null for an unknown event, or a known id at the wrong time", async () => {
    expect(await eventDetail("no-such-event", T30)).toBeNull();
    expect(await eventDetail("q-05", ago(31 * MIN))).toBeNull();
  });
});
