import { describe, expect, it, vi } from "vitest";

// Next bundles instrumentation.ts and the route handlers separately, so a module can be loaded twice
// in one process while the database (and the pool whose connect() reads the claims) exists once.
describe("connection claims", () => {
  it("are one store per process, whichever copy of the module asks", async () => {
    const first = await import("./connection-claims");
    vi.resetModules();
    const second = await import("./connection-claims");
    expect(second).not.toBe(first);
    expect(second.claims).toBe(first.claims);
  });
});
