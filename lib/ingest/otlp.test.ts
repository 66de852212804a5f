import { describe, expect, it } from "vitest";
import type { WireEvent } from "@clearlog/sdk";
import { wireEventSchema } from "./event-schema";
import { mapOtlpLogs, mapOtlpTraces, OtlpShapeError } from "./otlp";
import { anyValue, hexId, nanos, severityOf } from "./otlp-values";

// OTLP/JSON → WireEvent mapping, on hand-written export requests shaped as the OpenTelemetry
// encoders write them (string nanoseconds, hex ids, AnyValue attributes).
const TRACE = "5b8efff798038103d269b633813fc60c";
const SPAN = "eee19b7ec3c1b174";
const T0 = "1767261600123456789"; // 2026-01-01T10:00:00.123456789Z
const T0_MS = Date.UTC(2026, 0, 1, 10, 0, 0, 123);
const plus = (ns: string, ms: number) => (BigInt(ns) + BigInt(ms) * 1_000_000n).toString();

type Attr = { key: string; value: unknown };
const s = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const i = (key: string, v: number | string): Attr => ({ key, value: { intValue: v } });
const resource = { attributes: [s("service.name", "checkout"), s("service.version", "1.4.2"), s("telemetry.sdk.language", "nodejs")] };

const logsBody = (...logRecords: unknown[]) => ({ resourceLogs: [{ resource, scopeLogs: [{ scope: { name: "checkout-logger", version: "1" }, logRecords }] }] });
const spansBody = (...spans: unknown[]) => ({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: "ai-sdk" }, spans }] }] });
const span = (name: string, attributes: Attr[], extra: Record<string, unknown> = {}) => ({
  traceId: TRACE, spanId: SPAN, name, kind: 3, startTimeUnixNano: T0, endTimeUnixNano: plus(T0, 850), attributes, status: {}, ...extra,
});

const events = (mapped: { event: unknown }[]) => mapped.map((m) => m.event as WireEvent);
const one = (mapped: { event: unknown }[]) => {
  expect(mapped).toHaveLength(1);
  return mapped[0]!.event as WireEvent;
};
/** Every mapped event must pass the pipeline's own validation. */
const valid = (e: unknown) => {
  const r = wireEventSchema.safeParse(e);
  expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
  return e as WireEvent;
};

describe("OTLP values", () => {
  it("decodes every AnyValue kind", () => {
    expect(anyValue({ stringValue: "a" })).toBe("a");
    expect(anyValue({ intValue: "42" })).toBe(42);
    expect(anyValue({ intValue: 7 })).toBe(7);
    expect(anyValue({ intValue: "9223372036854775807" })).toBe("9223372036854775807");
    expect(anyValue({ doubleValue: 0.5 })).toBe(0.5);
    expect(anyValue({ doubleValue: "NaN" })).toBe("NaN");
    expect(anyValue({ boolValue: true })).toBe(true);
    expect(anyValue({ bytesValue: "AQID" })).toBe("AQID");
    expect(anyValue({ arrayValue: { values: [{ stringValue: "x" }, { intValue: "1" }] } })).toEqual(["x", 1]);
    expect(anyValue({ arrayValue: {} })).toEqual([]);
    expect(anyValue({ kvlistValue: { values: [s("a", "b"), { key: "n", value: { kvlistValue: { values: [i("deep", 3)] } } }] } })).toEqual({ a: "b", n: { deep: 3 } });
    expect(anyValue({})).toBeNull();
    expect(anyValue(undefined)).toBeNull();
  });

  it("reads nanosecond times, hex or base64 ids and severities", () => {
    expect(nanos(T0)).toBe(1767261600123456789n);
    expect(nanos("0")).toBeUndefined();
    expect(nanos(1767261600123456789)).toBeGreaterThan(0n);
    expect(hexId(TRACE.toUpperCase(), 16)).toBe(TRACE);
    expect(hexId(Buffer.from(TRACE, "hex").toString("base64"), 16)).toBe(TRACE);
    expect(hexId("00000000000000000000000000000000", 16)).toBeUndefined();
    expect(hexId("not-an-id", 8)).toBeUndefined();
    const table: [number, string][] = [[1, "debug"], [4, "debug"], [5, "debug"], [8, "debug"], [9, "info"], [12, "info"], [13, "warn"], [16, "warn"], [17, "error"], [20, "error"], [21, "fatal"], [24, "fatal"]];
    for (const [n, sev] of table) expect(severityOf(n, undefined), String(n)).toBe(sev);
    expect(severityOf("SEVERITY_NUMBER_ERROR", undefined)).toBe("error");
    expect(severityOf("SEVERITY_NUMBER_WARN3", undefined)).toBe("warn");
    expect(severityOf(0, "Warning")).toBe("warn");
    expect(severityOf(undefined, "CRITICAL")).toBe("fatal");
    expect(severityOf(0, undefined)).toBeUndefined();
  });
});

