import { describe, expect, it } from "vitest";
import { costOf, priceFor, priceTable } from "./price-match";

const table = priceTable([
  { model: "gpt-4o", inputUsdPerMillion: 2.5, outputUsdPerMillion: 10 },
  { model: "gpt-4o-mini", inputUsdPerMillion: 0.15, outputUsdPerMillion: 0.6 },
  { model: "o3", inputUsdPerMillion: 2, outputUsdPerMillion: 8 },
  { model: "claude-3-5-sonnet", inputUsdPerMillion: 3, outputUsdPerMillion: 15 },
  { model: "gemini-2.0-flash", inputUsdPerMillion: 0.1, outputUsdPerMillion: 0.4 },
]);

describe("model prices", () => {
  it("matches exact names, dated versions and the longest family prefix", () => {
    expect(priceFor(table, "gpt-4o")?.model).toBe("gpt-4o");
    expect(priceFor(table, "gpt-4o-2024-08-06")?.model).toBe("gpt-4o");
    expect(priceFor(table, "gpt-4o-mini-2024-07-18")?.model).toBe("gpt-4o-mini");
    expect(priceFor(table, "GPT-4o-Mini")?.model).toBe("gpt-4o-mini");
  });

  it("matches only at a word boundary", () => {
    expect(priceFor(table, "o3x")).toBeUndefined();
    expect(priceFor(table, "gpt-4obis")).toBeUndefined();
    expect(priceFor(table, "o3-2025-04-16")?.model).toBe("o3");
  });

  it("reads dotted versions, router and Bedrock names", () => {
    expect(priceFor(table, "claude-3.5-sonnet")?.model).toBe("claude-3-5-sonnet");
    expect(priceFor(table, "anthropic/claude-3.5-sonnet")?.model).toBe("claude-3-5-sonnet");
    expect(priceFor(table, "anthropic.claude-3-5-sonnet-20240620-v1:0")?.model).toBe("claude-3-5-sonnet");
    expect(priceFor(table, "models/gemini-2.0-flash-001")?.model).toBe("gemini-2.0-flash");
  });

  it("computes the cost from the token counts, or nothing without a price or counts", () => {
    expect(costOf(table, "gpt-4o-mini", 1_000_000, 1_000_000)).toBe(0.75);
    expect(costOf(table, "gpt-4o", 21, 9)).toBe(0.000143); // 21 × 2.5e-6 + 9 × 1e-5 = 0.0001425 → 6 decimals
    expect(costOf(table, "gpt-4o", null, 1000)).toBe(0.01);
    expect(costOf(table, "gpt-4o", null, null)).toBeUndefined();
    expect(costOf(table, "unknown-model", 10, 10)).toBeUndefined();
    expect(costOf(table, null, 10, 10)).toBeUndefined();
  });
});
