import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "./default-rules";
import { checkRegex, compileRuleRegex, MAX_REGEX_LENGTH, MAX_REGEX_PROGRAM_SIZE } from "./rule-regex";

// Admin rule regexes run on RE2: the patterns that used to be refused for catastrophic backtracking
// now run in time linear in the text; what RE2 cannot express is refused with the construct named;
// the size limits stay.

const message = (pattern: string) => {
  const check = checkRegex(pattern);
  return check.ok ? null : check.message;
};

function msToScan(pattern: string, text: string): number {
  const regex = compileRuleRegex(pattern);
  const start = performance.now();
  regex.spans(text);
  return performance.now() - start;
}

// Each with a text built to make a backtracking engine try exponentially (or quadratically) many
// ways: a long run the pattern can match, then a character that makes the match fail.
const CATASTROPHIC: [string, (n: number) => string][] = [
  ["(a+)+$", (n) => `${"a".repeat(n)}!`],
  ["^(a+)+$", (n) => `${"a".repeat(n)}!`],
  ["(a*)*$", (n) => `${"a".repeat(n)}!`],
  ["(a?)+$", (n) => `${"a".repeat(n)}!`],
  ["(.*)*=", (n) => "x".repeat(n)],
  [String.raw`(\w+\s?)*$`, (n) => `${"ab ".repeat(n / 3)}!`],
  [String.raw`(?:[a-z]+|\d+)+$`, (n) => `${"a1".repeat(n / 2)}!`],
  ["(?:[a-z]{2,4})+$", (n) => `${"a".repeat(n)}!`],
  ["(a|a)*$", (n) => `${"a".repeat(n)}!`],
  ["(a|ab)*c", (n) => "ab".repeat(n / 2)],
  [String.raw`(\d|\w)+$`, (n) => `${"1".repeat(n)}!`],
  [String.raw`\w+\w+x`, (n) => "a".repeat(n)],
  [String.raw`\d+\s*\d+x`, (n) => "1".repeat(n)],
  [".*.*=", (n) => "x".repeat(n)],
  ["[a-z]+@x", (n) => "a".repeat(n)],
];

describe("patterns that backtrack catastrophically in JavaScript", () => {
  it.each(CATASTROPHIC)("%s is accepted and runs in linear time", (pattern, text) => {
    expect(checkRegex(pattern)).toEqual({ ok: true });
    // A backtracking engine needs 2^n (or n²) steps here: hours for the exponential ones at n = 24.
    const short = msToScan(pattern, text(12_000));
    const long = msToScan(pattern, text(96_000));
    expect(long).toBeLessThan(2_000);
    // 8 times the text: linear is about 8 times the time, quadratic 64 times. Generous for a busy machine.
    expect(long).toBeLessThan(short * 24 + 200);
  });

  it("finds the same matches a backtracking engine finds, where it finishes", () => {
    const regex = compileRuleRegex("(a|ab)*c");
    expect(regex.spans("xx ababac yy abc")).toEqual([[3, 9], [13, 16]]);
    expect(compileRuleRegex("(a+)+$").spans("baaa")).toEqual([[1, 4]]);
  });
});

describe("syntax RE2 cannot run is refused, naming the construct", () => {
  it.each([
    ["(?<=order )#\\d{4,10}", "uses a lookbehind `(?<=…)`, which RE2 does not support"],
    ["(?<!x)y", "uses a negative lookbehind `(?<!…)`"],
    ["x(?=(a+)+b)", "uses a lookahead `(?=…)`"],
    ["x(?!y)", "uses a negative lookahead `(?!…)`"],
    ["(?>a+)b", "uses an atomic group `(?>…)`"],
    ["(a)\\1", "uses a backreference `\\1`"],
    ["(?<id>[a-f0-9]{8})-\\k<id>", "uses a named backreference `\\k<id>`"],
    ["\\u20AC", "uses the escape `\\u20AC`, which RE2 does not support (it has no lookaround or backreferences: that is what keeps matching linear in time); write the code point as `\\x{20AC}`."],
    ["\\u{1F600}", "write the code point as `\\x{1F600}`"],
  ])("%s", (pattern, expected) => {
    expect(message(pattern)).toContain(expected);
  });

  it("says why and what to write instead", () => {
    expect(message("(?<=order )#\\d+")).toBe(
      "uses a lookbehind `(?<=…)`, which RE2 does not support (it has no lookaround or backreferences: that is what keeps matching linear in time); match the preceding text too, or narrow the rule with a field path.",
    );
  });

  it("passes on RE2's own reason for other syntax errors", () => {
    expect(message("(")).toBe("is not valid RE2 syntax: missing closing ): `(`.");
    expect(message("a**")).toBe("is not valid RE2 syntax: invalid nested repetition operator: `**`.");
    expect(message("\\Z")).toBe("is not valid RE2 syntax: invalid escape sequence: `\\Z`.");
  });

  it("does not mistake characters in a class for a construct", () => {
    expect(checkRegex("[(?=]+")).toEqual({ ok: true });
    expect(checkRegex("\\(\\?<=")).toEqual({ ok: true });
  });
});