describe("mapOtlpLogs", () => {
  const record = (severityNumber: number, body: string, attributes: Attr[] = [], extra: Record<string, unknown> = {}) => ({
    timeUnixNano: T0, observedTimeUnixNano: plus(T0, 5), severityNumber, severityText: "x", body: { stringValue: body }, attributes, traceId: TRACE, spanId: SPAN, ...extra,
  });

  it("maps each severity range, the body, the resource and the trace context", () => {
    const mapped = events(mapOtlpLogs(logsBody(...[1, 5, 9, 13, 17, 21].map((n) => record(n, `line ${n}`)))));
    expect(mapped.map((e) => [e.type, e.severity])).toEqual([["system", "debug"], ["system", "debug"], ["system", "info"], ["system", "warn"], ["error", "error"], ["error", "fatal"]]);
    const info = valid(mapped[2]);
    expect(info).toMatchObject({ timestamp: T0_MS, name: "checkout-logger", message: "line 9", component: "checkout" });
    expect(info.attributes).toEqual({ trace_id: TRACE, span_id: SPAN, "otel.scope.name": "checkout-logger", resource: { "service.version": "1.4.2" } });
    expect(valid(mapped[4])).toMatchObject({ type: "error", error: { message: "line 17" } });
  });

  it("takes exception.* attributes into the error fields, keeping a different body", () => {
    const e = valid(one(mapOtlpLogs(logsBody(record(13, "payment failed", [s("exception.type", "CardDeclined"), s("exception.message", "card 4111 declined"), s("exception.stacktrace", "CardDeclined: x\n    at pay (/srv/pay.js:1:1)"), s("order", "o-1")])))));
    expect(e).toMatchObject({ type: "error", severity: "warn", error: { name: "CardDeclined", message: "card 4111 declined", stack: expect.stringContaining("at pay") } });
    expect(e.attributes).toMatchObject({ order: "o-1", body: "payment failed" });
    expect(Object.keys(e.attributes!).some((k) => k.startsWith("exception."))).toBe(false);
  });

  it("takes subject, session, event name, purpose and type from attributes and never keeps the user id", () => {
    const e = valid(one(mapOtlpLogs(logsBody(record(9, "clicked", [s("enduser.id", "user-7"), s("session.id", "sess-1"), s("clearlog.type", "user_action"), s("clearlog.purpose", "analytics"), s("user_agent.original", "Mozilla/5.0"), i("items", "3")], { eventName: "cart.checkout" })))));
    expect(e).toMatchObject({ type: "user_action", name: "cart.checkout", subject: "user-7", sessionId: "sess-1", purpose: "analytics", userAgent: "Mozilla/5.0" });
    expect(e.attributes).toMatchObject({ items: 3 });
    expect(JSON.stringify(e.attributes)).not.toContain("user-7");
  });

  it("uses observedTimeUnixNano when timeUnixNano is 0 and keeps a structured body structured", () => {
    const e = valid(one(mapOtlpLogs(logsBody({ timeUnixNano: "0", observedTimeUnixNano: T0, body: { kvlistValue: { values: [s("k", "v")] } }, attributes: [s("event.name", "job.done")] }))));
    expect(e).toMatchObject({ type: "system", name: "job.done", timestamp: T0_MS, attributes: { body: { k: "v" } } });
    expect(e.message).toBeUndefined();
    expect(e.severity).toBeUndefined();
  });

  it("gives deterministic ids: the same record maps to the same id, a different one does not", () => {
    const a = one(mapOtlpLogs(logsBody(record(9, "hello"))));
    const b = one(mapOtlpLogs(JSON.parse(JSON.stringify(logsBody(record(9, "hello"))))));
    const c = one(mapOtlpLogs(logsBody(record(9, "hello!"))));
    expect(a.id).toMatch(/^otlp-log-[0-9a-f]{32}$/);
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });

  it("passes records it cannot map through, and refuses a broken envelope", () => {
    const mapped = mapOtlpLogs(logsBody("not a record", { body: { stringValue: "no time" } }));
    expect(mapped.map((m) => m.source)).toEqual(["resourceLogs[0].scopeLogs[0].logRecords[0]", "resourceLogs[0].scopeLogs[0].logRecords[1]"]);
    expect(mapped[0]!.event).toBe("not a record");
    expect(wireEventSchema.safeParse(mapped[1]!.event).error?.issues[0]?.path).toEqual(["timestamp"]);
    expect(mapOtlpLogs({})).toEqual([]);
    expect(() => mapOtlpLogs([])).toThrow(OtlpShapeError);
    expect(() => mapOtlpLogs({ resourceLogs: {} })).toThrow("resourceLogs must be an array");
    expect(() => mapOtlpLogs({ resourceLogs: [{ scopeLogs: [{ logRecords: 3 }] }] })).toThrow("resourceLogs[0].scopeLogs[0].logRecords must be an array");
    expect(() => mapOtlpLogs(spansBody())).toThrow("/api/v1/otlp/v1/traces");
  });
});

