import { RE2JS, RE2JSException } from "re2js";

// Admin-written rule regexes run on RE2 (its JavaScript port, re2js): matching takes time linear in
// the text, whatever the pattern, so no rule can make ingestion backtrack (no ReDoS by construction).
// What keeps the constant small are the size limits below. RE2 has no backreferences and no
// lookaround; such patterns are refused with a message that names the construct. Pure and
// browser-safe: the rule form checks with the very engine that ingestion runs.

export const MAX_REGEX_LENGTH = 500;
/**
 * RE2's compiled program, in instructions: the most work matching can do per character of text.
 * Realistic patterns stay well under it; an e-mail pattern with bounded parts is about 700.
 */
export const MAX_REGEX_PROGRAM_SIZE = 1000;

/** What the classification engine needs of a rule regex. */
export interface RuleRegex {
  /** the pattern as the admin wrote it */
  readonly source: string;
  /** Every non-empty match, left to right, as [start, end) offsets into the text (JavaScript string indices). */
  spans(text: string): [number, number][];
  /** Whether the pattern matches somewhere in the text. */
  test(text: string): boolean;
}

export type RegexCheck = { ok: true } | { ok: false; message: string };

export class RuleRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RuleRegexError";
  }
}

/** Constructs RE2 refuses that other engines accept, by how they begin: what they are, and what to write instead. */
const GROUPS: [string, string, string][] = [
  ["(?=", "a lookahead `(?=…)`", "match the following text too, or narrow the rule with a field path"],
  ["(?!", "a negative lookahead `(?!…)`", "use a negated class such as `[^x]`, or narrow the rule with a field path"],
  ["(?<=", "a lookbehind `(?<=…)`", "match the preceding text too, or narrow the rule with a field path"],
  ["(?<!", "a negative lookbehind `(?<!…)`", "use `\\b` or a negated class such as `[^x]`"],
  ["(?>", "an atomic group `(?>…)`", "use a plain group `(?:…)`"],
];
const ESCAPES: [RegExp, (written: string) => string, (written: string) => string][] = [
  [/^\\[1-9]\d*/, (w) => `a backreference \`${w}\``, () => "repeat the group's pattern instead of referring to what it matched"],
  [/^\\k<[^>]*>?/, (w) => `a named backreference \`${w}\``, () => "repeat the group's pattern instead of referring to what it matched"],
  [/^\\u(\{[0-9A-Fa-f]+\}|[0-9A-Fa-f]{4})?/, (w) => `the escape \`${w}\``, (w) => `write the code point as \`\\x{${w.replace(/^\\u\{?|\}$/g, "") || "20AC"}}\``],
];

/** The first construct of the pattern that RE2 does not support, described, or null. */
function unsupportedConstruct(pattern: string): string | null {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    let found: [string, string] | undefined;
    if (c === "\\") {
      for (const [start, what, instead] of ESCAPES) {
        const written = start.exec(pattern.slice(i))?.[0];
        if (written) found ??= [what(written), instead(written)];
      }
      i++;
    } else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "(" && !inClass) {
      const group = GROUPS.find(([start]) => pattern.startsWith(start, i));
      if (group) found = [group[1], group[2]];
    }
    if (found) return `uses ${found[0]}, which RE2 does not support (it has no lookaround or backreferences: that is what keeps matching linear in time); ${found[1]}.`;
  }
  return null;
}

function compile(pattern: string): RE2JS {
  if (pattern.length > MAX_REGEX_LENGTH) throw new RuleRegexError(`is ${pattern.length} characters long; the limit is ${MAX_REGEX_LENGTH}.`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    const construct = unsupportedConstruct(pattern);
    if (construct) throw new RuleRegexError(construct);
    const reason = error.message.replace(/^error parsing regexp: /, "");
    throw new RuleRegexError(`is not valid RE2 syntax: ${reason}.`);
  }
  const size = re.programSize();
  if (size > MAX_REGEX_PROGRAM_SIZE) {
    throw new RuleRegexError(`compiles to ${size} RE2 instructions; the limit is ${MAX_REGEX_PROGRAM_SIZE}. Use smaller repetition counts (e.g. {1,64} rather than {1,1000}).`);
  }
  return re;
}

/** Compiles a rule regex; throws a RuleRegexError whose message reads on from "The regex …". */
export function compileRuleRegex(pattern: string): RuleRegex {
  const re = compile(pattern);
  return {
    source: pattern,
    spans(text) {
      // Most texts do not match: RE2's DFA answers that without tracking where matches are.
      if (!re.test(text)) return [];
      const out: [number, number][] = [];
      const m = re.matcher(text);
      while (m.find()) if (m.end() > m.start()) out.push([m.start(), m.end()]);
      return out;
    },
    test: (text) => re.test(text),
  };
}

/** Checks a rule regex as it will run: within the size limits, and valid RE2 syntax. */
export function checkRegex(pattern: string): RegexCheck {
  try {
    compile(pattern);
    return { ok: true };
  } catch (error) {
    if (error instanceof RuleRegexError) return { ok: false, message: error.message };
    throw error;
  }
}
