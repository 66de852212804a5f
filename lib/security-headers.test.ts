import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isCrossOriginAction, newNonce, servedOverHttps } from "./security-headers";

describe("contentSecurityPolicy", () => {
  it("allows scripts only with the nonce, forbids framing, plugins and foreign forms", () => {
    const csp = contentSecurityPolicy("abc123");
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    for (const d of ["default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"]) expect(csp).toContain(d);
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy("n", { https: true })).toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy("n", { dev: true })).toContain("'unsafe-eval'");
  });

  it("makes a different, unguessable nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("servedOverHttps (when HSTS is sent)", () => {
  it.each([
    ["auto", "https", true],
    ["auto", "https, http", true],
    ["auto", "HTTPS", true],
    ["auto", "http", false],
    ["auto", null, false],
    ["true", null, true],
    ["false", "https", false],
  ] as const)("%s with X-Forwarded-Proto %j: %s", (setting, proto, expected) => {
    expect(servedOverHttps(setting, proto)).toBe(expected);
  });
});

describe("isCrossOriginAction", () => {
  const h = (init: Record<string, string>) => new Headers(init);
  it("refuses a server-action POST whose Origin is another site, or unreadable", () => {
    expect(isCrossOriginAction("POST", h({ "next-action": "abc", origin: "https://evil.example", host: "clearlog.example" }))).toBe(true);
    expect(isCrossOriginAction("POST", h({ "next-action": "abc", origin: "null", host: "clearlog.example" }))).toBe(true);
    expect(isCrossOriginAction("POST", h({ "next-action": "abc", origin: "https://clearlog.example.evil.example", host: "clearlog.example" }))).toBe(true);
    expect(isCrossOriginAction("POST", h({ "next-action": "abc", origin: "http://127.0.0.1:4000", host: "127.0.0.1:3000" }))).toBe(true);
  });

  it("lets same-origin actions, other methods and ordinary POSTs through", () => {
    expect(isCrossOriginAction("POST", h({ "next-action": "abc", origin: "https://clearlog.example", host: "clearlog.example" }))).toBe(false);
    expect(isCrossOriginAction("POST", h({ "next-action": "abc", origin: "https://clearlog.example", host: "internal:3000", "x-forwarded-host": "clearlog.example" }))).toBe(false);
    expect(isCrossOriginAction("POST", h({ "next-action": "abc", host: "clearlog.example" }))).toBe(false);
    expect(isCrossOriginAction("GET", h({ "next-action": "abc", origin: "https://evil.example", host: "clearlog.example" }))).toBe(false);
    expect(isCrossOriginAction("POST", h({ origin: "https://evil.example", host: "clearlog.example" }), "/api/v1/events")).toBe(false);
  });

  it("a form posted to a page from another origin (a server action without JavaScript) is refused too", () => {
    expect(isCrossOriginAction("POST", h({ origin: "https://evil.example", host: "clearlog.example" }), "/login")).toBe(true);
    expect(isCrossOriginAction("POST", h({ origin: "https://clearlog.example", host: "clearlog.example" }), "/login")).toBe(false);
  });
});
