import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "./index";
import type { ClearlogError } from "./errors";
import { accepted, fakeFetch, json, type Responder } from "@/test/support/sdk-fetch";
import { backoffDelay, parseRetryAfter } from "./transport";
import type { LoggerOptions } from "./types";

function setup(responder: Responder, options: Partial<LoggerOptions> = {}) {
  const fake = fakeFetch(responder);
  const errors: ClearlogError[] = [];
  const callTimes: number[] = [];
  const logger = createLogger({
    endpoint: "http://localhost:3000",
    apiKey: "k",
    fetch: (url, init) => {
      callTimes.push(Date.now());
      return fake.fetch(url, init);
    },
    random: () => 0.5,
    onError: (e) => errors.push(e),
    ...options,
  });
  return { logger, calls: fake.calls, errors, callTimes };
}

/** Fails `failures` times with `failure`, then accepts. */
function failThenAccept(failures: number, failure: () => Response | Error): Responder {
  return (call, i) => (i < failures ? failure() : accepted(call.events));
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("retries", () => {
  it("retries 503 with exponential backoff and full jitter, then succeeds", async () => {
    const { logger, calls, callTimes, errors } = setup(failThenAccept(3, () => json({ error: "unavailable" }, 503)));
    logger.logUserAction("click", "nav");
    const flushed = logger.flush();
    await vi.advanceTimersByTimeAsync(10_000);
    await flushed;
    expect(calls).toHaveLength(4);
    // random() = 0.5: half of 500, 1000, 2000 ms
    const gaps = callTimes.slice(1).map((t, i) => t - (callTimes[i] as number));
    expect(gaps).toEqual([250, 500, 1000]);
    expect(logger.stats()).toMatchObject({ sent: 1, failedAttempts: 3, queued: 0 });
    expect(errors).toEqual([]);
  });

  it("retries network errors (including a fetch that throws synchronously)", async () => {
    const fake = fakeFetch();
    let n = 0;
    const logger = createLogger({
      endpoint: "http://localhost:3000",
      apiKey: "k",
      fetch: (url, init) => {
        if (n++ === 0) throw new TypeError("fetch failed");
        return fake.fetch(url, init);
      },
    });
    logger.logSystemEvent("x");
    const flushed = logger.flush();
    await vi.advanceTimersByTimeAsync(1000);
    await flushed;
    expect(fake.calls).toHaveLength(1);
    expect(logger.stats()).toMatchObject({ sent: 1, failedAttempts: 1 });
  });

  it("honours Retry-After on 429 and 503", async () => {
    const { logger, callTimes } = setup(
      (call, i) => (i === 0 ? json({ error: "slow down" }, 429, { "Retry-After": "7" }) : i === 1 ? json({ error: "x" }, 503, { "Retry-After": "3" }) : accepted(call.events)),
    );
    logger.logSystemEvent("x");
    const flushed = logger.flush();
    await vi.advanceTimersByTimeAsync(6999);
    expect(callTimes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(callTimes).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2999);
    expect(callTimes).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await flushed;
    expect(callTimes.map((t) => t - 1_000_000)).toEqual([0, 7000, 10_000]);
  });

  it("resends the same ids and timestamps on every attempt", async () => {
    const { logger, calls } = setup(failThenAccept(2, () => new Error("ECONNRESET")));
    const id1 = logger.logUserAction("a", "c");
    vi.advanceTimersByTime(5);
    const id2 = logger.logError(new Error("boom"));
    const flushed = logger.flush();
    await vi.advanceTimersByTimeAsync(5000);
    await flushed;
    expect(calls).toHaveLength(3);
    expect(calls[0]?.init.body).toBe(calls[2]?.init.body);
    for (const call of calls) {
      expect(call.events.map((e) => [e.id, e.timestamp])).toEqual([
        [id1, new Date(1_000_000).toISOString()],
        [id2, new Date(1_000_005).toISOString()],
      ]);
    }
  });

  it("after maxRetries keeps the events queued and sends them with a later flush", async () => {
    let up = false;
    const { logger, calls, errors } = setup((call) => (up ? accepted(call.events) : json({ error: "down" }, 502)), { maxRetries: 2 });
    const id = logger.logSystemEvent("x");
    const first = logger.flush();
    await vi.advanceTimersByTimeAsync(750); // 250 + 500 ms of backoff
    await first;
    expect(calls).toHaveLength(3);
    expect(logger.stats()).toMatchObject({ queued: 1, sent: 0, failedAttempts: 3 });
    expect(errors.map((e) => e.code)).toEqual(["retries_exhausted"]);
    up = true;
    await vi.advanceTimersByTimeAsync(2000); // the periodic flush picks them up again
    expect(calls).toHaveLength(4);
    expect(calls[3]?.events[0]?.id).toBe(id);
    expect(logger.stats()).toMatchObject({ queued: 0, sent: 1 });
  });

  it("backs off between flushes too: no tight loop with maxRetries 0 and flushIntervalMs 0", async () => {
    const { logger, calls } = setup(() => new Error("offline"), { maxRetries: 0, flushIntervalMs: 0, random: () => 1 });
    logger.logSystemEvent("x");
    await vi.advanceTimersByTimeAsync(60_000);
    // waits of 500, 1000, 2000, 4000, 8000, 16000, 30000 ms: 7 attempts in the first minute (not thousands)
    expect(calls.length).toBeGreaterThanOrEqual(6);
    expect(calls.length).toBeLessThanOrEqual(8);
    expect(logger.stats().queued).toBe(1);
    await logger.shutdown({ timeoutMs: 0 });
  });

  it("pauses sending when Retry-After is longer than a minute", async () => {
    const { logger, calls } = setup((call, i) => (i === 0 ? json({ error: "quota" }, 429, { "Retry-After": "120" }) : accepted(call.events)));
    logger.logSystemEvent("x");
    await logger.flush(); // resolves without waiting two minutes; the event stays queued
    expect(logger.stats().queued).toBe(1);
    await logger.flush();
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(119_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect(logger.stats()).toMatchObject({ queued: 0, sent: 1 });
  });

  it("aborts and retries a request that hangs", async () => {
    const { logger, calls } = setup((call, i) => (i === 0 ? new Promise<Response>(() => {}) : accepted(call.events)), { requestTimeoutMs: 5000 });
    logger.logSystemEvent("x");
    const flushed = logger.flush();
    await vi.advanceTimersByTimeAsync(6000);
    await flushed;
    expect(calls).toHaveLength(2);
    expect(calls[0]?.init.signal?.aborted).toBe(true);
    expect(logger.stats()).toMatchObject({ sent: 1, failedAttempts: 1 });
  });
});

describe("answers that are not retried", () => {
  it("413 splits the batch in halves, down to single events; a single event still too large is dropped", async () => {
    const big = "x".repeat(1000);
    const { logger, calls, errors } = setup((call) =>
      call.events.length > 2 || call.events.some((e) => e.attributes?.big) ? json({ error: "too large" }, 413) : accepted(call.events),
    );
    for (let i = 0; i < 6; i++) logger.logSystemEvent(`e${i}`, i === 4 ? { big } : undefined);
    await logger.flush();
    expect(calls.map((c) => c.events.map((e) => e.name))).toEqual([
      ["e0", "e1", "e2", "e3", "e4", "e5"],
      ["e0", "e1", "e2"],
      ["e0", "e1"],
      ["e2"],
      ["e3", "e4", "e5"],
      ["e3", "e4"],
      ["e3"],
      ["e4"],
      ["e5"],
    ]);
    expect(logger.stats()).toMatchObject({ sent: 5, rejected: 1, queued: 0 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "too_large", status: 413 });
  });

  it("400 drops the batch and reports the server's reasons", async () => {
    const { logger, calls, errors } = setup((call) =>
      json({ accepted: 0, duplicates: 0, dropped: 0, rejected: 2, results: call.events.map((e) => ({ id: e.id, status: "rejected", field: "type", reason: "unknown type" })) }, 400),
    );
    logger.logSystemEvent("a");
    logger.logSystemEvent("b");
    await logger.flush();
    await logger.flush();
    expect(calls).toHaveLength(1);
    expect(logger.stats()).toMatchObject({ queued: 0, sent: 0, rejected: 2 });
    expect(errors[0]).toMatchObject({ code: "rejected", status: 400 });
    expect(errors[0]?.rejections).toHaveLength(2);
    expect(errors[0]?.message).toContain("type: unknown type");
  });

  it("401 drops the batch and reports the error message", async () => {
    const { logger, errors } = setup(() => json({ error: "invalid API key" }, 401));
    logger.logSystemEvent("a");
    await logger.flush();
    expect(logger.stats()).toMatchObject({ queued: 0, rejected: 1 });
    expect(errors[0]?.message).toContain("HTTP 401: invalid API key");
  });

  it("207 counts per-event rejections and reports their id, field and reason", async () => {
    const { logger, errors } = setup((call) =>
      json(
        {
          accepted: 2,
          duplicates: 0,
          dropped: 0,
          rejected: 1,
          results: call.events.map((e, i) => (i === 1 ? { id: e.id, status: "rejected", field: "http.status", reason: "must be 100–599" } : { id: e.id, status: "accepted" })),
        },
        207,
      ),
    );
    logger.logSystemEvent("a");
    const badId = logger.logSystemEvent("b");
    logger.logSystemEvent("c");
    await logger.flush();
    expect(logger.stats()).toMatchObject({ queued: 0, sent: 2, rejected: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.rejections).toEqual([{ id: badId, field: "http.status", reason: "must be 100–599" }]);
  });
});

describe("helpers", () => {
  it("parses Retry-After seconds and dates", () => {
    expect(parseRetryAfter("5", 0)).toBe(5000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    const now = Date.parse("2025-03-01T12:00:00Z");
    expect(parseRetryAfter("Sat, 01 Mar 2025 12:00:30 GMT", now)).toBe(30_000);
  });

  it("caps the backoff at 30 s", () => {
    expect(backoffDelay(1, () => 0.999)).toBe(499);
    expect(backoffDelay(30, () => 0.999)).toBe(29_970);
    expect(backoffDelay(3, () => 0)).toBe(0);
  });
});
