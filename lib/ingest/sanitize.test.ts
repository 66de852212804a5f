import { describe, expect, it } from "vitest";
import { cleanEvent, cleanValue, deeperThan, jsonBytes, MAX_DEPTH } from "./sanitize";

const nest = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

describe("cleanValue", () => {
  it("removes NUL and replaces lone surrogates, in values and keys, and says which", () => {
    expect(cleanValue({ "a\u0000": ["x\u0000y", "\uD83D!", "😀"], n: 1, b: null }, "e")).toEqual({
      ok: true,
      value: { a: ["xy", "\uFFFD!", "😀"], n: 1, b: null },
      sanitized: ["nul", "surrogate"],
    });
    expect(cleanValue({ fine: "😀 é 日" }, "e")).toEqual({ ok: true, value: { fine: "😀 é 日" }, sanitized: [] });
  });

  it("keeps a __proto__ key an ordinary key", () => {
    const result = cleanValue(JSON.parse('{"__proto__":{"polluted":true}}'), "e");
    expect(result.ok && Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it("refuses more than MAX_DEPTH levels, naming where, whatever the depth", () => {
    expect(cleanValue(nest(MAX_DEPTH), "e")).toMatchObject({ ok: true });
    expect(cleanValue(nest(MAX_DEPTH + 1), "e")).toEqual({ ok: false, path: `e${"[0]".repeat(MAX_DEPTH)}`, reason: `is nested more than ${MAX_DEPTH} levels deep` });
    expect(cleanValue(nest(100_000), "e")).toMatchObject({ ok: false });
  });
});

describe("cleanEvent", () => {
  it("leaves the id as sent, so an id with a NUL is refused by validation rather than changed", () => {
    expect(cleanEvent({ id: "a\u0000", message: "m\u0000" }, "events[0]")).toEqual({ ok: true, value: { id: "a\u0000", message: "m" }, sanitized: ["nul"] });
  });
});

describe("deeperThan and jsonBytes", () => {
  it("answer for any depth without overflowing the stack", () => {
    expect(deeperThan(nest(200_000), MAX_DEPTH)).toBe(true);
    expect(deeperThan(nest(10), MAX_DEPTH)).toBe(false);
    expect(jsonBytes(nest(200_000))).toBeNull();
    expect(jsonBytes({ a: "é" })).toBe(10);
  });
});