describe("size limits", () => {
  it(`refuses patterns over ${MAX_REGEX_LENGTH} characters`, () => {
    expect(checkRegex("a".repeat(MAX_REGEX_LENGTH))).toEqual({ ok: true });
    expect(message("a".repeat(MAX_REGEX_LENGTH + 1))).toBe(`is ${MAX_REGEX_LENGTH + 1} characters long; the limit is ${MAX_REGEX_LENGTH}.`);
  });

  it("refuses repeat counts over 1,000 (RE2's own limit)", () => {
    expect(checkRegex("x{900}")).toEqual({ ok: true });
    expect(message("x{1001}")).toBe("is not valid RE2 syntax: invalid repeat count: `{1001}`.");
    expect(message("(x{100}){100}")).toMatch(/^is not valid RE2 syntax: invalid repeat count/);
  });

  it(`refuses programs over ${MAX_REGEX_PROGRAM_SIZE} instructions, which bound the work per character`, () => {
    expect(checkRegex(String.raw`[\w.+-]{1,64}@[\w-]{1,255}\.[a-z]{2,24}`)).toEqual({ ok: true });
    expect(message(".{1000}")).toBe("compiles to 1002 RE2 instructions; the limit is 1000. Use smaller repetition counts (e.g. {1,64} rather than {1,1000}).");
    expect(message("(?i)[a-z]{1,1000}")).toMatch(/^compiles to \d+ RE2 instructions/);
  });
});

describe("ordinary patterns", () => {
  it.each([
    String.raw`\b[A-Z]{2}\d{6}\b`,
    "cus_[a-z0-9]+",
    "^/(healthz|readyz)$",
    String.raw`(\d+\.){3}\d+`,
    "(?:https?|ftp)://\\S+",
    String.raw`(?<id>[a-f0-9]{8})-[a-f0-9]{4}`,
    String.raw`\p{Lu}\p{Ll}+`,
    "(?i)password reset",
    "\\x{1F600}",
  ])("%s is accepted", (pattern) => {
    expect(checkRegex(pattern)).toEqual({ ok: true });
  });

  it("accepts the regexes of the default rules", () => {
    for (const rule of DEFAULT_RULES) if (rule.matchRegex) expect(checkRegex(rule.matchRegex), rule.name).toEqual({ ok: true });
  });
});

describe("matches, as the engine acts on them", () => {
  it("gives offsets as JavaScript string indices, around characters outside the BMP", () => {
    const text = "😀xx😀x";
    const spans = compileRuleRegex("x+").spans(text);
    expect(spans).toEqual([[2, 4], [6, 7]]);
    expect(spans.map(([s, e]) => text.slice(s, e))).toEqual(["xx", "x"]);
    expect(compileRuleRegex(".").spans("a😀")).toEqual([[0, 1], [1, 3]]);
  });

  it("skips empty matches and keeps going past lone surrogates", () => {
    expect(compileRuleRegex("a*").spans("baab")).toEqual([[1, 3]]);
    expect(compileRuleRegex("x").spans("\uD800x\uDC00x")).toEqual([[1, 2], [3, 4]]);
  });

  it("tests anywhere in the text, and (?i) ignores case", () => {
    const regex = compileRuleRegex("(?i)order-\\d+");
    expect(regex.test("see ORDER-12 now")).toBe(true);
    expect(regex.test("see order now")).toBe(false);
    expect(regex.source).toBe("(?i)order-\\d+");
  });
});
