import { decodeBase64Text } from "./checksums";
import { longerFirst, resolveOverlaps, scan } from "./detector-patterns";
import type { DetectorMatch } from "./detector-types";
import { isSensitiveFieldName } from "./sensitive-names";

// Finders for credentials: JWTs, HTTP Authorization credentials, PEM private keys and provider API
// keys. Same rules as detector-patterns.ts: anchored, bounded, linear in the text.

// ───────────────────────────── JWT ─────────────────────────────

/**
 * A token starting like base64 of `{"`, `{ ` or `{\n` (`ey`/`ew`), then two to four more dot-separated
 * base64url segments. The header must decode to a JSON object with a string `alg` (JWS: 3 segments,
 * JWE: 5 segments; an unsecured JWT has an empty signature).
 */
const JWT = /(?<![\w-])e[wy][A-Za-z0-9_-]{12,4096}(?:\.[A-Za-z0-9_-]{0,16384}){2,4}(?![\w-])/g;

/** `"alg"` in base64url at each of the three byte alignments: a cheap filter before decoding. */
const ALG_KEY = /ImFsZy|JhbGci|iYWxnI/;

function jwtHeader(segment: string): Record<string, unknown> | null {
  if (!ALG_KEY.test(segment)) return null;
  const json = decodeBase64Text(segment);
  const trimmed = json?.trim() ?? "";
  if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) return null;
  try {
    const header: unknown = JSON.parse(trimmed);
    if (typeof header !== "object" || header === null || Array.isArray(header)) return null;
    return typeof (header as Record<string, unknown>).alg === "string" ? (header as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function findJwts(text: string): DetectorMatch[] {
  return scan(text, JWT, "jwt", (m) => {
    const segments = m[0].split(".");
    const header = jwtHeader(segments[0]!);
    if (!header) return null;
    // JWE when the header names an encryption (`enc`) and five segments are there; otherwise the first three.
    const count = segments.length === 5 && typeof header.enc === "string" ? 5 : 3;
    const kept = segments.slice(0, count);
    if (count === 3 && kept[1] === "" && kept[2] === "") return null;
    const length = kept.reduce((n, s) => n + s.length, 0) + count - 1;
    return [m.index, m.index + length];
  });
}

// ───────────────────────────── Authorization credentials ─────────────────────────────
// The span is the credential only: `Authorization: Bearer [TOKEN]` keeps the scheme readable.

const BEARER = /(?<![A-Za-z0-9_-])bearer(?:[ \t]{1,16}|%20|\+)([A-Za-z0-9\-._~+/]{8,8192}=*)/gi;
const BASIC = /(?<![A-Za-z0-9_-])basic[ \t]{1,16}([A-Za-z0-9+/]{4,4096}={0,2})(?![A-Za-z0-9+/=])/gi;
/** An `Authorization` header, JSON key or parameter whose value is not Bearer/Basic (handled above). */
const AUTHORIZATION =
  /(?<![A-Za-z0-9_])authorization["']?[ \t]{0,16}[:=][ \t]{0,16}(["']?)(?!bearer\b|basic\b)(?:([A-Za-z][A-Za-z0-9-]{1,31})[ \t]{1,16})?([^\s"',;]{1,4096})/gi;
/** Schemes whose credential is a parameter list (`Digest username="…", response="…"`). */
const PARAM_SCHEMES = new Set(["digest", "aws4-hmac-sha256", "hmac", "signature", "hawk", "oauth"]);

/** Looks like a secret rather than a word: has a digit, or is long and mixes upper- and lower-case. */
function credentialLike(s: string): boolean {
  return /\d/.test(s) || (s.length >= 16 && /[a-z]/.test(s) && /[A-Z]/.test(s));
}

/** End of a parameter-list credential: the value's closing quote, else the end of the line (≤ 4096 chars). */
function paramValueEnd(text: string, from: number, quote: string): number {
  let i = from;
  while (i < text.length && i - from < 4096) {
    const c = text[i]!;
    if (c === "\r" || c === "\n" || (quote !== "" && c === quote)) break;
    i += c === "\\" ? 2 : 1;
  }
  return Math.min(i, text.length);
}

export function findAuthorizationCredentials(text: string): DetectorMatch[] {
  const groupSpan = (m: RegExpExecArray, group: string): [number, number] => {
    const end = m.index + m[0].length;
    return [end - group.length, end];
  };
  const bearer = scan(text, BEARER, "bearer_token", (m) => (credentialLike(m[1]!) ? groupSpan(m, m[1]!) : null));
  const basic = scan(text, BASIC, "bearer_token", (m) => {
    const decoded = decodeBase64Text(m[1]!);
    return decoded !== null && decoded.includes(":") && !/[\u0000-\u001f]/.test(decoded) ? groupSpan(m, m[1]!) : null;
  });
  const other = scan(text, AUTHORIZATION, "bearer_token", (m) => {
    const [, quote = "", scheme, value = ""] = m;
    const valueStart = m.index + m[0].length - value.length;
    if (scheme && PARAM_SCHEMES.has(scheme.toLowerCase())) return [valueStart, paramValueEnd(text, valueStart, quote)];
    return value.length >= 8 && credentialLike(value) ? [valueStart, valueStart + value.length] : null;
  });
  return resolveOverlaps([...bearer, ...basic, ...other], longerFirst);
}

// ───────────────────────────── PEM private keys ─────────────────────────────

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,20} ){0,3})PRIVATE KEY( BLOCK)?-----/g;

