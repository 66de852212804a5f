import { describe, expect, it } from "vitest";
import { staleDatabaseNames } from "./test-database";

describe("staleDatabaseNames", () => {
  const now = Date.UTC(2026, 10, 27, 12);
  const name = (prefix: string, hoursAgo: number, suffix = "") => `${prefix}${(now - hoursAgo * 3_600_000).toString(36)}${suffix}`;

  it("picks the databases of its prefix created over six hours ago, and nothing else", () => {
    const old = name("clearlog_test_", 7, "_ab12cd34");
    const recent = name("clearlog_test_", 5, "_ab12cd34");
    const oldE2e = name("clearlog_e2e_", 30);
    expect(staleDatabaseNames([old, recent, oldE2e, "clearlog", "postgres", "clearlog_test_notatime"], "clearlog_test_", now)).toEqual([old]);
    expect(staleDatabaseNames([old, recent, oldE2e], "clearlog_e2e_", now)).toEqual([oldE2e]);
  });
});
