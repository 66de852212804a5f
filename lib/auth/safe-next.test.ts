import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next";

// Where sign-in may send the browser (lib/auth/safe-next.ts): only paths on this site, after the
// normalization a browser would apply.
describe("safeNext", () => {
  it.each([
    ["/admin", "/admin"],
    ["/admin/audit?action=api_key.create&outcome=success", "/admin/audit?action=api_key.create&outcome=success"],
    ["/privacy#requests", "/privacy#requests"],
    ["/admin/../privacy", "/privacy"],
    ["/./admin", "/admin"],
    ["/admin/logs?q=a%20b", "/admin/logs?q=a%20b"],
  ])("keeps %j as %j", (value, expected) => {
    expect(safeNext(value)).toBe(expected);
  });

  it.each([
    ["an absolute URL", "https://evil.example/admin"],
    ["a protocol-relative URL", "//evil.example"],
    ["a protocol-relative URL with a path", "//evil.example/admin"],
    ["a dot-dot climb to //", "/..//evil.example"],
    ["a dot climb to //", "/.//evil.example"],
    ["an encoded dot-dot climb", "/%2e%2e//evil.example"],
    ["an encoded upper-case dot-dot climb", "/%2E%2E//evil.example"],
    ["an encoded dot climb", "/%2e//evil.example"],
    ["several climbs", "/a/b/../../..//evil.example"],
    ["encoded slashes", "/%2f%2fevil.example"],
    ["an encoded backslash", "/%5c%5cevil.example"],
    ["a backslash trick", "/\\evil.example"],
    ["a backslash after a slash", "/\\/evil.example"],
    ["backslashes only", "\\\\evil.example"],
    ["a tab inside //", "/\t/evil.example"],
    ["a newline inside //", "/\n/evil.example"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a data: URL", "data:text/html,<script>alert(1)</script>"],
    ["a relative path", "admin"],
    ["a scheme-relative with credentials", "//user:pass@evil.example"],
    ["an encoded newline header trick", "/admin\r\nLocation: x"],
    ["a NUL", "/admin\u0000"],
    ["broken percent-encoding", "/%E0%A4%A"],
    ["something absurdly long", `/${"a".repeat(600)}`],
    ["an empty string", ""],
    ["a non-string", 42],
    ["null", null],
  ])("refuses %s", (_label, value) => {
    expect(safeNext(value)).toBeNull();
  });

  it("never yields anything that a browser would resolve to another origin", () => {
    const hostile = ["/..//evil.example", "/.//evil.example", "/%2e%2e//evil.example", "/%2e%2e/%2fevil.example", "/.%2e//evil.example", "/x/..//evil.example"];
    for (const value of hostile) {
      const result = safeNext(value);
      if (result !== null) expect(new URL(result, "https://clearlog.example").origin, value).toBe("https://clearlog.example");
    }
  });
});
