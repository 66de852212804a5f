import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "./index";
import type { ClearlogError } from "./errors";
import { accepted, fakeFetch, json } from "@/test/support/sdk-fetch";
import type { LoggerOptions } from "./types";

const base = { endpoint: "https://logs.example.test/", apiKey: "cl_test_key" };

function setup(options: Partial<LoggerOptions> = {}, responder?: Parameters<typeof fakeFetch>[0]) {
  const fake = fakeFetch(responder);
  const errors: ClearlogError[] = [];
  const logger = createLogger({ ...base, fetch: fake.fetch, onError: (e) => errors.push(e), ...options });
  return { logger, calls: fake.calls, errors };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2025-03-01T12:00:00Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("batching", () => {
  it("sends a full batch at once, with the API key, to /api/v1/events", async () => {
    const { logger, calls } = setup({ batchSize: 3 });
    logger.logUserAction("click", "nav");
    logger.logUserAction("click", "nav");
    expect(calls).toHaveLength(0);
    logger.logUserAction("click", "nav");
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe("https://logs.example.test/api/v1/events");
    expect(calls[0]?.init.headers).toMatchObject({ Authorization: "Bearer cl_test_key", "Content-Type": "application/json" });
    expect(calls[0]?.events).toHaveLength(3);
    expect(logger.stats()).toMatchObject({ queued: 0, sent: 3 });
  });

  it("sends a partial batch after flushIntervalMs", async () => {
    const { logger, calls } = setup({ flushIntervalMs: 2000 });
    logger.logSystemEvent("boot");
    logger.logSystemEvent("ready");
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.events.map((e) => e.name)).toEqual(["boot", "ready"]);
  });

  it("keeps event order across batches, one request in flight at a time", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { logger, calls } = setup({ batchSize: 10 }, async (call) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 50));
      inFlight--;
      return accepted(call.events);
    });
    for (let i = 0; i < 35; i++) logger.logSystemEvent(`e${i}`);
    const flushed = logger.flush();
    await vi.advanceTimersByTimeAsync(1000);
    await flushed;
    expect(maxInFlight).toBe(1);
    expect(calls.map((c) => c.events.length)).toEqual([10, 10, 10, 5]);
    expect(calls.flatMap((c) => c.events.map((e) => e.name))).toEqual(Array.from({ length: 35 }, (_, i) => `e${i}`));
  });

  it("events logged while a request is in flight follow in order", async () => {
    const { logger, calls } = setup({ batchSize: 2 }, async (call) => {
      await new Promise((r) => setTimeout(r, 100));
      return accepted(call.events);
    });
    logger.logSystemEvent("a");
    logger.logSystemEvent("b");
    await vi.advanceTimersByTimeAsync(10);
    logger.logSystemEvent("c");
    await vi.advanceTimersByTimeAsync(500);
    expect(calls.map((c) => c.events.map((e) => e.name))).toEqual([["a", "b"], ["c"]]);
  });
});

describe("queue bound", () => {
  it("drops the oldest events when full and counts them", async () => {
    const { logger, calls, errors } = setup({ maxQueueSize: 5, batchSize: 5, flushIntervalMs: 60_000 }, () => new Error("offline"));
    // the first 5 fill a batch that goes in flight and fails; meanwhile the queue stays bounded
    for (let i = 0; i < 5; i++) logger.logSystemEvent(`e${i}`);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    for (let i = 5; i < 12; i++) logger.logSystemEvent(`e${i}`);
    // in flight: e0..e4 (kept; they may be stored already); pending bounded: each new event replaces the previous
    expect(logger.stats()).toMatchObject({ queued: 5, dropped: 7 });
    expect(errors.filter((e) => e.code === "queue_overflow")).toHaveLength(1);
  });

  it("drops oldest pending events while nothing is in flight", async () => {
    const { logger, calls } = setup({ maxQueueSize: 3, batchSize: 3, flushIntervalMs: 60_000 });
    // batchSize equals the bound, so a full queue is sent at once; use flush timing to check what was kept
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(logger.logSystemEvent(`e${i}`));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls[0]?.events.map((e) => e.name)).toEqual(["e0", "e1", "e2"]);
  });

  it("keeps the newest events when the server is unreachable", async () => {
    let online = false;
    const { logger, calls } = setup({ maxQueueSize: 4, batchSize: 10, maxRetries: 0, flushIntervalMs: 60_000 }, (call) =>
      online ? accepted(call.events) : new Error("offline"),
    );
    for (let i = 0; i < 4; i++) logger.logSystemEvent(`e${i}`); // batchSize is capped at maxQueueSize: a full batch
    await vi.advanceTimersByTimeAsync(0); // fails, goes back to the queue
    for (let i = 4; i < 10; i++) logger.logSystemEvent(`e${i}`);
    expect(logger.stats()).toMatchObject({ queued: 4, dropped: 6, failedAttempts: 1 });
    online = true;
    await logger.flush();
    expect(calls.at(-1)?.events.map((e) => e.name)).toEqual(["e6", "e7", "e8", "e9"]);
    expect(logger.stats()).toMatchObject({ queued: 0, sent: 4, dropped: 6 });
  });
});

describe("shutdown", () => {
  it("flushes, stops the timer, and ignores later log calls", async () => {
    const { logger, calls } = setup();
    logger.logUserAction("save", "editor");
    await logger.shutdown();
    expect(calls).toHaveLength(1);
    expect(logger.logUserAction("save", "editor")).toBeUndefined();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(logger.stats()).toMatchObject({ queued: 0, sent: 1 });
  });

  it("reports events it could not send and resolves within timeoutMs", async () => {
    const { logger, errors } = setup({ maxRetries: 100 }, () => json({ error: "down" }, 503));
    logger.logUserAction("save", "editor");
    const done = logger.shutdown({ timeoutMs: 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(errors.map((e) => e.code)).toContain("shutdown");
  });
});

describe("sessions and subject", () => {
  it("startSession/endSession emit system events and set the session id", async () => {
    const { logger, calls } = setup({ subject: "user-1" });
    logger.logUserAction("before", "x");
    const sid = logger.startSession("s-42");
    expect(sid).toBe("s-42");
    logger.logUserAction("during", "x");
    logger.endSession();
    logger.setSubject(undefined);
    logger.logUserAction("after", "x");
    await logger.flush();
    const events = calls.flatMap((c) => c.events);
    expect(events.map((e) => [e.name ?? e.action, e.sessionId, e.subject])).toEqual([
      ["before", undefined, "user-1"],
      ["session.start", "s-42", "user-1"],
      ["during", "s-42", "user-1"],
      ["session.end", "s-42", "user-1"],
      ["after", undefined, undefined],
    ]);
    expect(events[1]).toMatchObject({ type: "system", severity: "info" });
  });

  it("startSession without an id generates a uuid", () => {
    const { logger } = setup();
    expect(logger.startSession()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
