import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rangeWindow } from "./range";
import { clearEvents, insertEvents, NOW, preparePartitions, times, type TestEvent } from "@/test/support/dashboard-events";
import { loadTopErrors } from "./top-errors";

beforeAll(preparePartitions);
beforeEach(clearEvents);

const err = (fingerprint: string, at: string, extra: Partial<TestEvent> = {}): TestEvent => ({ type: "error", at, fingerprint, errorType: "TypeError", ...extra });

describe("loadTopErrors", () => {
  it("ranks fingerprints by count in the range, ties by last seen, with the latest sample and a zero-filled trend", async () => {
    await insertEvents([
      // "aaaa…" has the most errors in the range; the three before it must not count.
      ...times(3, err("aaaaaaaaaaaaaaaa", "2026-03-08T12:00:00.000Z", { message: "too old" })),
      ...times(2, err("aaaaaaaaaaaaaaaa", "2026-03-10T09:00:00.000Z", { message: "older sample" })),
      err("aaaaaaaaaaaaaaaa", "2026-03-14T09:00:00.000Z", { message: "latest sample [EMAIL:0123456789ab]", errorType: "RangeError" }),
      // "bbbb…" and "cccc…" tie on 2; "cccc…" was seen last.
      ...times(2, err("bbbbbbbbbbbbbbbb", "2026-03-11T00:00:00.000Z")),
      err("cccccccccccccccc", "2026-03-09T00:00:00.000Z"),
      err("cccccccccccccccc", "2026-03-15T11:00:00.000Z", { errorType: null }),
      // Not errors, or not fingerprinted: ignored.
      { type: "api_request", at: "2026-03-12T00:00:00.000Z", fingerprint: "dddddddddddddddd" },
      ...times(5, err("", "2026-03-12T00:00:00.000Z", { fingerprint: null })),
    ]);
    const top = await loadTopErrors(rangeWindow("7d", NOW));
    expect(top.map((e) => [e.fingerprint, e.count])).toEqual([
      ["aaaaaaaaaaaaaaaa", 3],
      ["cccccccccccccccc", 2],
      ["bbbbbbbbbbbbbbbb", 2],
    ]);
    expect(top[0]).toMatchObject({ errorType: "RangeError", message: "latest sample [EMAIL:0123456789ab]", lastSeen: "2026-03-14T09:00:00.000Z", trend: [0, 2, 0, 0, 0, 1, 0] });
    expect(top[1]).toMatchObject({ errorType: null, lastSeen: "2026-03-15T11:00:00.000Z", trend: [1, 0, 0, 0, 0, 0, 1] });
    expect(top[2]!.trend).toEqual([0, 0, 2, 0, 0, 0, 0]);
  });

  it("returns at most ten fingerprints, the most frequent, a tie at the cut going to the latest seen", async () => {
    const events = Array.from({ length: 12 }, (_, i) => times(i + 1, err(`fp${String(i).padStart(14, "0")}`, "2026-03-15T00:00:00.000Z"))).flat();
    events.push(...times(3, err("zzzzzzzzzzzzzzzz", "2026-03-15T01:00:00.000Z"))); // ties fp…02 (3), seen later
    await insertEvents(events);
    const top = await loadTopErrors(rangeWindow("24h", NOW));
    expect(top).toHaveLength(10);
    expect(top.map((e) => e.count)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(top[9]!.fingerprint).toBe("zzzzzzzzzzzzzzzz");
    expect(top[0]!.trend).toHaveLength(24);
    expect(top[0]!.trend[11]).toBe(12); // 00:00 is the twelfth hour after 13:00 the day before
  });
});
