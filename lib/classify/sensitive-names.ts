// Field names that hold secrets (used for attribute keys and for labelled secrets in free text).
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
