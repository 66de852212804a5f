import { describe, expect, it } from "vitest";
import { parseRange, rangeWindow, windowParams } from "./range";

const NOW = new Date("2026-03-15T12:30:00.000Z");

describe("parseRange", () => {
  it("accepts the three ranges and falls back to 7d for anything else", () => {
    expect(parseRange("24h")).toBe("24h");
    expect(parseRange("30d")).toBe("30d");
    expect(parseRange(["24h", "30d"])).toBe("24h");
    for (const bad of [undefined, "", "7D", "90d", "24h ", "constructor"]) expect(parseRange(bad)).toBe("7d");
  });
});

describe("rangeWindow", () => {
  it("covers 24 whole hours for 24h, the current hour last", () => {
    const w = rangeWindow("24h", NOW);
    expect(w).toMatchObject({ granularity: "hour", buckets: 24, stepMs: 3_600_000 });
    expect(w.since.toISOString()).toBe("2026-03-14T13:00:00.000Z");
    expect(w.until.toISOString()).toBe("2026-03-15T13:00:00.000Z");
    expect(windowParams(w)[2]).toBe("3600 seconds");
  });

  it("covers whole UTC days for 7d and 30d, today last", () => {
    const week = rangeWindow("7d", NOW);
    expect([week.since.toISOString(), week.until.toISOString(), week.granularity]).toEqual(["2026-03-09T00:00:00.000Z", "2026-03-16T00:00:00.000Z", "day"]);
    const month = rangeWindow("30d", NOW);
    expect([month.since.toISOString(), month.until.toISOString(), month.buckets]).toEqual(["2026-02-14T00:00:00.000Z", "2026-03-16T00:00:00.000Z", 30]);
    expect(windowParams(month)[2]).toBe("86400 seconds");
  });

  it("puts an instant exactly on a boundary in the bucket it starts", () => {
    const w = rangeWindow("7d", new Date("2026-03-15T00:00:00.000Z"));
    expect(w.since.toISOString()).toBe("2026-03-09T00:00:00.000Z");
    expect(w.until.toISOString()).toBe("2026-03-16T00:00:00.000Z");
  });
});
