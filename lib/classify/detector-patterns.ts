import { ibanValid, IBAN_LENGTHS, luhnValid, plausibleCardPrefix } from "./checksums";
import type { DetectorMatch, DetectorName } from "./detector-types";

// Finders for personal data (email, phone, card, IBAN, IP, SSN) and the scanning helpers shared with
// secret-patterns.ts. Every finder is linear in the text: each regex is anchored on a literal or on a
// token boundary and has bounded quantifiers (no nested quantifiers over overlapping classes), and
// each candidate is expanded or validated over a bounded number of characters.

export type Span = [start: number, end: number];

const code = (text: string, i: number): number => (i >= 0 && i < text.length ? text.charCodeAt(i) : -1);
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
export const isAlnum = (c: number): boolean => isDigit(c) || isAlpha(c);

/**
 * Runs a global regex over the text; `accept` validates a candidate and returns its span or null. A
 * rejected candidate is retried from the next character, or, with `skipRejected` (for regexes that
 * match maximal runs), from its end, which keeps the scan linear.
 */
export function scan(
  text: string,
  re: RegExp,
  detector: DetectorName,
  accept: (m: RegExpExecArray) => Span | null,
  skipRejected = false,
): DetectorMatch[] {
  const out: DetectorMatch[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const span = accept(m);
    if (span && span[1] > span[0]) {
      out.push({ start: span[0], end: span[1], detector });
      re.lastIndex = Math.max(span[1], m.index + 1);
    } else {
      re.lastIndex = skipRejected ? m.index + Math.max(m[0].length, 1) : m.index + 1;
    }
  }
  return out;
}

/** Non-overlapping subset of `matches`, chosen greedily in `better` order, returned sorted by start. */
export function resolveOverlaps(matches: DetectorMatch[], better: (a: DetectorMatch, b: DetectorMatch) => number): DetectorMatch[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  let overlaps = false;
  for (let i = 1; i < sorted.length && !overlaps; i++) overlaps = sorted[i]!.start < sorted[i - 1]!.end;
  if (!overlaps) return sorted;
  // Greedy with an occupancy map: each candidate checks at most its own length, so the cost is linear
  // in the total length of the candidates (each detector's own matches never overlap).
  let lo = Infinity;
  let hi = 0;
  for (const m of sorted) {
    lo = Math.min(lo, m.start);
    hi = Math.max(hi, m.end);
  }
  const taken = new Uint8Array(hi - lo);
  const kept: DetectorMatch[] = [];
  for (const m of [...sorted].sort(better)) {
    let free = true;
    for (let i = m.start; i < m.end && free; i++) free = taken[i - lo] === 0;
    if (!free) continue;
    taken.fill(1, m.start - lo, m.end - lo);
    kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** Longer match first, then earlier. */
export const longerFirst = (a: DetectorMatch, b: DetectorMatch): number => b.end - b.start - (a.end - a.start) || a.start - b.start;

// ───────────────────────────── email ─────────────────────────────

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const isWide = (text: string, i: number): boolean => code(text, i) > 127 && LETTER_OR_NUMBER.test(text[i]!);
const isLocalChar = (text: string, i: number): boolean => {
  const c = code(text, i);
  return isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || isWide(text, i); // . _ % + -
};
const isDomainChar = (text: string, i: number): boolean => {
  const c = code(text, i);
  return isAlnum(c) || c === 46 || c === 45 || isWide(text, i);
};
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const TLD = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{2,59})$/iu;

/** The `@` (or URL-encoded `%40`) of an address; the local part and domain are expanded by hand. */
const AT_SIGN = /@|%40/g;

export function findEmails(text: string): DetectorMatch[] {
  let lastEnd = 0;
  return scan(text, AT_SIGN, "email", (m) => {
    const at = m.index;
    let start = at;
    while (start > lastEnd && at - start <= 64 && isLocalChar(text, start - 1)) start--;
    if (at - start > 64) return null; // local parts are at most 64 characters
    while (start < at && text[start] === ".") start++;
    const local = text.slice(start, at);
    if (local.length === 0 || local.endsWith(".") || local.includes("..")) return null;
    const from = at + m[0].length;
    let end = from;
    while (end < text.length && end - from <= 253 && isDomainChar(text, end)) end++;
    if (end - from > 253) return null;
    while (end > from && (text[end - 1] === "." || text[end - 1] === "-")) end--;
    const labels = text.slice(from, end).split(".");
    if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TLD.test(labels[labels.length - 1]!)) return null;
    if (/^\d+x$/i.test(labels[0]!)) return null; // icon@2x.png
    lastEnd = end;
    return [start, end];
  });
}

