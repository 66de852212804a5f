import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadApiLatency } from "./api-latency";
import { rangeWindow } from "./range";
import { clearEvents, insertEvents, NOW, preparePartitions, times, type TestEvent } from "@/test/support/dashboard-events";

beforeAll(preparePartitions);
beforeEach(clearEvents);

const req = (route: string, durationMs: number | null, status = 200, at = "2026-03-14T10:00:00.000Z"): TestEvent => ({ type: "api_request", at, route, durationMs, status });

describe("loadApiLatency", () => {
  it("computes interpolated p50/p95, request count and 5xx share per route, only inside the range", async () => {
    await insertEvents([
      // /api/projects: 10, 20 … 100 ms → p50 55, p95 95.5; two of ten answered 5xx.
      ...[10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((ms, i) => req("/api/projects", ms, i === 0 ? 500 : i === 9 ? 503 : 200)),
      req("/api/projects", 5000, 500, "2026-03-08T23:00:00.000Z"), // before the range
      // /api/users: 5, 7, 9 and one without a duration (counted, not in the percentiles); a 499 is not 5xx.
      req("/api/users", 5),
      req("/api/users", 7, 499),
      req("/api/users", 9),
      req("/api/users", null),
      // An error event with a route is not a request.
      { type: "error", at: "2026-03-14T10:00:00.000Z", route: "/api/users", durationMs: 1 },
    ]);
    const routes = await loadApiLatency(rangeWindow("7d", NOW));
    expect(routes).toEqual([
      { route: "/api/projects", requests: 10, p50: 55, p95: 95.5, serverErrorRate: 20 },
      { route: "/api/users", requests: 4, p50: 7, p95: 8.8, serverErrorRate: 0 },
    ]);
  });

  it("keeps the ten busiest routes, ties in name order, and reports null percentiles without durations", async () => {
    const events = Array.from({ length: 11 }, (_, i) => times(i + 1, req(`/r/${String.fromCharCode(97 + i)}`, null))).flat();
    events.push(req("/r/tie", null), req("/r/tie", null)); // ties with /r/b (2 requests) and sorts after it
    await insertEvents(events);
    const routes = await loadApiLatency(rangeWindow("7d", NOW));
    expect(routes.map((r) => `${r.route}:${r.requests}`)).toEqual(["/r/k:11", "/r/j:10", "/r/i:9", "/r/h:8", "/r/g:7", "/r/f:6", "/r/e:5", "/r/d:4", "/r/c:3", "/r/b:2"]);
    expect(routes[0]).toMatchObject({ p50: null, p95: null, serverErrorRate: 0 });
  });
});
