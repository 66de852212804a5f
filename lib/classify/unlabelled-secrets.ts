import { decodeBase64Text } from "./checksums";
import type { DetectorMatch } from "./detector-types";

// Secrets without a label or a known prefix, recognised by shape, charset and randomness: a cloud
// provider's secret access key pasted into a prompt (`wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`), a
// random session or API token. A candidate is a run of 32 to 512 base64/base64url characters that
//   - mixes upper and lower case (random tokens of that length almost always do);
//   - has high Shannon entropy for its length;
//   - switches between upper case, lower case and digits often, as random text does (≈ 0.6 of the
//     characters) and words do not (`handleUserAuthenticationCallback2`: ≈ 0.15), and has few runs of
//     lower-case letters long enough to be words (`SettingsUserRequestOrderInvoice0`).
// Ordinary identifiers stay: hex (UUIDs, git SHAs, hex digests), runs labelled as hashes
// (`sha256-…`, `integrity`, `digest`, `etag`), base64 in data: URIs and known file signatures,
// base64 that decodes to text, path-like runs, ids with a known type prefix (`chatcmpl-…`), and anything
// over 512 characters (a blob, not a key). Identifiers themselves (event, session, conversation ids) are
// not scanned with this detector (ID_SECRET_DETECTORS in detectors.ts): they are random by design.
// Linear: one bounded regex scan, then constant work per character of each candidate.

const RUN = /[A-Za-z0-9+/_-]{32,}={0,2}/g;
const MIN = 32;
const MAX = 512;
/** A random token switches class at ≈ 0.6 of its characters; word-like text at ≈ 0.15. */
const MIN_SWITCH_RATE = 0.3;
const MAX_WORDINESS = 0.6;
const HASH_LABEL = /(?:sha-?(?:1|224|256|384|512)|md5|hash|digest|checksum|integrity|etag|fingerprint|nonce)["']?\s{0,4}[-:=]?\s{0,4}["']?$/i;
/** Base64 openings of common file types: PNG, JPEG, GIF, WebP/RIFF, PDF, ZIP, gzip. */
/** Ids that APIs hand out with a type prefix: OpenAI `chatcmpl-…`, Anthropic `msg_…`/`toolu_…`, Stripe `cus_…`. */
const ID_PREFIX = /^(?:chatcmpl|cmpl|resp|msg|run|thread|asst|file|call|toolu|batch|req|evt|ch|cus|pi|in|sub|txn|ord|order|inv)[-_]/;
const FILE_SIGNATURES = /^(?:iVBORw0KGgo|\/9j\/|R0lGOD|UklGR|JVBERi0|UEsDB|H4sI)/;

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) counts.set(s.charCodeAt(i), (counts.get(s.charCodeAt(i)) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** The entropy a random token of this length clears: 3.9 bits at 32 characters, up to 4.5 at 64 and more. */
const minEntropy = (length: number) => Math.min(4.5, 3.9 + (length - 32) * (0.6 / 32));

function classOf(c: number): number {
  if (c >= 48 && c <= 57) return 1; // digit
  if (c >= 65 && c <= 90) return 2; // upper
  if (c >= 97 && c <= 122) return 3; // lower
  return 0; // + / _ = -
}

/** Share of characters in runs of three or more lower-case letters: ≈ 0.2 in random text, most of a word-built name. */
function wordiness(s: string): number {
  let inRuns = 0;
  let run = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0;
    if (c >= 97 && c <= 122) run++;
    else {
      if (run >= 3) inRuns += run;
      run = 0;
    }
  }
  return inRuns / s.length;
}

/** Share of letter/digit characters whose class differs from the previous letter or digit. */
function switchRate(s: string): { rate: number; classes: { upper: boolean; lower: boolean } } {
  let previous = 0;
  let switches = 0;
  let alnum = 0;
  let seen = 0;
  for (let i = 0; i < s.length; i++) {
    const k = classOf(s.charCodeAt(i));
    if (k === 0) continue;
    seen |= 1 << k;
    if (previous !== 0 && k !== previous) switches++;
    previous = k;
    alnum++;
  }
  return { rate: alnum > 1 ? switches / (alnum - 1) : 0, classes: { upper: (seen & 4) !== 0, lower: (seen & 8) !== 0 } };
}

/** Base64 of readable text (`SGVsbG8gd29ybGQ…`) is an encoding, not a key. */
function decodesToText(token: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return false;
  const text = decodeBase64Text(token, MAX);
  return text !== null && /^[\t\n\r\x20-\x7e]+$/.test(text) && /[ ,.:;{}"]/.test(text);
}

/** Paths: a run with `/` where two segments are plain lower-case words. */
function pathLike(token: string): boolean {
  return token.includes("/") && token.split("/").filter((segment) => /^[a-z][a-z_-]{2,}$/.test(segment)).length >= 2;
}

export function isUnlabelledSecret(token: string, before: string): boolean {
  const core = token.replace(/=+$/, "");
  if (core.length < MIN || token.length > MAX) return false;
  if (/^[0-9a-fA-F-]+$/.test(core)) return false; // hex: UUIDs, SHAs, digests
  if (/^(?:sha-?\d{1,3}|md5)[-_=]/i.test(core) || ID_PREFIX.test(core)) return false; // SRI-style digests, typed API ids
  const { rate, classes } = switchRate(core);
  if (!classes.upper || !classes.lower || rate < MIN_SWITCH_RATE) return false;
  if (wordiness(core) > MAX_WORDINESS || shannonEntropy(core) < minEntropy(core.length)) return false;
  if (HASH_LABEL.test(before) || /base64,\s*$/i.test(before) || FILE_SIGNATURES.test(token)) return false;
  return !pathLike(core) && !decodesToText(token);
}

export function findUnlabelledSecrets(text: string): DetectorMatch[] {
  const out: DetectorMatch[] = [];
  RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RUN.exec(text)) !== null) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    if (isUnlabelledSecret(m[0], before)) {
      out.push({ start: m.index, end: m.index + m[0].length, detector: "unlabelled_secret" });
      continue;
    }
    // a leading `-`/`_`/`/` may belong to the text around it (`--token`, `/path`) rather than to the token
    const lead = /^[-_/]+/.exec(m[0])?.[0].length ?? 0;
    if (lead > 0 && isUnlabelledSecret(m[0].slice(lead), before)) out.push({ start: m.index + lead, end: m.index + m[0].length, detector: "unlabelled_secret" });
  }
  return out;
}
