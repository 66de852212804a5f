import { ANY, contains, intersects, NONE, parseRegex, RegexSyntaxError, union, type CharSet, type RegexNode } from "./regex-safety-parse";

// Validation of an admin-written rule regex before it is saved. Rules run on every text of every
// ingested event, so a pattern that backtracks catastrophically would stall ingestion. This file
// rejects, by shape, what is known to backtrack exponentially or polynomially, with a message that
// names the part and says how to fix it. Pure and synchronous: the rule form runs it in the browser
// too. The server adds a second line of defence, a timed run against adversarial texts
// (regex-safety-runtime.ts), for what no shape rule sees (e.g. `[a-z]+@x` on a long run of letters).

export const MAX_REGEX_LENGTH = 500;
export const MAX_REPEAT_COUNT = 1000;

export type RegexCheck = { ok: true } | { ok: false; message: string };

interface Info {
  nullable: boolean;
  /** characters a match can start with */
  first: CharSet;
  /** characters a match can end with */
  last: CharSet;
  /** every character a match can contain */
  chars: CharSet;
  /** can match texts of different lengths through a quantifier (or a back-reference) */
  variable: boolean;
  /** contains an unbounded quantifier (`*`, `+`, `{n,}`) */
  unbounded: boolean;
}

const memo = new WeakMap<RegexNode, Info>();

function info(node: RegexNode): Info {
  let i = memo.get(node);
  if (!i) memo.set(node, (i = compute(node)));
  return i;
}

function compute(node: RegexNode): Info {
  switch (node.kind) {
    case "chars":
      return { nullable: false, first: node.set, last: node.set, chars: node.set, variable: false, unbounded: false };
    case "assert":
      return { nullable: true, first: NONE, last: NONE, chars: NONE, variable: false, unbounded: false };
    case "backref":
      return { nullable: true, first: ANY, last: ANY, chars: ANY, variable: true, unbounded: true };
    case "group":
      return node.lookaround ? { nullable: true, first: NONE, last: NONE, chars: NONE, variable: false, unbounded: false } : info(node.body);
    case "repeat": {
      const body = info(node.body);
      return { ...body, nullable: node.min === 0 || body.nullable, variable: node.max > node.min || body.variable, unbounded: node.max === Infinity || body.unbounded };
    }
    case "alt": {
      const options = node.options.map(info);
      return {
        nullable: options.some((o) => o.nullable),
        first: union(...options.map((o) => o.first)),
        last: union(...options.map((o) => o.last)),
        chars: union(...options.map((o) => o.chars)),
        variable: options.some((o) => o.variable),
        unbounded: options.some((o) => o.unbounded),
      };
    }
    case "seq": {
      const items = node.items.map(info);
      const firsts: CharSet[] = [];
      for (const item of items) {
        firsts.push(item.first);
        if (!item.nullable) break;
      }
      const lasts: CharSet[] = [];
      for (const item of [...items].reverse()) {
        lasts.push(item.last);
        if (!item.nullable) break;
      }
      return {
        nullable: items.every((o) => o.nullable),
        first: union(...firsts),
        last: union(...lasts),
        chars: union(...items.map((o) => o.chars)),
        variable: items.some((o) => o.variable),
        unbounded: items.some((o) => o.unbounded),
      };
    }
  }
}

/** The items matched one after another: groups and nested sequences opened up. */
function flatten(node: RegexNode): RegexNode[] {
  if (node.kind === "group" && !node.lookaround) return flatten(node.body);
  if (node.kind === "seq") return node.items.flatMap(flatten);
  return [node];
}

function children(node: RegexNode): RegexNode[] {
  switch (node.kind) {
    case "seq":
      return node.items;
    case "alt":
      return node.options;
    case "group":
    case "repeat":
      return [node.body];
    default:
      return [];
  }
}

function* walk(node: RegexNode): Generator<RegexNode> {
  yield node;
  for (const child of children(node)) yield* walk(child);
}

/** The quantifier (or back-reference) that makes a part variable, as written. */
function variablePart(node: RegexNode): string {
  for (const n of walk(node)) if ((n.kind === "repeat" && n.max > n.min) || n.kind === "backref") return n.src;
  return node.src;
}

/** A fixed text (no classes, no quantifiers) or null. */
function literal(node: RegexNode): string | null {
  const items = flatten(node);
  let out = "";
  for (const item of items) {
    if (item.kind !== "chars" || item.set.length !== 1 || item.set[0]![0] !== item.set[0]![1]) return null;
    out += String.fromCodePoint(item.set[0]![0]);
  }
  return out;
}

function alternativesOverlap(a: RegexNode, b: RegexNode): boolean {
  const [la, lb] = [literal(a), literal(b)];
  if (la !== null && lb !== null) return la.startsWith(lb) || lb.startsWith(la);
  return info(a).nullable || info(b).nullable || intersects(info(a).first, info(b).first);
}

const code = (s: string) => `\`${s}\``;

/**
 * Whether the border between a match of `a` and a match of `b` right after it can move: `b` must be
 * able to take over the end of `a`'s match, or `a` the start of `b`'s.
 */
function borderCanShift(a: Info, b: Info): boolean {
  return intersects(b.first, a.chars) && intersects(a.last, b.chars);
}

