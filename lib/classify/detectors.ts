import { findCards, findEmails, findIbans, findIps, findPhones, findSsns, resolveOverlaps } from "./detector-patterns";
import type { Detector, DetectorMatch, DetectorName } from "./detector-types";
import { findAuthorizationCredentials, findJwts, findPrivateKeys, findProviderKeys, mayContainSecret } from "./secret-patterns";

// The built-in detectors used by classification at ingest (see docs/ingestion.md and
// lib/classify/engine.ts). Pure and synchronous: safe in the browser, the edge and tests.
//
// Cost: every finder is linear in the text (anchored, bounded patterns; see detector-patterns.ts).
// Texts are scanned whole, never truncated: a cap that stopped scanning would let a secret past the
// cap be stored in the clear. The ingest size limit (256 KiB per event) bounds the work per call.

type Spec = Omit<Detector, "name">;

const SPECS: Record<DetectorName, Spec> = {
  email: { marker: "[EMAIL]", category: "user.contact.email", level: "confidential", secret: false, find: findEmails },
  phone: { marker: "[PHONE]", category: "user.contact.phone", level: "confidential", secret: false, find: findPhones },
  payment_card: { marker: "[CARD]", category: "user.financial.card", level: "restricted", secret: false, find: findCards },
  iban: { marker: "[IBAN]", category: "user.financial.bank_account", level: "confidential", secret: false, find: findIbans },
  ip_address: { marker: "[IP]", category: "user.device.ip_address", level: "internal", secret: false, find: findIps },
  us_ssn: { marker: "[SSN]", category: "user.government_id", level: "restricted", secret: false, find: findSsns },
  jwt: { marker: "[JWT]", category: "system.credentials", level: "restricted", secret: true, find: findJwts },
  bearer_token: { marker: "[TOKEN]", category: "system.credentials", level: "restricted", secret: true, find: findAuthorizationCredentials },
  private_key: { marker: "[PRIVATE_KEY]", category: "system.credentials", level: "restricted", secret: true, find: findPrivateKeys },
  provider_api_key: { marker: "[API_KEY]", category: "system.credentials", level: "restricted", secret: true, find: findProviderKeys },
};

export const DETECTORS: Readonly<Record<DetectorName, Detector>> = Object.fromEntries(
  (Object.keys(SPECS) as DetectorName[]).map((name) => [name, { name, ...SPECS[name] }]),
) as Record<DetectorName, Detector>;

/**
 * Tie-break between matches of equal length and secrecy: the more specific detector wins, so
 * `Bearer eyJ…` reads `Bearer [JWT]` and `Bearer clk_…` reads `Bearer [API_KEY]`.
 */
const PRIORITY: readonly DetectorName[] = [
  "private_key",
  "jwt",
  "provider_api_key",
  "bearer_token",
  "payment_card",
  "us_ssn",
  "iban",
  "email",
  "phone",
  "ip_address",
];

export function detectorNames(): DetectorName[] {
  return Object.keys(SPECS) as DetectorName[];
}

/** The detectors whose matches are credentials: never stored in any form, whatever the rules say. */
export const SECRET_DETECTORS: readonly DetectorName[] = detectorNames().filter((n) => SPECS[n].secret);

const rank = (a: DetectorMatch, b: DetectorMatch): number =>
  Number(SPECS[b.detector].secret) - Number(SPECS[a.detector].secret) ||
  b.end - b.start - (a.end - a.start) ||
  PRIORITY.indexOf(a.detector) - PRIORITY.indexOf(b.detector) ||
  a.start - b.start;

/**
 * Cheap necessary conditions, checked before a detector scans a text: every detector's match needs
 * them (a secret one of the hint words, an email an `@`, the numeric ones a digit, an IPv6 at least
 * a digit or a colon). They only ever skip work that could not find anything.
 */
class Possible {
  private digit?: boolean;
  private secret?: boolean;
  constructor(private readonly text: string) {}

  private hasDigit(): boolean {
    return (this.digit ??= /\d/.test(this.text));
  }

  for(name: DetectorName): boolean {
    if (SPECS[name].secret) return (this.secret ??= mayContainSecret(this.text));
    switch (name) {
      case "email":
        return this.text.includes("@") || /%40/i.test(this.text);
      case "ip_address":
        return this.hasDigit() || this.text.includes(":");
      default:
        return this.hasDigit();
    }
  }
}

/**
 * Matches of the given detectors (all by default), sorted by start and non-overlapping. Where matches
 * overlap, a secret detector beats a non-secret one, then the longer match wins, then the more
 * specific detector (PRIORITY), then the earlier one.
 */
export function findAll(text: string, names: readonly DetectorName[] = detectorNames()): DetectorMatch[] {
  if (text.length === 0) return [];
  const matches: DetectorMatch[] = [];
  const possible = new Possible(text);
  for (const name of new Set(names)) {
    if (!possible.for(name)) continue;
    for (const m of DETECTORS[name].find(text)) matches.push(m);
  }
  return resolveOverlaps(matches, rank);
}

