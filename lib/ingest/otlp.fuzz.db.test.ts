import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { database } from "../db/client";
import { overrideEnv } from "../env";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { describeRequest, FUZZ_SECONDS, FUZZ_TIMEOUT_MS, fuzzParameters, hostileJson, hostileNumber, hostileString, RowCounter, send, uniqueId, wire, wrongType } from "@/test/support/fuzz";
import { flushSessions } from "./session-tracker";

// Fuzz tier: the OTLP/HTTP endpoints (POST /api/v1/otlp/v1/logs and /traces) over real HTTP with
// hostile exports: AnyValues of the wrong shape, junk lists, non-string keys, deep kvlists, bad ids
// and times, gzip garbage. Every answer is below 500; a refused export writes nothing; afterwards a
// good export is stored with its session.
const RUNS = 2000;
let server: IngestTestServer;
let counter: RowCounter;
let key: string;
let restore: () => void;

const nowNanos = () => `${BigInt(Date.now()) * 1_000_000n}`;

/** An AnyValue nested `depth` kvlists deep. */
function deepKvlist(depth: number): unknown {
  let v: unknown = { stringValue: "bottom" };
  for (let i = 0; i < depth; i++) v = { kvlistValue: { values: [{ key: "k", value: v }] } };
  return v;
}

const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    hostileString.map((s) => ({ stringValue: s })),
    fc.oneof(hostileNumber, hostileString).map((n) => ({ intValue: n })),
    fc.oneof(hostileNumber, hostileString).map((n) => ({ doubleValue: n })),
    wrongType.map((b) => ({ boolValue: b })),
    fc.array(tie("v"), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
    wrongType.map((values) => ({ arrayValue: { values } })),
    fc.array(fc.record({ key: fc.oneof(hostileString, wrongType), value: tie("v") }), { maxLength: 3 }).map((values) => ({ kvlistValue: { values } })),
    wrongType.map((bytes) => ({ bytesValue: bytes })),
    fc.constantFrom(60, 64, 100, 900).map(deepKvlist),
    wrongType, // a number, string, array… where an AnyValue object is expected
  ),
})).v;

const keyValues = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.record({ key: fc.oneof({ weight: 3, arbitrary: fc.constantFrom("user.id", "session.id", "user_agent.original", "http.route", "http.request.method", "http.response.status_code", "gen_ai.request.model", "gen_ai.input.messages", "exception.message", "clearlog.type", "clearlog.purpose", "event.name") }, { weight: 2, arbitrary: hostileString }, { weight: 1, arbitrary: wrongType }), value: anyValue }, { requiredKeys: [] }), { maxLength: 6 }) },
  { weight: 1, arbitrary: wrongType },
);

const time = fc.oneof({ weight: 3, arbitrary: fc.constant(null).map(nowNanos) }, { weight: 1, arbitrary: fc.oneof(hostileNumber, hostileString, fc.constantFrom("99999999999999999999999999999", "-1", "0")) });
const id = (bytes: number) => fc.oneof(fc.stringMatching(new RegExp(`^[0-9a-f]{${bytes * 2}}$`)), hostileString, wrongType);