describe("mapOtlpTraces", () => {
  it("reads client-chosen names as data: an event or request type named like an Object property maps like any other", () => {
    const span = {
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
      name: "chat",
      startTimeUnixNano: "1764748800000000000",
      attributes: [{ key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } }, { key: "llm.request.type", value: { stringValue: "constructor" } }],
      events: [{ name: "constructor", timeUnixNano: "1764748800000000000" }],
    };
    const mapped = mapOtlpTraces({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
    expect(mapped).toHaveLength(1);
    expect(mapped[0]!.source).toBe("resourceSpans[0].scopeSpans[0].spans[0]");
  });

  const messages = JSON.stringify([
    { role: "system", parts: [{ type: "text", content: "Be brief." }] },
    { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
  ]);
  const output = JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: "Rainy." }], finish_reason: "stop" }]);

  it("maps a GenAI span (current conventions) to ai_interaction", () => {
    const e = valid(one(mapOtlpTraces(spansBody(span("chat gpt-4o", [
      s("gen_ai.provider.name", "openai"), s("gen_ai.request.model", "gpt-4o"), s("gen_ai.response.model", "gpt-4o-2024-08-06"), s("gen_ai.operation.name", "chat"),
      i("gen_ai.usage.input_tokens", "120"), i("gen_ai.usage.output_tokens", 36), s("gen_ai.conversation.id", "conv-9"),
      s("gen_ai.input.messages", messages), s("gen_ai.output.messages", output), s("user.id", "user-7"),
    ])))));
    expect(e).toMatchObject({
      id: `otlp-${TRACE}-${SPAN}`, type: "ai_interaction", name: "chat gpt-4o", timestamp: T0_MS, subject: "user-7", component: "checkout",
      ai: { provider: "openai", model: "gpt-4o", operation: "chat", inputTokens: 120, outputTokens: 36, latencyMs: 850, conversationId: "conv-9", prompt: "Weather in Paris?", response: "Rainy." },
    });
    expect(e.ai!.messages).toEqual([{ role: "system", content: "Be brief." }, { role: "user", content: "Weather in Paris?" }]);
    expect(e.attributes).toEqual({ "gen_ai.response.model": "gpt-4o-2024-08-06", trace_id: TRACE, span_id: SPAN, "otel.scope.name": "ai-sdk", "span.kind": "client", resource: { "service.version": "1.4.2" } });
  });

  it("reads legacy GenAI attributes: gen_ai.system, prompt/completion tokens, gen_ai.prompt/completion", () => {
    const e = valid(one(mapOtlpTraces(spansBody(span("chat", [
      s("gen_ai.system", "anthropic"), s("gen_ai.response.model", "claude-sonnet-4"), i("gen_ai.usage.prompt_tokens", 10), i("gen_ai.usage.completion_tokens", 20),
      s("gen_ai.prompt", JSON.stringify([{ role: "user", content: "Hi" }])), s("gen_ai.completion", "Hello!"),
    ])))));
    expect(e.ai).toEqual({ provider: "anthropic", model: "claude-sonnet-4", inputTokens: 10, outputTokens: 20, latencyMs: 850, prompt: "Hi", response: "Hello!" });
    expect(e.attributes).not.toHaveProperty("gen_ai.prompt");
  });

  it("reads indexed gen_ai.prompt.N.* attributes and span events gen_ai.user.message / gen_ai.choice", () => {
    const indexed = valid(one(mapOtlpTraces(spansBody(span("x", [s("gen_ai.request.model", "m"), s("gen_ai.prompt.0.role", "user"), s("gen_ai.prompt.0.content", "Q?"), s("gen_ai.completion.0.content", "A.")])))));
    expect(indexed.ai).toMatchObject({ prompt: "Q?", response: "A." });
    expect(Object.keys(indexed.attributes!).filter((k) => k.startsWith("gen_ai."))).toEqual([]);

    const viaEvents = valid(one(mapOtlpTraces(spansBody(span("chat m", [s("gen_ai.request.model", "m")], {
      events: [
        { name: "gen_ai.user.message", timeUnixNano: T0, attributes: [s("content", "Tell me a joke")] },
        { name: "gen_ai.choice", timeUnixNano: T0, attributes: [s("gen_ai.event.content", JSON.stringify({ message: { content: "No." }, finish_reason: "stop" }))] },
        { name: "cache.miss", timeUnixNano: T0, attributes: [s("key", "k1")] },
      ],
    })))));
    expect(viaEvents.ai).toMatchObject({ prompt: "Tell me a joke", response: "No." });
    expect(viaEvents.attributes!["span.events"]).toEqual([{ name: "cache.miss", attributes: { key: "k1" } }]);
  });

  it("maps HTTP spans (current and legacy names) to api_request", () => {
    const [current, legacy] = events(mapOtlpTraces(spansBody(
      span("GET /api/projects/:id", [s("http.request.method", "GET"), s("http.route", "/api/projects/:id"), i("http.response.status_code", 404), s("url.full", "https://x/api/projects/9")], { kind: 2 }),
      span("POST", [s("http.method", "POST"), s("url.path", "/v1/charge"), i("http.status_code", "502"), i("http.response.body.size", 12)], { spanId: "0102030405060708" }),
    )));
    expect(valid(current)).toMatchObject({ type: "api_request", http: { method: "GET", route: "/api/projects/:id", status: 404, durationMs: 850 }, attributes: { "url.full": "https://x/api/projects/9", "span.kind": "server" } });
    expect(current!.name).toBeUndefined();
    expect(valid(legacy)).toMatchObject({ id: `otlp-${TRACE}-0102030405060708`, type: "api_request", http: { method: "POST", route: "/v1/charge", status: 502, responseSize: 12 } });
  });

  it("maps other spans to system events; a failed span with an exception also gives an error event", () => {
    const [main, error] = events(mapOtlpTraces(spansBody(span("db.migrate", [s("db.system", "postgresql")], {
      status: { code: 2, message: "boom" },
      events: [{ name: "exception", timeUnixNano: plus(T0, 800), attributes: [s("exception.type", "MigrationError"), s("exception.message", "relation missing"), s("exception.stacktrace", "MigrationError: relation missing\n    at run (/srv/m.js:2:3)")] }],
    }))));
    expect(valid(main)).toMatchObject({ id: `otlp-${TRACE}-${SPAN}`, type: "system", name: "db.migrate", severity: "error", message: "boom", attributes: { "db.system": "postgresql", "span.duration_ms": 850 } });
    expect(valid(error)).toMatchObject({
      id: `otlp-${TRACE}-${SPAN}-error`, type: "error", timestamp: T0_MS + 800, component: "checkout",
      error: { name: "MigrationError", message: "relation missing", stack: expect.stringContaining("at run") }, attributes: { trace_id: TRACE, "span.name": "db.migrate" },
    });
    // an exception on a span that did not fail is kept as a span event, not an error
    const ok = events(mapOtlpTraces(spansBody(span("retry", [], { events: [{ name: "exception", attributes: [s("exception.type", "Timeout")] }] }))));
    expect(ok).toHaveLength(1);
    expect(ok[0]!.attributes!["span.events"]).toEqual([{ name: "exception", attributes: { "exception.type": "Timeout" } }]);
  });

  it("gives deterministic ids, also for opaque trace ids and GenAI spans without a model", () => {
    const body = spansBody(span("s", []));
    expect(one(mapOtlpTraces(body)).id).toBe(one(mapOtlpTraces(JSON.parse(JSON.stringify(body)))).id);
    const opaque = spansBody(span("s", [], { traceId: "trace-abc", spanId: "span-1" }));
    const a = valid(one(mapOtlpTraces(opaque)));
    expect(a.id).toMatch(/^otlp-h[0-9a-f]{32}$/);
    expect(one(mapOtlpTraces(opaque)).id).toBe(a.id);
    expect(a.attributes).toMatchObject({ trace_id: "trace-abc", span_id: "span-1" });
    const tool = valid(one(mapOtlpTraces(spansBody(span("execute_tool get_weather", [s("gen_ai.operation.name", "execute_tool"), s("gen_ai.tool.name", "get_weather")])))));
    expect(tool).toMatchObject({ type: "system", name: "execute_tool get_weather", attributes: { "gen_ai.tool.name": "get_weather" } });
  });
});