// ───────────────────────────── sensitive field names ─────────────────────────────
// A field name is split into lower-case words (snake_case, camelCase, kebab-case, dotted paths, digits
// apart). Trailing qualifiers (`_hash`, `_value`, `_confirmation`, digits) are skipped to find the head
// word, and only the head decides: `db_password`, `X-Auth-Token`, `password_hash` are sensitive;
// `password_policy`, `token_count`, `session_id`, `password_updated_at` describe a secret without
// holding it and are not. Flags (`has_password`, `withCredentials`) are not sensitive either.

/** Head words that hold a secret. */
const SECRET_WORDS = new Set([
  "password", "passwd", "pwd", "pass", "passphrase", "passcode", "secret", "secrets", "token", "bearer", "jwt",
  "auth", "authorization", "cookie", "cookies", "session", "sessionid", "credential", "credentials", "creds",
  "otp", "totp", "hotp", "pin", "cvv", "cvc", "cvn", "ssn", "dsn", "apikey", "privatekey", "privkey", "secretkey",
  "accesskey", "signingkey", "encryptionkey", "masterkey", "clientsecret",
]);
/** Single words ending like a secret: `dbpassword`, `accesstoken`, `setcookie`, `xapikey`, `jsessionid`. */
const SECRET_SUFFIXES = ["password", "passwd", "passphrase", "secret", "token", "cookie", "apikey", "privatekey", "secretkey", "credentials", "sessionid", "sessid"];
/** Two- and three-word heads: `connection_string`, `security_code`, `social_security_number`, … */
const SECRET_COMPOUNDS = new Set([
  "connectionstring", "connstring", "databaseurl", "dburl", "securitycode", "otpcode", "pincode", "pinnumber",
  "authcode", "authorizationcode", "verificationcode", "mfacode", "factorcode", "recoverycode", "backupcode",
  "socialsecuritynumber",
]);
/** `<word>_key` holds a secret only for these words (not `cache_key`, `primary_key`, `session_key`). */
const KEY_OWNERS = new Set(["api", "private", "priv", "secret", "access", "signing", "encryption", "decryption", "master", "license", "hmac", "shared", "auth"]);
/** `<word>_token` that is not a credential: pagination cursors, token counts, tokenizer vocabulary. */
const NOT_SECRET_TOKENS = new Set([
  "page", "next", "continuation", "pagination", "cursor", "sync", "resume", "max", "min", "num", "total", "input",
  "output", "prompt", "completion", "cached", "reasoning", "cancellation", "eos", "bos", "pad", "unk", "sep", "cls",
  "mask", "special", "stop",
]);
const QUALIFIERS = new Set([
  "value", "values", "val", "hash", "hashed", "digest", "plain", "plaintext", "cleartext", "raw", "text", "str", "enc",
  "encrypted", "b64", "base64", "hex", "header", "headers", "confirmation", "confirm", "data", "bytes", "input",
  "field", "base", "new", "old", "current", "md5", "sha", "bcrypt", "scrypt", "salted",
]);
const FLAG_PREFIXES = new Set(["is", "has", "have", "use", "uses", "require", "requires", "required", "enable", "enabled", "disable", "allow", "show", "hide", "should", "can", "needs", "with", "without", "no"]);

function fieldWords(name: string): string[] {
  const words: string[] = [];
  for (const part of name.split(/[^A-Za-z0-9]+/)) {
    for (const w of part.matchAll(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g)) words.push(w[0].toLowerCase());
  }
  return words;
}

/** Whether a field (object key, header name, parameter) named `name` holds a secret. Case-insensitive. */
export function isSensitiveFieldName(name: string): boolean {
  const words = fieldWords(name.slice(0, 200));
  if (words.length === 0) return false;
  if (words.length > 1 && FLAG_PREFIXES.has(words[0]!)) return false;
  let h = words.length - 1;
  while (h > 0 && (QUALIFIERS.has(words[h]!) || /^\d+$/.test(words[h]!))) h--;
  const head = words[h]!;
  const prev = h > 0 ? words[h - 1]! : "";
  if (SECRET_COMPOUNDS.has(prev + head) || (h > 1 && SECRET_COMPOUNDS.has(words[h - 2]! + prev + head))) return true;
  if (head === "key") return KEY_OWNERS.has(prev) || /(?:api|private|secret)$/.test(prev);
  if (head === "token" && NOT_SECRET_TOKENS.has(prev)) return false;
  if (SECRET_WORDS.has(head)) return true;
  return SECRET_SUFFIXES.some((s) => head.endsWith(s) && !NOT_SECRET_TOKENS.has(head.slice(0, -s.length)));
}
