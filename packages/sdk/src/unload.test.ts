// Page hide / unload: queued events leave with fetch keepalive (simulated document and window).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "./index";
import { accepted, fakeFetch, type Responder } from "@/test/support/sdk-fetch";
import { keepaliveChunk, KEEPALIVE_MAX_BYTES } from "./unload";
import type { LoggerOptions } from "./types";

class FakeDocument extends EventTarget {
  visibilityState: "visible" | "hidden" = "visible";
  hide() {
    this.visibilityState = "hidden";
    this.dispatchEvent(new Event("visibilitychange"));
  }
  show() {
    this.visibilityState = "visible";
    this.dispatchEvent(new Event("visibilitychange"));
  }
}

let doc: FakeDocument;
let win: EventTarget;

beforeEach(() => {
  vi.useFakeTimers();
  doc = new FakeDocument();
  win = new EventTarget();
  vi.stubGlobal("document", doc);
  vi.stubGlobal("window", win);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function setup(responder?: Responder, options: Partial<LoggerOptions> = {}) {
  const fake = fakeFetch(responder);
  const logger = createLogger({ endpoint: "https://logs.example.test", apiKey: "k1", fetch: fake.fetch, flushIntervalMs: 60_000, ...options });
  return { logger, calls: fake.calls };
}

describe("page hide", () => {
  it("sends queued events with fetch keepalive and the Authorization header when the page is hidden", async () => {
    const { logger, calls } = setup();
    logger.logUserAction("a", "c");
    logger.logUserAction("b", "c");
    doc.show();
    expect(calls).toHaveLength(0);
    doc.hide();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.init).toMatchObject({ method: "POST", keepalive: true, headers: { Authorization: "Bearer k1", "Content-Type": "application/json" } });
    expect(calls[0]?.events.map((e) => e.action)).toEqual(["a", "b"]);
    // the page lived on and the server confirmed them: they are not sent again
    expect(logger.stats()).toMatchObject({ queued: 0, sent: 2 });
    await logger.flush();
    expect(calls).toHaveLength(1);
  });

  it("sends on pagehide, only the oldest events that fit in 64 KiB; the rest stay queued", async () => {
    const { logger, calls } = setup(undefined, { batchSize: 1000 });
    const ids: (string | undefined)[] = [];
    for (let i = 0; i < 200; i++) ids.push(logger.logSystemEvent(`e${i}`, { pad: "x".repeat(1000) }));
    win.dispatchEvent(new Event("pagehide"));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    const body = calls[0]?.init.body ?? "";
    expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(KEEPALIVE_MAX_BYTES);
    const sent = calls[0]?.events.map((e) => e.id) ?? [];
    expect(sent.length).toBeGreaterThan(50);
    expect(sent).toEqual(ids.slice(0, sent.length));
    expect(logger.stats().queued).toBe(200 - sent.length);
  });

  it("puts events already in flight first, and sends one keepalive request at a time", async () => {
    let release: (() => void) | undefined;
    const { logger, calls } = setup(
      (call) =>
        call.init.keepalive
          ? new Promise((resolve) => {
              release = () => resolve(accepted(call.events));
            })
          : new Promise<Response>(() => {}),
      { batchSize: 2 },
    );
    const a = logger.logSystemEvent("a");
    const b = logger.logSystemEvent("b"); // a full batch: in flight, never answered
    await vi.advanceTimersByTimeAsync(0);
    const c = logger.logSystemEvent("c");
    doc.hide();
    win.dispatchEvent(new Event("pagehide"));
    await vi.advanceTimersByTimeAsync(0);
    const keepalive = calls.filter((x) => x.init.keepalive);
    expect(keepalive).toHaveLength(1);
    expect(keepalive[0]?.events.map((e) => e.id)).toEqual([a, b, c]);
    release?.();
    await vi.advanceTimersByTimeAsync(0);
    // c was pending and is now confirmed; a and b are left to their own request
    expect(logger.stats()).toMatchObject({ queued: 2, sent: 1 });
  });

  it("keeps the events when the keepalive request fails", async () => {
    const { logger } = setup(() => new Error("offline"));
    logger.logSystemEvent("a");
    doc.hide();
    await vi.advanceTimersByTimeAsync(0);
    expect(logger.stats()).toMatchObject({ queued: 1, sent: 0 });
  });

  it("shutdown removes the listeners; flushOnPageHide: false installs none", async () => {
    const { logger, calls } = setup();
    await logger.shutdown();
    const other = setup(undefined, { flushOnPageHide: false });
    other.logger.logSystemEvent("x");
    doc.hide();
    win.dispatchEvent(new Event("pagehide"));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(0);
    expect(other.calls).toHaveLength(0);
  });
});

describe("keepaliveChunk", () => {
  const ev = (id: string, bytes: number) => ({ id, json: "x".repeat(bytes), bytes });
  it("takes the oldest events that fit and skips one too large on its own", () => {
    expect(keepaliveChunk([ev("big", 500), ev("a", 45), ev("b", 45), ev("c", 10)], 100).map((e) => e.id)).toEqual(["a"]);
    expect(keepaliveChunk([ev("a", 10), ev("b", 10), ev("c", 10)], 100, 2).map((e) => e.id)).toEqual(["a", "b"]);
  });
});
