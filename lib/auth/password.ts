import "server-only";
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

// node:crypto scrypt at OWASP's minimum cost (N=2^17, r=8, p=1: 128 MiB and about a quarter of a
// second per hash on a 2-core machine), parameters stored with each hash
// (`scrypt$N$r$p$salt$key`) so they can be raised later: a sign-in against a weaker hash rehashes.
const N = 2 ** 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 64;
const MIN_KEY_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Costs accepted from a stored hash: anything above is refused rather than run (memory, time). */
const MAX_N = 2 ** 18;
const MAX_R = 32;
const MAX_P = 16;

/** scrypt needs 128·N·r bytes; Node refuses more than its 32 MiB default unless told. */
const maxmem = (n: number, r: number, p: number) => 128 * n * r + 128 * r * p + 16 * 1024 * 1024;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export const MIN_PASSWORD_LENGTH = 10;

export const PASSWORD_COST = { N, r: R, p: P } as const;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: maxmem(N, R, P) });
  return ["scrypt", N, R, P, salt.toString("base64"), key.toString("base64")].join("$");
}

interface Parsed {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  // A malformed hash must never verify: Buffer.from ignores bad base64, and an empty key would make
  // any password "match" (two empty buffers are equal). Bad cost parameters make scrypt throw.
  if (!BASE64.test(saltB64) || !BASE64.test(keyB64) || ![n, r, p].every((x) => /^\d{1,8}$/.test(x))) return null;
  const key = Buffer.from(keyB64, "base64");
  if (key.length < MIN_KEY_BYTES) return null;
  const cost = { n: Number(n), r: Number(r), p: Number(p) };
  if (cost.n > MAX_N || cost.r > MAX_R || cost.p > MAX_P) return null;
  return { ...cost, salt: Buffer.from(saltB64, "base64"), key };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parse(stored);
  if (!h) return false;
  let key: Buffer;
  try {
    key = await scrypt(password, h.salt, h.key.length, { N: h.n, r: h.r, p: h.p, maxmem: maxmem(h.n, h.r, h.p) });
  } catch {
    return false;
  }
  return key.length === h.key.length && timingSafeEqual(key, h.key);
}

/** True when a stored hash was made with less than today's cost (or is not ours): rehash at the next sign-in. */
export function needsRehash(stored: string): boolean {
  const h = parse(stored);
  return !h || h.n < N || h.r < R || h.p < P || h.key.length < KEY_LENGTH;
}

// Verifying against this when the account does not exist keeps the response time the same.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("clearlog-timing-equaliser");
  await verifyPassword(password, await dummyHash);
}
