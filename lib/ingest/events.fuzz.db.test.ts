import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { database } from "../db/client";
import { overrideEnv } from "../env";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { describeRequest, FUZZ_SECONDS, FUZZ_TIMEOUT_MS, fuzzParameters, hostileDate, hostileJson, hostileNumber, hostileObject, hostileString, RowCounter, send, uniqueId, wire, wrongType } from "@/test/support/fuzz";
import { flushSessions } from "./session-tracker";

// Fuzz tier: POST /api/v1/events and GET /api/v1/whoami over real HTTP with hostile bodies. Every
// answer is below 500; a refused request writes nothing; an accepted one writes exactly the events it
// says it accepted; and afterwards ingestion and session tracking still work.
const RUNS = 2000;
let server: IngestTestServer;
let counter: RowCounter;
let key: string;
let restore: () => void;

const nowIso = () => new Date().toISOString();
const EVENT_TYPES = ["user_action", "ai_interaction", "api_request", "error", "system"];

/** Mostly plausible events with hostile parts, sometimes anything at all. */
const event: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        id: fc.oneof({ weight: 5, arbitrary: fc.constant(null).map(() => uniqueId("fz")) }, { weight: 1, arbitrary: hostileString }, { weight: 1, arbitrary: wrongType }),
        type: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...EVENT_TYPES) }, { weight: 1, arbitrary: wrongType }),
        timestamp: fc.oneof({ weight: 4, arbitrary: fc.constant(null).map(nowIso) }, { weight: 2, arbitrary: hostileDate }),
        name: fc.oneof(hostileString, wrongType),
        action: hostileString,
        message: fc.oneof(hostileString, wrongType),
        subject: fc.oneof(hostileString, wrongType),
        sessionId: fc.oneof(hostileString, fc.constantFrom("s-\uD83D", "s\u0000x", "sess-ok")),
        userAgent: fc.oneof(hostileString, fc.constantFrom("Mozilla/5.0 \uD83D", "agent\u0000")),
        component: hostileString,
        severity: fc.oneof(fc.constantFrom("info", "error"), wrongType),
        purpose: fc.oneof(fc.constantFrom("analytics", "essential"), hostileString),
        attributes: fc.oneof(hostileObject, wrongType),
        ai: fc.oneof(fc.record({ model: hostileString, prompt: hostileString, inputTokens: hostileNumber, costUsd: hostileNumber, messages: fc.oneof(wrongType, fc.array(fc.record({ role: hostileString, content: hostileString }), { maxLength: 3 })) }, { requiredKeys: [] }), wrongType),
        http: fc.oneof(fc.record({ method: fc.oneof(fc.constant("GET"), hostileString), route: hostileString, status: hostileNumber, durationMs: hostileNumber, requestBody: hostileString }, { requiredKeys: [] }), wrongType),
        error: fc.oneof(fc.record({ name: hostileString, message: hostileString, stack: hostileString }, { requiredKeys: [] }), wrongType),
      },
      { requiredKeys: ["id", "type", "timestamp"] },
    ),
  },
  { weight: 1, arbitrary: hostileJson },
);

const batch = fc.oneof(
  { weight: 8, arbitrary: fc.array(event, { minLength: 1, maxLength: 4 }).map((events) => ({ events })) },
  { weight: 1, arbitrary: fc.record({ events: wrongType }) },
  { weight: 1, arbitrary: hostileJson },
);

beforeAll(async () => {
  // The fuzz sends thousands of requests a minute: the per-key rate limit is not what is tested here.
  restore = overrideEnv({ CLEARLOG_INGEST_RATE_PER_SECOND: "0", CLEARLOG_API_IP_RATE_PER_SECOND: "0" });
  key = (await createApiKey({ name: "events fuzz", scopes: ["ingest"] }, { type: "cli" })).secret;
  server = await startIngestServer();
  counter = new RowCounter();
  await counter.open();
});

afterAll(async () => {
  await server?.stop();
  await counter?.close();
  restore?.();
});

describe("POST /api/v1/events under fuzzing", () => {
  it(`answers ${RUNS} hostile batches below 500, writes nothing for a refusal and exactly what it accepted otherwise`, async () => {
    let sent = 0;
    // The fuzz is the only writer: the counts after one request are the counts before the next.
    let before = await counter.counts();
    await fc.assert(
      fc.asyncProperty(wire(batch), async (w) => {
        const answer = await send(`${server.url}/api/v1/events`, "POST", w, { authorization: `Bearer ${key}` });
        sent++;
        const after = await counter.counts();
        const what = describeRequest("POST", "/api/v1/events", w, answer);
        expect(answer.status, what).toBeLessThan(500);
        expect(answer.json, what).not.toBeNull();
        if (answer.status >= 400) {
          expect(after, what).toEqual(before);
        } else {
          expect(after.system_logs - before.system_logs, what).toBe((answer.json as { accepted: number }).accepted);
        }
        before = after;
      }),
      fuzzParameters(RUNS, FUZZ_SECONDS),
    );
    expect(sent).toBe(RUNS);
  }, FUZZ_TIMEOUT_MS);

  it("still stores a good event and its session afterwards", async () => {
    const id = uniqueId("after-fuzz");
    const sessionId = uniqueId("after-fuzz-session");
    const answer = await send(`${server.url}/api/v1/events`, "POST", { body: Buffer.from(JSON.stringify({ events: [{ id, type: "system", name: "fuzz.done", timestamp: nowIso(), sessionId, subject: "after-fuzz-user" }] })), contentType: "application/json" }, { authorization: `Bearer ${key}` });
    expect(answer.status, answer.text).toBe(200);
    await flushSessions();
    const { rows } = await database().pool.query("SELECT e.event_id, s.event_count FROM system_logs e JOIN logging_sessions s ON s.session_key = e.session_id WHERE e.event_id = $1", [id]);
    expect(rows).toEqual([{ event_id: id, event_count: 1 }]);
  });
});

describe("GET /api/v1/whoami under fuzzing", () => {
  const header = fc.oneof(
    fc.constant(null).map(() => `Bearer ${key}`),
    fc.string({ maxLength: 80 }).map((s) => `Bearer ${s}`),
    fc.string({ maxLength: 80 }),
    fc.stringMatching(/^clk_[a-z0-9]{8}_[A-Za-z0-9_-]{0,60}$/).map((s) => `Bearer ${s}`),
    fc.constantFrom("", "Bearer", "Bearer ", "bearer clk_", "Basic YTpi", `Bearer ${"a".repeat(5000)}`, "Bearer clk_aaaaaaaa_%00", "Bearer clk_aaaaaaaa_\u00ff\u00fe"),
  );
  it(`answers ${RUNS} hostile Authorization headers with 200, 401 or 403`, async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        // Header values must be ISO-8859-1 without control characters (fetch refuses others before sending).
        const value = authorization.replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, "");
        const answer = await send(`${server.url}/api/v1/whoami`, "GET", null, value ? { authorization: value } : {});
        sent++;
        expect([200, 401, 403], describeRequest("GET", "/api/v1/whoami", null, answer)).toContain(answer.status);
      }),
      fuzzParameters(RUNS, FUZZ_SECONDS),
    );
    expect(sent).toBe(RUNS);
  });
});
