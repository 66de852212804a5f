// The SDK never throws into the application, and coerces or skips bad input with a report.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger, type Logger } from "./index";
import type { ClearlogError } from "./errors";
import { toJsonSafe, utf8Length } from "./json-safe";
import { fakeFetch } from "@/test/support/sdk-fetch";
import { uuidFromBytes } from "./ids";

function setup() {
  const fake = fakeFetch();
  const errors: ClearlogError[] = [];
  const logger = createLogger({ endpoint: "http://x", apiKey: "k", fetch: fake.fetch, onError: (e) => errors.push(e) });
  return { logger, calls: fake.calls, errors, events: () => fake.calls.flatMap((c) => c.events) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("never throws", () => {
  it("survives a fetch that throws synchronously, forever", async () => {
    const errors: ClearlogError[] = [];
    const logger = createLogger({
      endpoint: "http://x",
      apiKey: "k",
      maxRetries: 1,
      fetch: () => {
        throw new Error("sync boom");
      },
      onError: (e) => errors.push(e),
    });
    logger.logSystemEvent("x");
    const flushed = logger.flush();
    await vi.advanceTimersByTimeAsync(1000);
    await expect(flushed).resolves.toBeUndefined();
    expect(logger.stats()).toMatchObject({ queued: 1, failedAttempts: 2 });
    expect(errors.map((e) => e.code)).toEqual(["retries_exhausted"]);
  });

  it("logError handles undefined, null, strings, objects, numbers and errors from other realms", async () => {
    const { logger, events } = setup();
    logger.logError(undefined);
    logger.logError(null, "worker");
    logger.logError("plain text");
    logger.logError({ code: 42 });
    logger.logError(17);
    logger.logError({ name: "DOMException", message: "aborted", stack: "at x" });
    const withCause = new TypeError("outer", { cause: new Error("inner") });
    logger.logError(withCause, "api", { requestId: "r1" });
    await logger.flush();
    const e = events();
    expect(e.map((x) => x.error)).toEqual([
      { message: "Unknown error (undefined was thrown)" },
      { message: "Unknown error (null was thrown)" },
      { message: "plain text" },
      { message: '{"code":42}' },
      { message: "17" },
      { name: "DOMException", message: "aborted", stack: "at x" },
      { name: "TypeError", message: "outer", stack: withCause.stack },
    ]);
    expect(e[1]?.component).toBe("worker");
    expect(e[6]).toMatchObject({ type: "error", severity: "error", message: "outer", component: "api" });
    expect(e[6]?.attributes).toMatchObject({ requestId: "r1", "error.cause": { name: "Error", message: "inner" } });
  });

  it("serializes circular and exotic attributes safely", async () => {
    const { logger, events, errors } = setup();
    const details: Record<string, unknown> = { n: 1n, f: () => 1, s: Symbol("x"), d: new Date(0), m: new Map([["a", 1]]), set: new Set([1, 2]), nan: NaN };
    details.self = details;
    details.nested = { parent: details, list: [details] };
    Object.defineProperty(details, "bad", { enumerable: true, get: () => { throw new Error("getter"); } });
    logger.logUserAction("click", "nav", details);
    await logger.flush();
    expect(errors).toEqual([]);
    expect(events()[0]?.attributes).toEqual({
      n: "1",
      d: "1970-01-01T00:00:00.000Z",
      m: { a: 1 },
      set: [1, 2],
      nan: "NaN",
      self: "[Circular]",
      nested: { parent: "[Circular]", list: ["[Circular]"] },
      bad: "[Unserializable]",
    });
  });

  it("keeps shared (non-circular) references", () => {
    const shared = { a: 1 };
    expect(toJsonSafe({ x: shared, y: shared })).toEqual({ x: { a: 1 }, y: { a: 1 } });
    expect(JSON.stringify(toJsonSafe({ ["__proto__"]: { polluted: true } }))).toBe('{"__proto__":{"polluted":true}}');
  });

  it("skips events with missing required arguments and reports them", async () => {
    const { logger, errors, events } = setup();
    const anyLogger = logger as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(anyLogger.logUserAction?.(undefined, "nav")).toBeUndefined();
    expect(anyLogger.logAIInteraction?.("chat", {})).toBeUndefined();
    expect(anyLogger.logApiRequest?.({ method: "GET", route: "/x", status: 42 })).toBeUndefined();
    expect(anyLogger.logApiRequest?.(null)).toBeUndefined();
    expect(anyLogger.logSystemEvent?.("")).toBeUndefined();
    await logger.flush();
    expect(events()).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(Array(5).fill("invalid_argument"));
  });

  it("an onError that throws does not throw into the application", async () => {
    const logger = createLogger({ endpoint: "http://x", apiKey: "k", fetch: fakeFetch().fetch, onError: () => { throw new Error("handler"); } });
    expect(() => logger.logSystemEvent("")).not.toThrow();
  });

  it("a missing endpoint or API key gives a disabled logger, reported once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const errors: ClearlogError[] = [];
    const logger: Logger = createLogger({ endpoint: "", apiKey: "k", onError: (e) => errors.push(e) });
    expect(logger.logSystemEvent("x")).toBeUndefined();
    await expect(logger.flush()).resolves.toBeUndefined();
    await expect(logger.shutdown()).resolves.toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual(["config"]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(() => createLogger(undefined as never)).not.toThrow();
  });

  it("without onError, lost events are still reported on the console (transient failures are not)", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const logger = createLogger({ endpoint: "http://x", apiKey: "k", fetch: fakeFetch().fetch });
    logger.logSystemEvent("");
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("name is required"));
  });

  it("bad numeric options fall back to defaults with a report", () => {
    const errors: ClearlogError[] = [];
    createLogger({ endpoint: "http://x", apiKey: "k", batchSize: -1, fetch: fakeFetch().fetch, onError: (e) => errors.push(e) });
    expect(errors[0]?.message).toContain("batchSize");
  });
});

