import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next";

describe("safeNext", () => {
  it("keeps paths on this site", () => {
    expect(safeNext("/admin")).toBe("/admin");
    expect(safeNext("/admin/audit?action=api_key.create&outcome=success")).toBe("/admin/audit?action=api_key.create&outcome=success");
  });

  it.each([
    ["an absolute URL", "https://evil.example/admin"],
    ["a protocol-relative URL", "//evil.example"],
    ["a backslash trick", "/\\evil.example"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path", "admin"],
    ["an encoded newline header trick", "/admin\r\nLocation: x"],
    ["something absurdly long", `/${"a".repeat(600)}`],
    ["a non-string", 42],
  ])("refuses %s", (_label, value) => {
    expect(safeNext(value)).toBeNull();
  });
});
