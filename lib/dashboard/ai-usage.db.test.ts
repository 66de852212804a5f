import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadAiUsage, OTHER_MODELS, UNSPECIFIED_MODEL } from "./ai-usage";
import { rangeWindow } from "./range";
import { clearEvents, insertEvents, NOW, preparePartitions, type TestEvent } from "@/test/support/dashboard-events";

beforeAll(preparePartitions);
beforeEach(clearEvents);

const call = (model: string | null, at: string, inputTokens: number | null, outputTokens: number | null, costUsd: number | null, latencyMs: number | null): TestEvent => ({
  type: "ai_interaction",
  at,
  model,
  inputTokens,
  outputTokens,
  costUsd,
  latencyMs,
});

describe("loadAiUsage", () => {
  it("sums tokens and cost and computes latency percentiles per model, only inside the range", async () => {
    await insertEvents([
      call("gpt-4o", "2026-03-10T08:00:00.000Z", 100, 50, 0.0012, 800),
      call("gpt-4o", "2026-03-14T08:00:00.000Z", 200, 150, 0.0034, 1200),
      call("gpt-4o", "2026-03-08T08:00:00.000Z", 9999, 9999, 99, 9999), // before the range
      call("claude-3.5-sonnet", "2026-03-14T09:00:00.000Z", 10, 5, 0.5, 300),
      call(null, "2026-03-15T09:00:00.000Z", null, 7, null, null),
    ]);
    const ai = await loadAiUsage(rangeWindow("7d", NOW));
    expect(ai.models).toEqual([
      { model: "claude-3.5-sonnet", calls: 1, inputTokens: 10, outputTokens: 5, costUsd: 0.5, latencyP50: 300, latencyP95: 300 },
      { model: "gpt-4o", calls: 2, inputTokens: 300, outputTokens: 200, costUsd: 0.0046, latencyP50: 1000, latencyP95: 1180 },
      { model: UNSPECIFIED_MODEL, calls: 1, inputTokens: 0, outputTokens: 7, costUsd: 0, latencyP50: null, latencyP95: null },
    ]);
  });

  it("charts tokens per bucket by model, most tokens first, zero-filled, the rest as other models", async () => {
    await insertEvents([
      call("gpt-4o", "2026-03-10T08:00:00.000Z", 100, 50, null, null),
      call("gpt-4o", "2026-03-14T08:00:00.000Z", 200, 150, null, null),
      call("claude-3.5-sonnet", "2026-03-14T09:00:00.000Z", 10, 5, null, null),
      call("mistral-small", "2026-03-15T09:00:00.000Z", 3, 4, null, null),
      call("gpt-4o", "2026-03-01T08:00:00.000Z", 9999, 9999, null, null), // before the range
    ]);
    const { tokens } = await loadAiUsage(rangeWindow("7d", NOW), 1);
    expect(tokens.series).toEqual([
      { key: "m0", label: "gpt-4o" },
      { key: "m1", label: OTHER_MODELS },
    ]);
    expect(tokens.points).toHaveLength(7);
    expect(tokens.points.map((p) => [p.bucket.slice(0, 10), p.m0, p.m1])).toEqual([
      ["2026-03-09", 0, 0],
      ["2026-03-10", 150, 0],
      ["2026-03-11", 0, 0],
      ["2026-03-12", 0, 0],
      ["2026-03-13", 0, 0],
      ["2026-03-14", 350, 15],
      ["2026-03-15", 0, 7],
    ]);
    const all = await loadAiUsage(rangeWindow("7d", NOW));
    expect(all.tokens.series.map((s) => s.label)).toEqual(["gpt-4o", "claude-3.5-sonnet", "mistral-small"]);
  });

  it("returns no models and no series for a range without AI interactions", async () => {
    await insertEvents([{ type: "user_action", at: "2026-03-14T08:00:00.000Z" }, call("gpt-4o", "2026-03-01T08:00:00.000Z", 1, 1, 1, 1)]);
    const ai = await loadAiUsage(rangeWindow("7d", NOW));
    expect(ai).toEqual({ models: [], tokens: { series: [], points: [] } });
  });
});