describe("event shapes", () => {
  it("logAIInteraction: OpenTelemetry-style fields in ai, the rest in attributes", async () => {
    const { logger, events } = setup();
    logger.logAIInteraction("chat", {
      model: "gpt-4o",
      provider: "openai",
      messages: [{ role: "user", content: "hi" }, { role: "assistant", content: [{ type: "text", text: "hello" }] as never }],
      tokens: 120,
      latencyMs: "850" as never,
      costUsd: 0.002,
      conversationId: "c1",
      temperature: 0.2,
    });
    logger.logAIInteraction("embeddings", { model: "e5", tokens: 10, inputTokens: 7, outputTokens: 3, response: { vector: [1] } as never });
    await logger.flush();
    const [chat, emb] = events();
    expect(chat).toMatchObject({ type: "ai_interaction", severity: "info", attributes: { temperature: 0.2 } });
    expect(chat?.ai).toEqual({
      model: "gpt-4o",
      operation: "chat",
      provider: "openai",
      messages: [{ role: "user", content: "hi" }, { role: "assistant", content: '[{"type":"text","text":"hello"}]' }],
      tokens: 120,
      latencyMs: 850,
      costUsd: 0.002,
      conversationId: "c1",
    });
    expect(emb?.ai).toEqual({ model: "e5", operation: "embeddings", inputTokens: 7, outputTokens: 3, response: '{"vector":[1]}' });
    expect(emb?.attributes).toBeUndefined();
  });

  it("logApiRequest: upper-cased method, severity from status", async () => {
    const { logger, events } = setup();
    logger.logApiRequest({ method: "post", route: "/api/projects/:id", status: 503, durationMs: 12.5, requestBody: { a: 1 } as never }, { region: "eu" });
    logger.logApiRequest({ method: "GET", route: "/", status: "404" as never });
    logger.logApiRequest({ method: "GET", route: "/", status: 200 });
    await logger.flush();
    const e = events();
    expect(e[0]).toMatchObject({
      type: "api_request",
      severity: "error",
      http: { method: "POST", route: "/api/projects/:id", status: 503, durationMs: 12.5, requestBody: '{"a":1}' },
      attributes: { region: "eu" },
    });
    expect(e.map((x) => x.severity)).toEqual(["error", "warn", "info"]);
  });

  it("logSystemEvent and logUserAction carry name/action, severity and the default component", async () => {
    const fake = fakeFetch();
    const logger = createLogger({ endpoint: "http://x", apiKey: "k", component: "web", fetch: fake.fetch });
    logger.logSystemEvent("cache.miss", { key: "k1" }, "warn");
    logger.logSystemEvent("odd", undefined, "loud" as never);
    logger.logUserAction("click", "", "not-an-object" as never);
    await logger.flush();
    const e = fake.calls.flatMap((c) => c.events);
    expect(e[0]).toMatchObject({ type: "system", name: "cache.miss", severity: "warn", component: "web", attributes: { key: "k1" } });
    expect(e[1]?.severity).toBe("info");
    expect(e[2]).toMatchObject({ type: "user_action", action: "click", component: "web", attributes: { value: "not-an-object" } });
    expect(typeof e[0]?.timestamp).toBe("string");
  });
});

describe("ids and sizes", () => {
  it("builds RFC 4122 v4 ids from random bytes", () => {
    expect(uuidFromBytes(new Uint8Array(16).fill(255))).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    expect(uuidFromBytes(new Uint8Array(16))).toBe("00000000-0000-4000-8000-000000000000");
  });

  it("falls back when crypto.randomUUID is missing", async () => {
    vi.stubGlobal("crypto", { getRandomValues: (a: Uint8Array) => a.fill(7) });
    try {
      const { newEventId } = await import("./ids");
      expect(newEventId()).toBe("07070707-0707-4707-8707-070707070707");
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("measures UTF-8 bytes", () => {
    for (const s of ["", "abc", "é", "€", "😀", "a😀é€"]) expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  });
});
