import { describe, expect, it } from "vitest";
import { checkRegexRuntime, RUNTIME_BUDGET_MS } from "./regex-safety-runtime";

// The timed second line of defence: patterns the shape rules let through but that backtrack
// polynomially on long texts are refused; a runaway pattern is stopped, never waited for.

describe("checkRegexRuntime", () => {
  it("accepts linear patterns", async () => {
    for (const pattern of [String.raw`\b[A-Z]{2}\d{6}\b`, "cus_[a-z0-9]+", "^/(healthz|readyz)$", String.raw`[\w.+-]{1,64}@[\w-]{1,255}\.[a-z]{2,24}`]) {
      expect(await checkRegexRuntime(pattern), pattern).toEqual({ ok: true });
    }
  });

  it("refuses a quadratic pattern, naming the budget, the text and the fix", async () => {
    const check = await checkRegexRuntime("[a-z]+@x");
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.message).toContain(`takes more than ${RUNTIME_BUDGET_MS} ms on a 20,000-character text ("aaaaaa…" and "!" at the end)`);
    expect(check.message).toContain("Bound the repetitions");
  });

  it("stops an exponential pattern instead of waiting for it", async () => {
    const started = Date.now();
    // Exponential: 2^40 steps would take hours. The shape rules refuse it before this check runs.
    const check = await checkRegexRuntime("^(a+)+$", { length: 40 });
    expect(check.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