/** A repetition whose body can be matched in more than one way across iterations. */
function loopProblem(loop: Extract<RegexNode, { kind: "repeat" }>): string | null {
  const body = info(loop.body);
  if (body.nullable) {
    return `${code(loop.src)} repeats ${code(loop.body.src)}, which can match an empty text, so it can repeat in endlessly many ways (catastrophic backtracking). Make the repeated part match at least one character.`;
  }
  for (const n of walk(loop.body)) {
    if (n.kind !== "alt") continue;
    for (let i = 0; i < n.options.length; i++) {
      for (let j = i + 1; j < n.options.length; j++) {
        const [a, b] = [n.options[i]!, n.options[j]!];
        if (alternativesOverlap(a, b)) {
          return `${code(loop.src)} repeats a choice whose alternatives ${code(a.src)} and ${code(b.src)} can match the same text, so a failing match tries every combination (catastrophic backtracking). Make the alternatives start differently, e.g. ${code("(ab?)*")} instead of ${code("(a|ab)*")}.`;
        }
      }
    }
  }
  const items = flatten(loop.body);
  for (let j = 0; j < items.length; j++) {
    if (!info(items[j]!).variable) continue;
    // What can follow the variable part: the rest of this repetition, then the next one.
    for (let step = 1; step <= items.length; step++) {
      const next = items[(j + step) % items.length]!;
      if (borderCanShift(info(items[j]!), info(next))) {
        return `${code(loop.src)} repeats ${code(variablePart(items[j]!))} (a quantifier inside a quantifier) where consecutive repetitions can match the same characters, so a failing match tries exponentially many splits (catastrophic backtracking). End each repetition with a character the inner part cannot match, e.g. ${code("(\\w+\\s)*")} instead of ${code("(\\w+\\s?)*")}, or drop the outer quantifier.`;
      }
      if (!info(next).nullable) break;
    }
  }
  return null;
}

/** Two unbounded quantifiers in a row that can match the same characters (`\w+\w+`, `\d+\s*\d+`). */
function adjacentProblem(seq: RegexNode): string | null {
  const items = flatten(seq);
  for (let j = 0; j < items.length; j++) {
    const a = info(items[j]!);
    if (!a.unbounded) continue;
    for (let k = j + 1; k < items.length; k++) {
      const b = info(items[k]!);
      if (b.unbounded && borderCanShift(a, b)) {
        return `${code(variablePart(items[j]!))} and ${code(variablePart(items[k]!))} follow each other and can match the same characters, so a failing match tries every way to split the text between them (polynomial backtracking). Merge them into one quantifier or put a required separator between them.`;
      }
      if (!b.nullable) break;
    }
  }
  return null;
}

function shapeProblem(tree: RegexNode): string | null {
  for (const node of walk(tree)) {
    if (node.kind === "repeat") {
      if (node.min > MAX_REPEAT_COUNT || (node.max !== Infinity && node.max > MAX_REPEAT_COUNT)) {
        return `${code(node.src)} repeats more than ${MAX_REPEAT_COUNT} times; use a smaller count.`;
      }
      if (node.max >= 2) {
        const problem = loopProblem(node);
        if (problem) return problem;
      }
    }
    if (node.kind === "seq") {
      const problem = adjacentProblem(node);
      if (problem) return problem;
    }
  }
  return null;
}

/** Why a pattern does not compile, without the engine's `/pattern/flags` prefix. */
export function compileError(pattern: string): string | null {
  try {
    new RegExp(pattern, "gu");
    return null;
  } catch (error) {
    const message = (error as Error).message;
    return message.slice(message.lastIndexOf(": ") + 2) || message;
  }
}

/** Checks a rule regex: length, that it compiles with flags `gu`, and that it cannot backtrack catastrophically by shape. */
export function checkRegex(pattern: string): RegexCheck {
  if (pattern.length > MAX_REGEX_LENGTH) return { ok: false, message: `is ${pattern.length} characters long; the limit is ${MAX_REGEX_LENGTH}.` };
  const error = compileError(pattern);
  if (error) return { ok: false, message: `does not compile as a JavaScript regular expression (flags gu): ${error}.` };
  let tree: RegexNode;
  try {
    tree = parseRegex(pattern);
  } catch (e) {
    if (!(e instanceof RegexSyntaxError)) throw e;
    return { ok: false, message: `uses syntax the safety check cannot read (${e.message}); simplify it.` };
  }
  const problem = shapeProblem(tree);
  return problem ? { ok: false, message: problem } : { ok: true };
}

const PREFERRED = "a0A _-.@:/";

/** A character of the set that reads well in a message: a letter, digit, space or common mark if the set has one. */
function sample(set: CharSet): number | null {
  for (const c of PREFERRED) if (contains(set, c.codePointAt(0)!)) return c.codePointAt(0)!;
  for (const [lo, hi] of set) if (hi >= 0x21) return Math.max(lo, 0x21);
  return set[0]?.[0] ?? null;
}

/** A character outside the set, to make a match fail at the end of a long run. */
function outside(set: CharSet): string {
  for (const c of "!\n \u0000#") if (!contains(set, c.codePointAt(0)!)) return c;
  return "";
}

/**
 * Texts built to make the pattern backtrack: long runs of each character it can match, and a run of
 * all of them in turn, each ended by a character that makes the match fail.
 */
export function adversarialTexts(pattern: string, length: number): string[] {
  let tree: RegexNode;
  try {
    tree = parseRegex(pattern);
  } catch {
    return [];
  }
  const sets: CharSet[] = [];
  for (const node of walk(tree)) if (node.kind === "chars") sets.push(node.set);
  const samples = [...new Set(sets.map(sample).filter((c): c is number => c !== null))].slice(0, 10);
  const all = union(...sets);
  const texts = samples.map((c) => String.fromCodePoint(c).repeat(length) + outside(all));
  if (samples.length > 1) {
    const cycle = String.fromCodePoint(...samples);
    texts.push(cycle.repeat(Math.ceil(length / cycle.length)).slice(0, length) + outside(all));
  }
  return texts;
}