const logRecord = fc.oneof(
  { weight: 5, arbitrary: fc.record({ timeUnixNano: time, observedTimeUnixNano: time, severityNumber: fc.oneof(fc.integer({ min: -5, max: 30 }), hostileString, wrongType), severityText: fc.oneof(hostileString, wrongType), body: anyValue, attributes: keyValues, traceId: id(16), spanId: id(8), eventName: fc.oneof(hostileString, wrongType) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: wrongType },
);

const span = fc.oneof(
  { weight: 5, arbitrary: fc.record({ traceId: id(16), spanId: id(8), parentSpanId: id(8), name: fc.oneof(hostileString, wrongType), kind: fc.oneof(fc.integer({ min: -1, max: 9 }), hostileString), startTimeUnixNano: time, endTimeUnixNano: time, attributes: keyValues, status: fc.oneof(fc.record({ code: fc.oneof(fc.constantFrom(0, 1, 2, "STATUS_CODE_ERROR"), wrongType), message: fc.oneof(hostileString, wrongType) }, { requiredKeys: [] }), wrongType), events: fc.oneof(fc.array(fc.record({ name: fc.oneof(fc.constant("exception"), hostileString), timeUnixNano: time, attributes: keyValues }, { requiredKeys: [] }), { maxLength: 3 }), wrongType) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: wrongType },
);

const scope = fc.oneof(fc.record({ name: fc.oneof(hostileString, wrongType), version: hostileString }, { requiredKeys: [] }), wrongType);
const resource = fc.oneof(fc.record({ attributes: keyValues }), wrongType);
const listOf = <T>(item: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: fc.array(item, { maxLength: 3 }) }, { weight: 1, arbitrary: wrongType });

const logsBody = fc.oneof(
  { weight: 8, arbitrary: fc.record({ resourceLogs: listOf(fc.oneof(fc.record({ resource, scopeLogs: listOf(fc.oneof(fc.record({ scope, logRecords: listOf(logRecord) }, { requiredKeys: [] }), wrongType)) }, { requiredKeys: [] }), wrongType)) }) },
  { weight: 1, arbitrary: hostileJson },
  { weight: 1, arbitrary: fc.record({ resourceSpans: fc.array(hostileJson, { maxLength: 2 }) }) },
);

const tracesBody = fc.oneof(
  { weight: 8, arbitrary: fc.record({ resourceSpans: listOf(fc.oneof(fc.record({ resource, scopeSpans: listOf(fc.oneof(fc.record({ scope, spans: listOf(span) }, { requiredKeys: [] }), wrongType)) }, { requiredKeys: [] }), wrongType)) }) },
  { weight: 1, arbitrary: hostileJson },
  { weight: 1, arbitrary: fc.record({ resourceLogs: fc.array(hostileJson, { maxLength: 2 }) }) },
);

beforeAll(async () => {
  restore = overrideEnv({ CLEARLOG_INGEST_RATE_PER_SECOND: "0", CLEARLOG_API_IP_RATE_PER_SECOND: "0" });
  key = (await createApiKey({ name: "otlp fuzz", scopes: ["ingest"] }, { type: "cli" })).secret;
  server = await startIngestServer();
  counter = new RowCounter();
  await counter.open();
});

afterAll(async () => {
  await server?.stop();
  await counter?.close();
  restore?.();
});

describe.each([
  ["logs", logsBody],
  ["traces", tracesBody],
] as const)("POST /api/v1/otlp/v1/%s under fuzzing", (signal, body) => {
  const path = `/api/v1/otlp/v1/${signal}`;
  it(`answers ${RUNS} hostile exports below 500 and writes nothing for a refusal`, async () => {
    let sent = 0;
    let before = await counter.counts();
    await fc.assert(
      fc.asyncProperty(wire(body, { gzip: true }), async (w) => {
        const answer = await send(`${server.url}${path}`, "POST", w, { authorization: `Bearer ${key}` });
        sent++;
        const after = await counter.counts();
        const what = describeRequest("POST", path, w, answer);
        expect(answer.status, what).toBeLessThan(500);
        if (answer.status >= 400) expect(after, what).toEqual(before);
        before = after;
      }),
      fuzzParameters(RUNS, FUZZ_SECONDS),
    );
    expect(sent).toBe(RUNS);
  }, FUZZ_TIMEOUT_MS);
});

describe("OTLP values nested far beyond the limit", () => {
  it("a kvlist 3,000 levels deep (12,000 JSON levels) rejects that record only, naming it", async () => {
    const depth = 3000;
    const deep = `${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(depth)}{"stringValue":"x"}${"}]}}".repeat(depth)}`;
    const record = (body: string) => `{"timeUnixNano":"${nowNanos()}","body":${body}}`;
    const text = `{"resourceLogs":[{"scopeLogs":[{"scope":{"name":"deep"},"logRecords":[${record('{"stringValue":"fine"}')},${record(deep)}]}]}]}`;
    const before = await counter.counts();
    const answer = await send(`${server.url}/api/v1/otlp/v1/logs`, "POST", { body: Buffer.from(text), contentType: "application/json" }, { authorization: `Bearer ${key}` });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toMatchObject({ partialSuccess: { rejectedLogRecords: 1, errorMessage: expect.stringMatching(/logRecords\[1\].*nested more than 64 levels deep/) } });
    expect((await counter.counts()).system_logs).toBe(before.system_logs + 1);
  });
});

describe("after the OTLP fuzz", () => {
  it("a good log record is stored with its session", async () => {
    const session = uniqueId("otlp-after-fuzz");
    const body = { resourceLogs: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "fuzz" } }] }, scopeLogs: [{ scope: { name: "fuzz" }, logRecords: [{ timeUnixNano: nowNanos(), severityNumber: 9, body: { stringValue: "after the fuzz" }, attributes: [{ key: "session.id", value: { stringValue: session } }] }] }] }] };
    const answer = await send(`${server.url}/api/v1/otlp/v1/logs`, "POST", { body: Buffer.from(JSON.stringify(body)), contentType: "application/json" }, { authorization: `Bearer ${key}` });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({});
    await flushSessions();
    const { rows } = await database().pool.query("SELECT s.event_count, e.message FROM logging_sessions s JOIN system_logs e ON e.session_id = s.session_key WHERE s.session_key = $1", [session]);
    expect(rows).toEqual([{ event_count: 1, message: "after the fuzz" }]);
  });
});
