// A small parser for JavaScript regular expressions in `u` mode (the mode rules are compiled in),
// producing just enough structure for the backtracking analysis in regex-safety.ts: which characters
// each part can match, where the repetitions are, and how they nest. Pure: runs in the browser too.
// Callers compile the pattern first, so the syntax is known to be valid; what this parser does not
// model precisely (Unicode properties, back-references) it over-approximates as "any character".

/** Sorted, disjoint, inclusive code-point ranges. */
export type CharSet = readonly (readonly [number, number])[];

const MAX_CP = 0x10ffff;
export const ANY: CharSet = [[0, MAX_CP]];
export const NONE: CharSet = [];

export function normalize(ranges: (readonly [number, number])[]): CharSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export const union = (...sets: CharSet[]): CharSet => normalize(sets.flat() as [number, number][]);

export function complement(set: CharSet): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

export function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i]!;
    const [blo, bhi] = b[j]!;
    if (alo <= bhi && blo <= ahi) return true;
    if (ahi < bhi) i++;
    else j++;
  }
  return false;
}

export const contains = (set: CharSet, cp: number): boolean => set.some(([lo, hi]) => cp >= lo && cp <= hi);

const cp = (c: string) => c.codePointAt(0)!;
const DIGIT: CharSet = [[48, 57]];
const WORD: CharSet = normalize([[48, 57], [65, 90], [95, 95], [97, 122]]);
const SPACE: CharSet = normalize(
  [9, 10, 11, 12, 13, 32, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff].map((c) => [c, c] as [number, number]).concat([[0x2000, 0x200a]]),
);
const LINE_TERMINATORS: CharSet = normalize([[10, 10], [13, 13], [0x2028, 0x2029]]);
export const DOT: CharSet = complement(LINE_TERMINATORS);

const CLASS_ESCAPES: Record<string, CharSet> = { d: DIGIT, D: complement(DIGIT), w: WORD, W: complement(WORD), s: SPACE, S: complement(SPACE) };
const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };

/** Every node keeps its own text (`src`), so problems can be shown as the admin wrote them. */
export type RegexNode = { src: string } & (
  | { kind: "chars"; set: CharSet }
  | { kind: "seq"; items: RegexNode[] }
  | { kind: "alt"; options: RegexNode[] }
  | { kind: "group"; body: RegexNode; lookaround: boolean }
  | { kind: "repeat"; body: RegexNode; min: number; max: number }
  | { kind: "assert" }
  | { kind: "backref" }
);

export class RegexSyntaxError extends Error {}

