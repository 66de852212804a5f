import { describe, expect, it } from "vitest";

describe("the package export", () => {
  it("exposes the SDK as clearlog/sdk", async () => {
    const sdk = await import("clearlog/sdk");
    expect(typeof sdk.createLogger).toBe("function");
    const logger = sdk.createLogger({ endpoint: "http://127.0.0.1:9", apiKey: "clk_00000000_x", flushIntervalMs: 60_000, onError: () => {} });
    expect(typeof logger.logUserAction("open", "test")).toBe("string");
    await logger.shutdown({ timeoutMs: 10 });
  });
});
