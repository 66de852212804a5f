import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadEventVolume } from "./event-volume";
import { rangeWindow } from "./range";
import { clearEvents, insertEvents, NOW, preparePartitions, times } from "@/test/support/dashboard-events";

beforeAll(preparePartitions);
beforeEach(clearEvents);

const zero = { user_action: 0, ai_interaction: 0, api_request: 0, error: 0, system: 0, total: 0, errorRate: null };

describe("loadEventVolume", () => {
  it("counts events per UTC day by type over 7 days, zero-fills empty days and leaves out events outside the range", async () => {
    await insertEvents([
      { at: "2026-03-08T23:59:59.999Z", type: "user_action" }, // the millisecond before the range
      { at: "2026-03-09T00:00:00.000Z", type: "user_action" }, // its first instant
      ...times(2, { at: "2026-03-12T08:00:00.000Z", type: "user_action" }),
      { at: "2026-03-12T23:59:59.999Z", type: "api_request" },
      { at: "2026-03-12T10:00:00.000Z", type: "error" },
      ...times(3, { at: "2026-03-15T12:00:00.000Z", type: "ai_interaction" }),
      { at: "2026-03-15T01:00:00.000Z", type: "error" },
      { at: "2026-03-16T00:00:00.000Z", type: "system" }, // after the range (tomorrow)
    ]);
    const v = await loadEventVolume(rangeWindow("7d", NOW));
    expect(v.points.map((p) => p.bucket)).toEqual(["09", "10", "11", "12", "13", "14", "15"].map((d) => `2026-03-${d}T00:00:00.000Z`));
    expect(v.points[0]).toMatchObject({ ...zero, user_action: 1, total: 1, errorRate: 0 });
    for (const i of [1, 2, 4, 5]) expect(v.points[i]).toMatchObject(zero);
    expect(v.points[3]).toMatchObject({ ...zero, user_action: 2, api_request: 1, error: 1, total: 4, errorRate: 25 });
    expect(v.points[6]).toMatchObject({ ...zero, ai_interaction: 3, error: 1, total: 4, errorRate: 25 });
    expect([v.total, v.errors, v.errorRate]).toEqual([9, 2, 22.22]);
  });

  it("buckets by hour over 24 hours, the current hour last", async () => {
    await insertEvents([
      { at: "2026-03-14T12:59:59.999Z", type: "error" }, // before the first hour
      { at: "2026-03-14T13:00:00.000Z", type: "system" },
      ...times(2, { at: "2026-03-15T05:10:00.000Z", type: "system" }),
      { at: "2026-03-15T05:50:00.000Z", type: "error" },
      { at: "2026-03-15T12:45:00.000Z", type: "api_request" }, // later in the current hour than "now"
    ]);
    const v = await loadEventVolume(rangeWindow("24h", NOW));
    expect(v.points).toHaveLength(24);
    expect(v.points[0]).toMatchObject({ ...zero, bucket: "2026-03-14T13:00:00.000Z", system: 1, total: 1, errorRate: 0 });
    expect(v.points[16]).toMatchObject({ ...zero, bucket: "2026-03-15T05:00:00.000Z", system: 2, error: 1, total: 3, errorRate: 33.33 });
    expect(v.points[23]).toMatchObject({ ...zero, bucket: "2026-03-15T12:00:00.000Z", api_request: 1, total: 1, errorRate: 0 });
    expect(v.points.filter((p) => p.total === 0)).toHaveLength(21);
    expect([v.total, v.errors]).toEqual([5, 1]);
  });

  it("covers 30 days for 30d and returns zeros, not nothing, for an empty range", async () => {
    await insertEvents([
      { at: "2026-02-13T23:00:00.000Z", type: "user_action" }, // the day before the range
      { at: "2026-02-14T00:30:00.000Z", type: "user_action" },
    ]);
    const month = await loadEventVolume(rangeWindow("30d", NOW));
    expect(month.points).toHaveLength(30);
    expect(month.points[0]).toMatchObject({ bucket: "2026-02-14T00:00:00.000Z", user_action: 1 });
    expect(month.points.at(-1)!.bucket).toBe("2026-03-15T00:00:00.000Z");
    expect(month.total).toBe(1);

    const empty = await loadEventVolume(rangeWindow("7d", NOW));
    expect(empty.points).toHaveLength(7);
    expect(empty.points.every((p) => p.total === 0 && p.errorRate === null)).toBe(true);
    expect([empty.total, empty.errors, empty.errorRate]).toEqual([0, 0, null]);
  });
});
