import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "./default-rules";
import { parseRegex } from "./regex-safety-parse";
import { adversarialTexts, checkRegex, MAX_REGEX_LENGTH } from "./regex-safety";

// Shape checks of admin-written rule regexes: ordinary patterns pass, catastrophic ones are refused
// with a message that names the part at fault.

const message = (pattern: string) => {
  const check = checkRegex(pattern);
  return check.ok ? null : check.message;
};

describe("checkRegex accepts ordinary patterns", () => {
  it.each([
    String.raw`\b[A-Z]{2}\d{6}\b`,
    "cus_[a-z0-9]+",
    "ZX-\\d+",
    "^/(healthz|readyz)$",
    String.raw`(\w+\.)+\w+`,
    String.raw`(\d+\.){3}\d+`,
    String.raw`(\d+,\s*)*`,
    "(foo|bar)+",
    "(?:https?|ftp)://\\S+",
    String.raw`[\w.+-]{1,64}@[\w-]{1,255}\.[a-z]{2,24}`,
    String.raw`(?<id>[a-f0-9]{8})-\k<id>`,
    String.raw`\p{Lu}\p{Ll}+`,
    String.raw`(?<=order )#\d{4,10}`,
    "[^\\s@]+@[^\\s@]+",
    "\\u{1F600}|\\uD83D\\uDE00",
    String.raw`(?:\d{3})+`,
  ])("%s", (pattern) => {
    expect(checkRegex(pattern)).toEqual({ ok: true });
  });

  it("accepts the regexes of the default rules", () => {
    for (const rule of DEFAULT_RULES) if (rule.matchRegex) expect(checkRegex(rule.matchRegex), rule.name).toEqual({ ok: true });
  });
});

describe("checkRegex refuses catastrophic shapes and names the part", () => {
  it.each([
    ["(a+)+", "`(a+)+` repeats `a+` (a quantifier inside a quantifier)"],
    ["^(a+)+$", "`(a+)+` repeats `a+`"],
    ["(a*)*", "`(a*)*` repeats `(a*)`, which can match an empty text"],
    ["(a?)+", "can match an empty text"],
    ["(.*)*", "can match an empty text"],
    [String.raw`(\w+\s?)*`, "`(\\w+\\s?)*` repeats `\\w+` (a quantifier inside a quantifier)"],
    ["(?:[a-z]+|\\d+)+", "a quantifier inside a quantifier"],
    ["(?:[a-z]{2,4})+", "repeats `[a-z]{2,4}`"],
    ["(a|a)*", "alternatives `a` and `a` can match the same text"],
    ["(a|ab)*", "alternatives `a` and `ab` can match the same text"],
    ["(?:a|b|ab)+c", "alternatives `a` and `ab`"],
    [String.raw`(\d|\w)+`, "alternatives `\\d` and `\\w`"],
    [String.raw`\w+\w+x`, "`\\w+` and `\\w+` follow each other"],
    [String.raw`\d+\s*\d+`, "`\\d+` and `\\d+` follow each other"],
    [".*.*=", "`.*` and `.*` follow each other"],
    ["x(?=(a+)+b)", "`(a+)+` repeats `a+`"],
  ])("%s", (pattern, expected) => {
    expect(message(pattern)).toContain(expected);
  });

  it("says how to fix a nested quantifier", () => {
    expect(message("(a+)+")).toMatch(/\(catastrophic backtracking\)\. End each repetition with a character/);
  });

  it(`refuses patterns over ${MAX_REGEX_LENGTH} characters`, () => {
    expect(checkRegex("a".repeat(MAX_REGEX_LENGTH))).toEqual({ ok: true });
    expect(message("a".repeat(MAX_REGEX_LENGTH + 1))).toBe(`is ${MAX_REGEX_LENGTH + 1} characters long; the limit is ${MAX_REGEX_LENGTH}.`);
  });

  it("refuses huge repetition counts", () => {
    expect(message("x{1001}")).toContain("`x{1001}` repeats more than 1000 times");
    expect(message("x{2,5000}")).toContain("more than 1000 times");
    expect(checkRegex("x{1000}")).toEqual({ ok: true });
  });

  it("refuses what does not compile with flags gu, with the engine's reason", () => {
    expect(message("(")).toBe("does not compile as a JavaScript regular expression (flags gu): Unterminated group.");
    // Valid without the u flag, invalid with it: rules are compiled with "gu".
    expect(message("\\-")).toMatch(/^does not compile .*flags gu/);
    expect(message("a{")).toMatch(/^does not compile/);
  });
});

describe("parseRegex", () => {
  it("keeps each part's text and models classes as code-point ranges", () => {
    const tree = parseRegex("[a-c\\d]+x");
    expect(tree.kind).toBe("seq");
    if (tree.kind !== "seq") return;
    const [repeat, x] = tree.items;
    expect(repeat).toMatchObject({ kind: "repeat", src: "[a-c\\d]+", min: 1, max: Infinity });
    if (repeat?.kind !== "repeat" || repeat.body.kind !== "chars") throw new Error("unexpected tree");
    expect(repeat.body.set).toEqual([[48, 57], [97, 99]]);
    expect(x).toMatchObject({ kind: "chars", src: "x", set: [[120, 120]] });
  });

  it("reads counted, lazy and negated forms", () => {
    expect(parseRegex("a{2,}?")).toMatchObject({ kind: "repeat", min: 2, max: Infinity, src: "a{2,}?" });
    expect(parseRegex("[^a]")).toMatchObject({ kind: "chars", set: [[0, 96], [98, 0x10ffff]] });
  });
});

describe("adversarialTexts", () => {
  it("builds long runs of each character the pattern can match, ended by one it cannot", () => {
    const texts = adversarialTexts("[a-z]+@x", 8);
    expect(texts).toContain("aaaaaaaa!");
    expect(texts).toContain("@@@@@@@@!");
    expect(texts).toContain("a@xa@xa@!");
  });

  it("ends runs with a character outside the pattern's characters", () => {
    for (const text of adversarialTexts(String.raw`\S+@\S+\.com`, 5)) expect(text.endsWith("\n")).toBe(true);
  });
});
