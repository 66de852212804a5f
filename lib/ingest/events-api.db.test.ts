import http from "node:http";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../auth/api-keys";
import { invalidateRuleCache } from "../classify/rule-cache";
import { database, db } from "../db/client";
import { databaseUrlFromEnv, overrideEnv } from "../env";
import type { BatchResponse } from "@clearlog/sdk";
import { resetRateLimits } from "../api/with-api-key";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { flushSessions } from "./session-tracker";

/** Sessions are written behind the events (lib/ingest/session-tracker.ts): flush, then read. */
async function sessionAfterFlush(sessionKey: string) {
  await flushSessions();
  return db().loggingSession.findUnique({ where: { sessionKey } });
}

// POST /api/v1/events over real HTTP (lib/ingest/test-server.ts): every refusal is a clear 4xx naming
// the problem, and nothing of a refused request or a rejected event reaches system_logs.
let server: IngestTestServer;
/** its own connection, outside the server's pool: it sees only what was committed */
let observer: pg.Client;
let key: string;
let seq = 0;
const uid = (p = "api") => `${p}-${Date.now().toString(36)}-${seq++}`;
const nowIso = () => new Date().toISOString();
const good = (extra: Record<string, unknown> = {}) => ({ id: uid(), type: "system", timestamp: nowIso(), name: "api.test", ...extra });

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & Partial<BatchResponse> & { error?: string };
}

async function post(body: unknown, opts: { key?: string | null; contentType?: string | null; authorization?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  const k = opts.key === undefined ? key : opts.key;
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  else if (k !== null) headers.authorization = `Bearer ${k}`;
  const type = opts.contentType === undefined ? "application/json" : opts.contentType;
  if (type !== null) headers["content-type"] = type;
  // A Buffer body: fetch adds no Content-Type of its own, so each test decides.
  const raw = Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const res = await fetch(`${server.url}/api/v1/events`, { method: "POST", headers, body: raw });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Answer["json"] };
}

/** A body sent with Transfer-Encoding: chunked (node:http, several writes, no Content-Length). */
function postChunked(body: string, chunk = 700): Promise<{ status: number; json: Answer["json"]; chunked: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(parts).toString("utf8")) as Answer["json"], chunked: req.getHeader("content-length") === undefined }));
    });
    req.on("error", reject);
    for (let i = 0; i < body.length; i += chunk) req.write(body.slice(i, i + chunk));
    req.end();
  });
}

async function total(): Promise<number> {
  const { rows } = await database().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM system_logs");
  return rows[0]!.n;
}

async function storedIds(ids: readonly string[]): Promise<string[]> {
  const { rows } = await database().pool.query<{ event_id: string }>("SELECT event_id FROM system_logs WHERE event_id = ANY($1) ORDER BY event_id", [ids]);
  return rows.map((r) => r.event_id);
}

/** Sends a request that must be refused; asserts the status, the message and that nothing was stored. */
async function expectRefused(status: number, message: RegExp, body: unknown, opts: Parameters<typeof post>[1] = {}, ids: string[] = []) {
  const before = await total();
  const answer = await post(body, opts);
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  expect(answer.json.error).toMatch(message);
  expect(answer.headers.get("access-control-allow-origin")).toBe("*");
  expect(await total()).toBe(before);
  if (ids.length) expect(await storedIds(ids)).toEqual([]);
  return answer;
}

const restoreEnv: (() => void)[] = [];
function setEnv(vars: Record<string, string>) {
  restoreEnv.push(overrideEnv(vars));
}

beforeAll(async () => {
  key = (await createApiKey({ name: "events api test", scopes: ["ingest"] }, { type: "cli" })).secret;
  server = await startIngestServer();
  observer = new pg.Client({ connectionString: databaseUrlFromEnv() });
  await observer.connect();
});

beforeEach(() => invalidateRuleCache());

afterEach(() => {
  while (restoreEnv.length) restoreEnv.pop()!();
  resetRateLimits();
});

afterAll(async () => {
  await server?.stop();
  await observer?.end();
});