/** Parses a pattern that already compiles with the `u` flag. */
export function parseRegex(pattern: string): RegexNode {
  let at = 0;
  const peek = (n = 0): string | undefined => pattern[at + n];
  const fail = (what: string): never => {
    throw new RegexSyntaxError(`${what} at position ${at + 1}`);
  };
  const src = (start: number) => pattern.slice(start, at);
  const chars = (start: number, set: CharSet): RegexNode => ({ kind: "chars", set, src: src(start) });
  const single = (start: number, code: number) => chars(start, [[code, code]]);

  function parseAlt(): RegexNode {
    const start = at;
    const options = [parseSeq()];
    while (peek() === "|") {
      at++;
      options.push(parseSeq());
    }
    return options.length === 1 ? options[0]! : { kind: "alt", options, src: src(start) };
  }

  function parseSeq(): RegexNode {
    const start = at;
    const items: RegexNode[] = [];
    while (at < pattern.length && peek() !== "|" && peek() !== ")") {
      const itemStart = at;
      items.push(parseQuantifier(parseAtom(), itemStart));
    }
    return items.length === 1 ? items[0]! : { kind: "seq", items, src: src(start) };
  }

  function parseQuantifier(atom: RegexNode, start: number): RegexNode {
    let min: number;
    let max: number;
    const c = peek();
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
      if (!m) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      at += m[0].length - 1;
    } else return atom;
    at++;
    if (peek() === "?") at++; // lazy: backtracks just as much when the match fails
    return { kind: "repeat", body: atom, min, max, src: src(start) };
  }

  function parseAtom(): RegexNode {
    const start = at;
    const c = peek()!;
    if (c === "^" || c === "$") {
      at++;
      return { kind: "assert", src: c };
    }
    if (c === ".") {
      at++;
      return chars(start, DOT);
    }
    if (c === "(") return parseGroup();
    if (c === "[") return chars(start, parseClass());
    if (c === "\\") return parseEscape(false);
    const code = cp(pattern.slice(at));
    at += code > 0xffff ? 2 : 1;
    return single(start, code);
  }

  function parseGroup(): RegexNode {
    const start = at;
    at++; // (
    let lookaround = false;
    if (peek() === "?") {
      const head = pattern.slice(at, at + 3);
      if (head.startsWith("?:")) at += 2;
      else if (head.startsWith("?=") || head.startsWith("?!")) [at, lookaround] = [at + 2, true];
      else if (head === "?<=" || head === "?<!") [at, lookaround] = [at + 3, true];
      else if (head.startsWith("?<")) {
        const close = pattern.indexOf(">", at);
        if (close < 0) fail("unterminated group name");
        at = close + 1;
      } else fail("unsupported group");
    }
    const body = parseAlt();
    if (peek() !== ")") fail("missing )");
    at++;
    return { kind: "group", body, lookaround, src: src(start) };
  }

  /** One escape, outside or inside a class: characters, an assertion or a back-reference. */
  function parseEscape(inClass: boolean): RegexNode {
    const start = at;
    at++; // backslash
    const c = peek();
    if (c === undefined) return fail("trailing backslash");
    at++;
    if (CLASS_ESCAPES[c]) return chars(start, CLASS_ESCAPES[c]!);
    if (c === "b") return inClass ? single(start, 8) : { kind: "assert", src: src(start) };
    if (c === "B") return { kind: "assert", src: src(start) };
    if (CONTROL_ESCAPES[c] !== undefined) return single(start, CONTROL_ESCAPES[c]!);
    if (c === "0" && !/\d/.test(peek() ?? "")) return single(start, 0);
    if (/[1-9]/.test(c)) {
      while (/\d/.test(peek() ?? "")) at++;
      return { kind: "backref", src: src(start) };
    }
    if (c === "k" && !inClass) {
      const close = pattern.indexOf(">", at);
      at = close < 0 ? pattern.length : close + 1;
      return { kind: "backref", src: src(start) };
    }
    if (c === "p" || c === "P") {
      const close = pattern.indexOf("}", at);
      at = close < 0 ? pattern.length : close + 1;
      return chars(start, ANY); // a Unicode property: modelled as any character
    }
    if (c === "c") {
      const letter = peek() ?? "@";
      at++;
      return single(start, cp(letter) % 32);
    }
    if (c === "x") {
      at += 2;
      return single(start, parseInt(pattern.slice(at - 2, at), 16));
    }
    if (c === "u") {
      if (peek() === "{") {
        const close = pattern.indexOf("}", at);
        const code = parseInt(pattern.slice(at + 1, close), 16);
        at = close + 1;
        return single(start, code);
      }
      const code = parseInt(pattern.slice(at, at + 4), 16);
      at += 4;
      if (code >= 0xd800 && code <= 0xdbff && /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(pattern.slice(at))) {
        const low = parseInt(pattern.slice(at + 2, at + 6), 16);
        at += 6;
        return single(start, (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000);
      }
      return single(start, code);
    }
    return single(start, cp(c)); // an escaped syntax character such as \. or \/
  }

  function classAtom(): CharSet {
    if (peek() === "\\") {
      const node = parseEscape(true);
      return node.kind === "chars" ? node.set : ANY;
    }
    const code = cp(pattern.slice(at));
    at += code > 0xffff ? 2 : 1;
    return [[code, code]];
  }

  const isSingle = (set: CharSet) => set.length === 1 && set[0]![0] === set[0]![1];

  function parseClass(): CharSet {
    at++; // [
    const negated = peek() === "^";
    if (negated) at++;
    const parts: CharSet[] = [];
    while (at < pattern.length && peek() !== "]") {
      const low = classAtom();
      if (peek() === "-" && peek(1) !== "]" && peek(1) !== undefined && isSingle(low)) {
        at++;
        const high = classAtom();
        parts.push(isSingle(high) ? [[low[0]![0], high[0]![0]]] : union(low, [[45, 45]], high));
        continue;
      }
      parts.push(low);
    }
    if (peek() !== "]") fail("missing ]");
    at++;
    const set = union(...parts);
    return negated ? complement(set) : set;
  }

  const tree = parseAlt();
  if (at < pattern.length) fail("unmatched )");
  return tree;
}