// ───────────────────────────── phone ─────────────────────────────

// Not part of a longer token, a price, an id (`#`, `ORD-`) or a dotted/dashed/timed number.
const BEFORE_NUMBER = String.raw`(?<![\w+#$€£¥]|\w[.\-]|\d[/:])`;
const AFTER_NUMBER = String.raw`(?!\w|[.\-/:]\d)`;
const GROUPS = String.raw`(?:[ .-]?\(\d{1,5}\)[ .-]?\d{1,8}|[ .-]\d{1,8}){1,7}`;
/**
 * `+` or `00` and a country code, then 1–7 groups separated by one space, dot or dash, `(0)`/`(415)`
 * groups allowed; or `+` and 10–15 digits written together.
 */
const PHONE_INTL = new RegExp(String.raw`(?:(?<![\w+])\+(?:\d{1,3}${GROUPS}|\d{10,15})|${BEFORE_NUMBER}00[1-9]\d{0,2}${GROUPS})` + AFTER_NUMBER, "g");
/** North American: (415) 555-0132, 415-555-0132, 415.555.0132, 415 555 0132, 1-800-555-0199. */
const PHONE_NANP = new RegExp(BEFORE_NUMBER + String.raw`(?:1[ .-]?)?(?:\((\d{3})\)[ .-]?|(\d{3})([ .-]))(\d{3})([ .-])\d{4}` + AFTER_NUMBER, "g");
/** National numbers with a trunk 0, one separator throughout: 06 12 34 56 78, 020 7946 0958, (020) 7946 0958. */
const PHONE_TRUNK = new RegExp(BEFORE_NUMBER + String.raw`(?:0\d{1,4}|\(0\d{1,4}\)(?= ))([ .-])\d{2,8}(?:\1\d{2,8}){0,4}` + AFTER_NUMBER, "g");

const digitCount = (s: string): number => s.replace(/\D/g, "").length;
/** A space-separated candidate that is only part of a longer run of space-separated digit groups. */
const partOfDigitRun = (text: string, start: number, end: number): boolean =>
  (text[start - 1] === " " && isDigit(code(text, start - 2))) || (text[end] === " " && isDigit(code(text, end + 1)));

export function findPhones(text: string): DetectorMatch[] {
  const intl = scan(text, PHONE_INTL, "phone", (m) => {
    let s = m[0];
    const max = s.includes("(0)") ? 16 : 15;
    const national = (x: string) => digitCount(x) - (x.startsWith("00") ? 2 : 0);
    // Digit groups that follow the number in the text (`+1 415 555 0132 12345`) are not part of it.
    for (let cut = s.search(/[ .-]\d+$/); national(s) > max && cut > 0; cut = s.search(/[ .-]\d+$/)) s = s.slice(0, cut);
    const groups = s.match(/\d+/g) ?? [];
    const digits = national(s);
    if (digits < 8 || digits > max) return null;
    if (s.startsWith("00") && partOfDigitRun(text, m.index, m.index + s.length)) return null;
    // `+123.456789` is a signed decimal, not a phone number.
    if (groups.length === 2 && !s.includes("(") && /\d\.\d/.test(s)) return null;
    return [m.index, m.index + s.length];
  });
  const nanp = scan(text, PHONE_NANP, "phone", (m) => {
    const area = m[1] ?? m[2] ?? "";
    if (m[3] !== undefined && m[3] !== m[5]) return null; // 415-555 0132: mixed separators
    if (area < "200" || (m[4] ?? "") < "200") return null; // area code and exchange start with 2–9
    const end = m.index + m[0].length;
    return m[5] === " " && partOfDigitRun(text, m.index, end) ? null : [m.index, end];
  });
  const trunk = scan(text, PHONE_TRUNK, "phone", (m) => {
    const groups = m[0].replace(/[()]/g, "").split(m[1]!);
    const digits = digitCount(m[0]);
    if (digits < 9 || digits > 12) return null;
    if (groups[0]!.startsWith("00")) return null; // 00 is the international prefix, not a trunk 0
    if (groups.length > 2 && groups.some((g) => g.length > 4)) return null; // 01-2026-000123
    if (m[1] === "-" && groups.map((g) => g.length).join() === "3,2,4") return null; // SSN shape
    if (m[1] === "." && groups.length === 4 && groups.every((g) => g.length <= 3)) return null; // 010.000.000.001
    const end = m.index + m[0].length;
    return m[1] === " " && partOfDigitRun(text, m.index, end) ? null : [m.index, end];
  });
  return resolveOverlaps([...intl, ...nanp, ...trunk], longerFirst);
}