describe("POST /api/v1/events refuses bad requests and stores nothing of them", () => {
  it("malformed JSON, a body that is not an object, no events array, an empty array: 400", async () => {
    const e = good();
    await expectRefused(400, /^Malformed JSON at position \d+$/, `{"events":[${JSON.stringify(e)}`, {}, [e.id]);
    await expectRefused(400, /JSON object with an `events` array/, [e], {}, [e.id]);
    await expectRefused(400, /JSON object with an `events` array/, "null");
    await expectRefused(400, /JSON object with an `events` array/, '"events"');
    await expectRefused(400, /JSON object with an `events` array/, { event: [e] }, {}, [e.id]);
    await expectRefused(400, /JSON object with an `events` array/, { events: e }, {}, [e.id]);
    await expectRefused(400, /`events` is empty/, { events: [] });
  });

  it("a body that is not JSON by its Content-Type: 415", async () => {
    const e = good();
    await expectRefused(415, /Content-Type must be application\/json/, { events: [e] }, { contentType: "text/plain" }, [e.id]);
    await expectRefused(415, /Content-Type must be application\/json/, { events: [e] }, { contentType: null }, [e.id]);
    await expectRefused(415, /Content-Type must be application\/json/, { events: [e] }, { contentType: "application/x-www-form-urlencoded" }, [e.id]);
    expect((await post({ events: [e] }, { contentType: "application/json; charset=utf-8" })).status).toBe(200);
  });

  it("missing, malformed, unknown or revoked key: 401; a key without the ingest scope: 403", async () => {
    const e = good();
    await expectRefused(401, /^Missing API key/, { events: [e] }, { key: null }, [e.id]);
    await expectRefused(401, /Malformed Authorization header/, { events: [e] }, { authorization: `Basic ${key}` }, [e.id]);
    await expectRefused(401, /Malformed API key/, { events: [e] }, { key: "not-a-key" }, [e.id]);
    await expectRefused(401, /Invalid or revoked API key/, { events: [e] }, { key: `clk_deadbeef_${"A".repeat(43)}` }, [e.id]);
    const doomed = await createApiKey({ name: "to revoke", scopes: ["ingest"] }, { type: "cli" });
    expect((await post({ events: [good()] }, { key: doomed.secret })).status).toBe(200);
    await revokeApiKey(doomed.id, { type: "cli" });
    await expectRefused(401, /Invalid or revoked API key/, { events: [e] }, { key: doomed.secret }, [e.id]);
    const feedbackOnly = await createApiKey({ name: "feedback only", scopes: ["feedback", "consent"] }, { type: "cli" });
    await expectRefused(403, /lacks the 'ingest' scope/, { events: [e] }, { key: feedbackOnly.secret }, [e.id]);
  });

  it("invalid events are rejected one by one (400 when all are), naming the field and the reason", async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [good({ type: "api_request", http: { method: "GET", route: "/x", status: "200" } }), "events[0].http.status", /number/i],
      [good({ type: "ai_interaction", ai: { model: "m", tokens: -5 } }), "events[0].ai.tokens", /must not be negative/],
      [good({ attributes: "plan=pro" }), "events[0].attributes", /must be an object/],
      [good({ attributes: ["a"] }), "events[0].attributes", /must be an object/],
      [{ type: "system", timestamp: nowIso(), name: "no id" }, "events[0].id", /is required/],
      [{ id: uid(), type: "system", name: "no timestamp" }, "events[0].timestamp", /ISO 8601/],
      [good({ type: "ai_interaction" }), "events[0].ai", /is required for ai_interaction events/],
      [good({ type: "telemetry" }), "events[0].type", /must be one of user_action, ai_interaction/],
      [good({ timestamp: "1970-01-01T00:00:00Z" }), "events[0].timestamp", /more than 30 days old/],
      [good({ timestamp: 0 }), "events[0].timestamp", /more than 30 days old/],
      [good({ timestamp: "yesterday" }), "events[0].timestamp", /ISO 8601 date-time/],
      [good({ id: "has spaces in it" }), "events[0].id", /letters, digits/],
    ];
    for (const [event, field, reason] of cases) {
      const before = await total();
      const answer = await post({ events: [event] });
      expect(answer.status, field).toBe(400);
      expect(answer.json).toMatchObject({ accepted: 0, duplicates: 0, dropped: 0, rejected: 1 });
      const result = answer.json.results![0]!;
      expect(result).toMatchObject({ status: "rejected", field });
      expect(result.status === "rejected" && result.reason, field).toMatch(reason);
      expect(result.id).toBe(typeof event.id === "string" ? event.id : null);
      expect(await total(), field).toBe(before);
    }
  });

  it("more events than CLEARLOG_INGEST_MAX_EVENTS: 413 naming the limit, nothing stored", async () => {
    setEnv({ CLEARLOG_INGEST_MAX_EVENTS: "3" });
    const four = [good(), good(), good(), good()];
    const { json } = await expectRefused(413, /CLEARLOG_INGEST_MAX_EVENTS/, { events: four }, {}, four.map((e) => e.id));
    expect(json.error).toMatch(/Batch has 4 events; the limit is 3/);
    expect((await post({ events: four.slice(0, 3) })).json.accepted).toBe(3);
  });

  it("a body over CLEARLOG_INGEST_MAX_BATCH_BYTES: 413, by declared Content-Length and by a chunked body", async () => {
    setEnv({ CLEARLOG_INGEST_MAX_BATCH_BYTES: "4096" });
    const big = Array.from({ length: 8 }, () => good({ message: "x".repeat(600) }));
    const ids = big.map((e) => e.id);
    const body = JSON.stringify({ events: big });
    expect(Buffer.byteLength(body)).toBeGreaterThan(4096);
    // fetch declares the length: refused on the header, before the body is read
    await expectRefused(413, /4096-byte batch limit \(CLEARLOG_INGEST_MAX_BATCH_BYTES\)/, body, {}, ids);
    // no Content-Length: refused while counting what arrives
    const before = await total();
    const chunked = await postChunked(body);
    expect(chunked.chunked).toBe(true);
    expect(chunked.status).toBe(413);
    expect(chunked.json.error).toMatch(/CLEARLOG_INGEST_MAX_BATCH_BYTES/);
    expect(await total()).toBe(before);
    expect(await storedIds(ids)).toEqual([]);
    // the same route takes a chunked body within the limit
    const small = big.slice(0, 2);
    const ok = await postChunked(JSON.stringify({ events: small }), 300);
    expect(ok).toMatchObject({ status: 200, chunked: true, json: { accepted: 2 } });
    expect(await storedIds(small.map((e) => e.id))).toEqual(small.map((e) => e.id).sort());
  });

  it("one event over CLEARLOG_INGEST_MAX_EVENT_BYTES: 413 naming the limit and the index; no event of the batch stored", async () => {
    setEnv({ CLEARLOG_INGEST_MAX_EVENT_BYTES: "1024" });
    const batch = [good(), good(), good({ message: "y".repeat(2000) }), good()];
    const { json } = await expectRefused(413, /^events\[2\] is \d+ bytes; the limit is 1024 bytes per event \(CLEARLOG_INGEST_MAX_EVENT_BYTES\)$/, { events: batch }, {}, batch.map((e) => e.id));
    expect(json.error).not.toMatch(/events\[[013]\]/);
  });
});