/** BEGIN through the matching END line; a block without its END line runs to the end of the text. */
export function findPrivateKeys(text: string): DetectorMatch[] {
  const out: DetectorMatch[] = [];
  PEM_BEGIN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PEM_BEGIN.exec(text)) !== null) {
    const endLine = `-----END ${m[1] ?? ""}PRIVATE KEY${m[2] ?? ""}-----`;
    const at = text.indexOf(endLine, m.index + m[0].length);
    const end = at < 0 ? text.length : at + endLine.length;
    out.push({ start: m.index, end, detector: "private_key" });
    if (at < 0) break;
    PEM_BEGIN.lastIndex = end;
  }
  return out;
}

// ───────────────────────────── provider API keys ─────────────────────────────

const KEY_SHAPES = [
  String.raw`(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])`, // AWS access key id
  String.raw`gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])`, // GitHub classic / OAuth / app tokens
  String.raw`github_pat_[A-Za-z0-9_]{22,247}(?![A-Za-z0-9_])`, // GitHub fine-grained
  String.raw`(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}(?![A-Za-z0-9])`, // Stripe secret / restricted
  String.raw`whsec_[A-Za-z0-9+/=]{24,247}(?![A-Za-z0-9+/=])`, // Stripe webhook signing secret
  String.raw`xox[abeoprs]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])`, // Slack
  String.raw`sk-[A-Za-z0-9_-]{20,400}(?![A-Za-z0-9_-])`, // OpenAI (sk-, sk-proj-, …), Anthropic (sk-ant-…)
  String.raw`AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])`, // Google API key
  String.raw`SK[0-9a-fA-F]{32}(?![A-Za-z0-9])`, // Twilio API key SID
  String.raw`SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}(?![A-Za-z0-9_-])`, // SendGrid
  String.raw`npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])`, // npm
  String.raw`clk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])`, // Clearlog
];
const API_KEY = new RegExp(String.raw`(?<![A-Za-z0-9_-])(?:${KEY_SHAPES.join("|")})`, "g");
/** An AWS secret access key is 40 base64 characters: only recognisable next to its label. */
const AWS_SECRET =
  /(?<![A-Za-z0-9])(?:aws[_-]?)?secret[_-]?access[_-]?key["']?[ \t]{0,16}[:=][ \t]{0,16}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi;

export function findProviderKeys(text: string): DetectorMatch[] {
  const keys = scan(text, API_KEY, "provider_api_key", (m) => {
    const key = m[0];
    // The bare `sk-` prefix is also a word prefix (sk-learn…): its random body has digits and letters.
    if (key.startsWith("sk-") && !(/\d/.test(key.slice(3)) && /[A-Za-z]/.test(key.slice(3)))) return null;
    return [m.index, m.index + key.length];
  });
  const secrets = scan(text, AWS_SECRET, "provider_api_key", (m) => {
    const end = m.index + m[0].length;
    return [end - m[1]!.length, end];
  });
  return resolveOverlaps([...keys, ...secrets], longerFirst);
}

// ───────────────────────────── labelled secrets in free text ─────────────────────────────

/** `password=hunter2`, `"apiToken": "…"`, `x-api-key: …`: a value after a key named like a secret. */
const LABELLED =
  /(?<![\w.-])(["']?)([A-Za-z][\w.-]{0,63})\1[ \t]{0,8}[:=][ \t]{0,8}(["']?)([^\s"'&,;{}[\]]{1,1024})/g;

/**
 * Tells `password=hunter2` from `password: required` or `token: expired`: a secret value has a digit
 * or a symbol, or is long. Short lower-case words such as `letmein` are the accepted miss.
 */
function valueLooksSecret(value: string): boolean {
  if (/^\[[A-Z_]+(?::[0-9a-f]+)?\]$/.test(value)) return false; // already a Clearlog marker
  return /[\d\W_]/.test(value) || value.length >= 12;
}

/**
 * A bare `key` label (`key=…`, `"key": "…"`) holds a secret when its value looks like one: long, with
 * letters and digits (`key=users:42` or `key: name` are ordinary).
 */
const bareKeyValue = (value: string) => value.length >= 16 && /\d/.test(value) && /[A-Za-z]/.test(value);

/**
 * Credentials in URL query strings and fragments: `?token=…`, `&sig=…`, `#access_token=…`,
 * `X-Amz-Signature=…` (S3 presigned URLs), `sig=` (Azure SAS), `code=` (OAuth codes). Only after `?`,
 * `&`, `#` or `;`, so `status code=200` in prose is not one; the value runs to the next `&`, `#` or space.
 */
const URL_PARAM =
  /[?&#;](token|key|api_?key|apikey|access_token|refresh_token|id_token|auth|code|sig|signature|secret|client_secret|password|pass|x-amz-signature|x-amz-security-token|x-amz-credential|x-goog-signature|x-goog-credential|x-api-key)=([^&#\s"'<>]{6,4096})/gi;

export function findLabelledSecrets(text: string): DetectorMatch[] {
  const out: DetectorMatch[] = [];
  LABELLED.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = LABELLED.exec(text)) !== null) {
    const value = m[4]!;
    const name = m[2]!;
    const secret = name.toLowerCase() === "key" ? bareKeyValue(value) : isSensitiveFieldName(name) && valueLooksSecret(value);
    if (!secret) continue;
    const end = m.index + m[0].length;
    out.push({ start: end - value.length, end, detector: "labelled_secret" });
  }
  URL_PARAM.lastIndex = 0;
  while ((m = URL_PARAM.exec(text)) !== null) {
    const value = m[2]!;
    if (/^\[[A-Z_]+(?::[0-9a-f]+)?\]/.test(value)) continue; // already redacted
    const end = m.index + m[0].length;
    out.push({ start: end - value.length, end, detector: "labelled_secret" });
  }
  return resolveOverlaps(out, longerFirst);
}

/**
 * A cheap first look: a text can hold a secret only if it contains one of these. It must stay a
 * superset of every pattern above (case-insensitive, so it matches more, never less); the property
 * tests in detectors.property.test.ts and engine.property.test.ts plant each kind of secret.
 */
const SECRET_HINT =
  /-----BEGIN|e[wy][\w-]{12}|bearer|basic|authorization|secret|AKIA|ASIA|gh[pousr]_|github_pat_|[sr]k_(?:live|test)_|whsec_|xox[abeoprs]-|sk-|AIza|SK[0-9a-f]{32}|SG\.|npm_|clk_/i;

export function mayContainSecret(text: string): boolean {
  return SECRET_HINT.test(text);
}