// ───────────────────────────── payment card ─────────────────────────────

/** A chain of digit groups separated by single spaces or dashes, not after a letter, dot or `+`. */
const DIGIT_CHAIN = /(?<![\w.+])\d+(?:[ -]\d+)*/g;

export function findCards(text: string): DetectorMatch[] {
  const out: DetectorMatch[] = [];
  DIGIT_CHAIN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DIGIT_CHAIN.exec(text)) !== null) {
    const chainEnd = m.index + m[0].length;
    const after = code(text, chainEnd);
    // A chain glued to letters (hex hash) or to a decimal fraction cannot end in a card.
    const lastBlocked = isAlpha(after) || after === 95 || (after === 46 && isDigit(code(text, chainEnd + 1)));
    const groups: { start: number; end: number; sep: string }[] = [];
    for (const g of m[0].matchAll(/\d+/g)) {
      const start = m.index + g.index;
      groups.push({ start, end: start + g[0].length, sep: start > m.index ? text[start - 1]! : "" });
    }
    for (let s = 0; s < groups.length; ) {
      let found = -1;
      for (let e = s, total = 0; e < groups.length; e++) {
        const g = groups[e]!;
        total += g.end - g.start;
        if (total > 19) break;
        if (e > s && (g.sep !== (groups[s + 1]?.sep ?? "") || g.end - g.start < 3 || g.end - g.start > 6)) break;
        if (total < 13 || (e > s && groups[s]!.end - groups[s]!.start !== 4) || (lastBlocked && e === groups.length - 1)) continue;
        const digits = text.slice(groups[s]!.start, g.end).replace(/\D/g, "");
        if (luhnValid(digits) && plausibleCardPrefix(digits)) found = e;
      }
      if (found < 0) {
        s++;
        continue;
      }
      out.push({ start: groups[s]!.start, end: groups[found]!.end, detector: "payment_card" });
      s = found + 1;
    }
  }
  return out;
}

// ───────────────────────────── IBAN ─────────────────────────────

const IBAN_START = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}/g;

export function findIbans(text: string): DetectorMatch[] {
  return scan(text, IBAN_START, "iban", (m) => {
    const length = IBAN_LENGTHS[m[0].slice(0, 2).toUpperCase()];
    if (!length) return null;
    // Either compact or grouped by four with single spaces (DE89 3704 0044 0532 0130 00).
    let p = m.index;
    let count = 0;
    let spaced: boolean | null = null;
    while (count < length && isAlnum(code(text, p))) {
      count++;
      p++;
      if (count % 4 === 0 && count < length) {
        const next = code(text, p);
        if (next === 32 && isAlnum(code(text, p + 1))) {
          if (spaced === false) break;
          spaced = true;
          p++;
        } else if (isAlnum(next)) {
          if (spaced === true) break;
          spaced = false;
        }
      }
    }
    if (count !== length || isAlnum(code(text, p))) return null;
    const compact = text.slice(m.index, p).replace(/ /g, "");
    const letters = compact.replace(/[^A-Za-z]/g, "");
    if (letters !== letters.toUpperCase() && letters !== letters.toLowerCase()) return null; // mixed case: a random token
    return ibanValid(compact.toUpperCase()) ? [m.index, p] : null;
  });
}