describe("POST /api/v1/events answers per event and only after commit", () => {
  it("a mixed batch: 207 with results in order; the good events stored, the bad ones not", async () => {
    const batch = [
      good(),
      good({ type: "api_request", http: { method: "GET", route: "/a", status: "500" } }),
      good({ type: "user_action", action: "click", attributes: { plan: "pro" } }),
      good({ type: "telemetry" }),
      good({ type: "api_request", http: { method: "GET", route: "/healthz", status: 200 } }),
      good({ type: "error", error: { message: "boom" } }),
    ];
    const answer = await post({ events: batch });
    expect(answer.status).toBe(207);
    expect(answer.json).toMatchObject({ accepted: 3, duplicates: 0, dropped: 1, rejected: 2 });
    expect(answer.json.results!.map((r) => [r.id, r.status])).toEqual([
      [batch[0]!.id, "accepted"],
      [batch[1]!.id, "rejected"],
      [batch[2]!.id, "accepted"],
      [batch[3]!.id, "rejected"],
      [batch[4]!.id, "dropped"],
      [batch[5]!.id, "accepted"],
    ]);
    expect(answer.json.results![1]).toMatchObject({ field: "events[1].http.status" });
    expect(answer.json.results![3]).toMatchObject({ field: "events[3].type" });
    expect(await storedIds(batch.map((e) => e.id))).toEqual([batch[0]!.id, batch[2]!.id, batch[5]!.id].sort());
    const { rows } = await database().pool.query("SELECT type, payload FROM system_logs WHERE event_id = $1", [batch[2]!.id]);
    expect(rows[0]).toMatchObject({ type: "user_action", payload: { attributes: { plan: "pro" } } });
  });

  it("an event nested 6,000 levels deep is rejected alone; the rest of its batch is stored", async () => {
    const [ok, deep] = [good(), good()];
    const nested = `${"[".repeat(6000)}1${"]".repeat(6000)}`;
    const body = `{"events":[${JSON.stringify(ok)},${JSON.stringify(deep).replace(/}$/, `,"attributes":{"a":${nested}}}`)}]}`;
    const answer = await post(body);
    expect(answer.status).toBe(207);
    expect(answer.json.results![1]).toMatchObject({ status: "rejected", reason: expect.stringMatching(/nested more than 64 levels deep/) });
    expect(await storedIds([ok.id, deep.id])).toEqual([ok.id]);
  });

  // The observer's own connection sees only committed rows, so a commit after the answer fails here.
  it("the rows of a 2xx answer are visible the moment it arrives; a resent batch is all `duplicate`", async () => {
    const session = uid("sess");
    const batch = Array.from({ length: 300 }, (_, i) => good({ type: "user_action", action: `step.${i}`, sessionId: session }));
    const ids = batch.map((e) => e.id);
    const before = await total();
    const first = await post({ events: batch });
    const { rows } = await observer.query<{ n: number }>("SELECT count(*)::int AS n FROM system_logs WHERE event_id = ANY($1)", [ids]);
    expect(first.status).toBe(200);
    expect(rows[0]!.n).toBe(300);
    expect(first.json).toMatchObject({ accepted: 300, duplicates: 0, rejected: 0 });
    expect((await sessionAfterFlush(session))?.eventCount).toBe(300);

    const again = await post({ events: batch });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ accepted: 0, duplicates: 300, rejected: 0 });
    expect(new Set(again.json.results!.map((r) => r.status))).toEqual(new Set(["duplicate"]));
    expect(await total()).toBe(before + 300);
    expect((await sessionAfterFlush(session))?.eventCount).toBe(300);
  });

  it("rate limit per key: 429 with Retry-After, nothing stored; accepted again after waiting", async () => {
    setEnv({ CLEARLOG_INGEST_RATE_PER_SECOND: "1", CLEARLOG_INGEST_RATE_BURST: "2" });
    resetRateLimits();
    expect((await post({ events: [good()] })).status).toBe(200);
    expect((await post({ events: [good()] })).status).toBe(200);
    const e = good();
    const limited = await expectRefused(429, /Rate limit of 1 requests per second for this API key exceeded; retry after 1 s/, { events: [e] }, {}, [e.id]);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.headers.get("access-control-expose-headers")).toMatch(/Retry-After/);
    // another key has its own bucket
    const other = await createApiKey({ name: "other app", scopes: ["ingest"] }, { type: "cli" });
    expect((await post({ events: [good()] }, { key: other.secret })).status).toBe(200);
    await new Promise((r) => setTimeout(r, Number(limited.headers.get("retry-after")) * 1000 + 50));
    const retried = await post({ events: [e] });
    expect(retried.status).toBe(200);
    expect(retried.json.results).toEqual([{ id: e.id, status: "accepted" }]);
  });

  it("OPTIONS preflight: 204 with CORS headers allowing Authorization", async () => {
    const res = await fetch(`${server.url}/api/v1/events`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example.com", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    const allowed = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["authorization", "content-type"]));
    expect(res.headers.get("access-control-allow-methods")).toMatch(/POST/);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });
});
