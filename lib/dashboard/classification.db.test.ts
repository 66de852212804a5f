import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadClassificationBreakdown } from "./classification";
import { rangeWindow } from "./range";
import { clearEvents, insertEvents, NOW, preparePartitions, times } from "@/test/support/dashboard-events";

beforeAll(preparePartitions);
beforeEach(clearEvents);

describe("loadClassificationBreakdown", () => {
  it("counts events per level in enum order, zero for a level without events, only inside the range", async () => {
    await insertEvents([
      ...times(3, { type: "user_action", at: "2026-03-15T01:00:00.000Z", classification: "internal" }),
      ...times(2, { type: "ai_interaction", at: "2026-03-14T14:00:00.000Z", classification: "confidential" }),
      { type: "error", at: "2026-03-15T12:00:00.000Z", classification: "restricted" },
      { type: "system", at: "2026-03-14T12:59:59.999Z", classification: "public" }, // before the 24 h
      { type: "system", at: "2026-03-15T13:00:00.000Z", classification: "restricted" }, // after them
    ]);
    expect(await loadClassificationBreakdown(rangeWindow("24h", NOW))).toEqual([
      { classification: "public", count: 0 },
      { classification: "internal", count: 3 },
      { classification: "confidential", count: 2 },
      { classification: "restricted", count: 1 },
    ]);
    const week = await loadClassificationBreakdown(rangeWindow("7d", NOW));
    expect(week.map((c) => c.count)).toEqual([1, 3, 2, 2]);
  });
});