// ───────────────────────────── IP addresses ─────────────────────────────

const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
/** Dotted quad, not inside a longer dotted number (1.2.3.4.5) nor a product/version token (Chrome/120.0.0.0). */
const IPV4 = new RegExp(String.raw`(?<![\w.]|[A-Za-z0-9]/)${OCTET}(?:\.${OCTET}){3}(?!\w|\.\d)`, "g");
const IPV4_TAIL = new RegExp(String.raw`(?:\.${OCTET}){3}(?!\w|\.\d)`, "y");
const OCTET_ONLY = new RegExp(`^${OCTET}$`);
const HEX_COLON_RUN = /[0-9A-Fa-f:]+/g;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

function validIpv6(body: string, v4Tail: boolean): boolean {
  const max = v4Tail ? 6 : 8;
  if (body.includes(":::")) return false;
  const dbl = body.indexOf("::");
  if (dbl >= 0 && body.indexOf("::", dbl + 1) >= 0) return false;
  const split = (s: string) => (s === "" ? [] : s.split(":"));
  const head = dbl >= 0 ? split(body.slice(0, dbl)) : split(body);
  const tail = dbl >= 0 ? split(body.slice(dbl + 2)) : [];
  const groups = [...head, ...tail];
  if (!groups.every((g) => HEX_GROUP.test(g))) return false;
  if (dbl < 0) {
    if (groups.length !== max) return false;
    if (!v4Tail && groups.every((g) => g.length === 2)) return false; // MAC / EUI-64 shape
  } else {
    if (groups.length > max - 1 || (groups.length === 0 && !v4Tail)) return false;
    // `a::b`, `1::`: one or two short hex words around `::` are code or prose, not an address.
    if (!v4Tail && head.length === 1 && tail.length <= 1 && head[0]!.length < 3) return false;
  }
  const letters = body.replace(/[^A-Fa-f]/g, "");
  return letters === letters.toLowerCase() || letters === letters.toUpperCase();
}

function findIpv6(text: string): DetectorMatch[] {
  return scan(text, HEX_COLON_RUN, "ip_address", (m) => {
    let start = m.index;
    let end = start + m[0].length;
    let body = m[0];
    if (!body.includes(":")) return null;
    if (body.startsWith(":") && !body.startsWith("::")) [start, body] = [start + 1, body.slice(1)];
    const before = code(text, start - 1);
    if (before !== 58 && (isAlnum(before) || before === 95 || before === 46)) return null;
    let v4Tail = false;
    if (text[end] === ".") {
      const colon = body.lastIndexOf(":");
      IPV4_TAIL.lastIndex = end;
      const tail = IPV4_TAIL.exec(text);
      if (tail && OCTET_ONLY.test(body.slice(colon + 1))) {
        v4Tail = true;
        body = body.slice(0, colon + 1);
        if (!body.endsWith("::")) body = body.slice(0, -1);
        end += tail[0].length;
      } else if (isDigit(code(text, end + 1))) return null; // 12:30:45.123
    } else if (body.endsWith(":") && !body.endsWith("::")) {
      body = body.slice(0, -1);
      end--;
    }
    const after = code(text, end);
    if (after !== 58 && (isAlnum(after) || after === 95)) return null;
    if (body.length > 39 || !validIpv6(body, v4Tail)) return null;
    return [start, end];
  }, true);
}

export function findIps(text: string): DetectorMatch[] {
  const v4 = scan(text, IPV4, "ip_address", (m) => [m.index, m.index + m[0].length]);
  return resolveOverlaps([...v4, ...findIpv6(text)], longerFirst);
}

// ───────────────────────────── US SSN ─────────────────────────────

const SSN = new RegExp(String.raw`(?<![\w.]|\d-)(\d{3})-(\d{2})-(\d{4})(?!\w|[.\-]\d)`, "g");

export function findSsns(text: string): DetectorMatch[] {
  return scan(text, SSN, "us_ssn", (m) => {
    const [, area = "", group = "", serial = ""] = m;
    if (area === "000" || area === "666" || area[0] === "9" || group === "00" || serial === "0000") return null;
    return [m.index, m.index + m[0].length];
  });
}
