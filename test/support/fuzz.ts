import { gzipSync } from "node:zlib";
import fc from "fast-check";
import pg from "pg";
import { databaseUrlFromEnv } from "@/lib/env";

// Hostile inputs for the fuzz tier (`*.fuzz.db.test.ts`): what applications and attackers actually
// send — NUL characters, lone UTF-16 surrogates (cut emoji), deep nesting, huge and non-finite
// numbers, wrong types, absurd dates, malformed JSON, wrong content types, gzip garbage — and the
// checks every public route must pass: no 5xx, nothing written by a refusal.

/** Any UTF-16 code unit, so lone surrogates and NULs come up often. */
const codeUnit = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)) },
  { weight: 2, arbitrary: fc.constantFrom("\u0000", "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uD83D", "\uDE00") },
  { weight: 2, arbitrary: fc.constantFrom("a", "Z", "0", "-", "_", ".", ":", " ", "/", "\\", '"', "'", "\n", "\t", "\u2028", "\u202E", "\uFEFF", "😀", "é", "日") },
);

export const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD83D",
  "emoji cut \uD83D",
  "\uDE00 low first",
  "\uD800\uD800",
  "__proto__",
  "constructor",
  "null",
  "NaN",
  "1e309",
  "${jndi:ldap://x}",
  "'; DROP TABLE system_logs; --",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "%00",
  "\\u0000",
  "Bearer clk_aaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
  "ann@example.com",
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: codeUnit, maxLength: 24 }) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 8 })).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: fc.integer({ min: 129, max: 3_000 }).map((n) => "x".repeat(n)) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(), // NaN and ±Infinity become null in JSON
  fc.constantFrom(0, -0, -1, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 2 ** 31, 2 ** 63, 1e21, 99999999999999999999, 8.64e15 + 1, -8.64e15 - 1, 0.1 + 0.2),
);

/** Dates applications get wrong: impossible, out of range, the wrong type. */
export const hostileDate: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    "99999-01-01T00:00:00Z",
    "+275760-09-13T00:00:00Z",
    "-000001-01-01T00:00:00Z",
    "2026-13-45T00:00:00Z",
    "2026-02-30T10:00:00Z",
    "2026-11-27T24:00:00Z",
    "2026-11-27",
    "0000-00-00T00:00:00Z",
    "yesterday",
    "",
    "2026-11-27T10:00:00\u0000Z",
  ),
  hostileNumber,
  fc.constant(null),
  fc.constant(true),
  fc.constant(() => new Date().toISOString()).map((f) => f()),
);

/** A value nested `depth` levels deep (arrays or objects). */
export function nested(depth: number, kind: "array" | "object" = "array"): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < depth; i++) v = kind === "array" ? [v] : { d: v };
  return v;
}

/** Depths around the limit (64) and far beyond it; below what JSON.stringify can write (~4,000). */
export const deepValue = fc.tuple(fc.constantFrom(62, 63, 64, 65, 100, 1000, 3000), fc.constantFrom("array" as const, "object" as const)).map(([d, k]) => nested(d, k));

export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** A JSON object with hostile keys and values, sometimes deep. */
export const hostileObject: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(hostileString, hostileJson, { maxKeys: 5 }) },
  { weight: 1, arbitrary: deepValue.map((d) => ({ deep: d })) },
);

/** A value of any type where something specific is expected. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.array(hostileJson, { maxLength: 3 }), hostileObject);

let seq = 0;
export const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}`;

/** A body as sent over the wire: its bytes, content type and encoding. */
export interface WireBody {
  body: Buffer;
  contentType: string | null;
  encoding?: string;
}

/** JSON of `value`, mostly well formed; sometimes cut short, garbage, the wrong type or charset. */
export function wire(value: fc.Arbitrary<unknown>, options: { gzip?: boolean } = {}): fc.Arbitrary<WireBody> {
  const json = value.map((v) => JSON.stringify(v) ?? "null");
  const variants: fc.Arbitrary<WireBody>[] = [
    json.map((t) => ({ body: Buffer.from(t), contentType: "application/json" })),
    json.map((t) => ({ body: Buffer.from(t), contentType: "application/json" })),
    json.map((t) => ({ body: Buffer.from(t), contentType: "application/json" })),
    fc.tuple(json, fc.nat()).map(([t, n]) => ({ body: Buffer.from(t.slice(0, n % Math.max(1, t.length))), contentType: "application/json" })),
    fc.tuple(json, fc.constantFrom("}", "]", ",", "\u0000", "\\", '"', "NaN", "undefined")).map(([t, junk]) => ({ body: Buffer.from(t + junk), contentType: "application/json" })),
    fc.uint8Array({ maxLength: 64 }).map((b) => ({ body: Buffer.from(b), contentType: "application/json" })),
    fc.tuple(json, fc.constantFrom(null, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "application/jsonx", "multipart/form-data; boundary=x", "application/x-protobuf")).map(([t, type]) => ({ body: Buffer.from(t), contentType: type })),
    fc.constant({ body: Buffer.from('{"a":"\\ud800"}'), contentType: "application/json" }),
    fc.constant({ body: Buffer.from([0xff, 0xfe, 0x7b, 0x00]), contentType: "application/json" }),
  ];
  if (options.gzip) {
    variants.push(
      json.map((t) => ({ body: gzipSync(t), contentType: "application/json", encoding: "gzip" })),
      fc.uint8Array({ maxLength: 64 }).map((b) => ({ body: Buffer.from(b), contentType: "application/json", encoding: "gzip" })),
      json.map((t) => ({ body: gzipSync(t).subarray(0, 12), contentType: "application/json", encoding: "gzip" })),
      fc.tuple(json, fc.constantFrom("br", "deflate", "gzip, gzip", "identity", "x-unknown")).map(([t, encoding]) => ({ body: Buffer.from(t), contentType: "application/json", encoding })),
    );
  }
  return fc.oneof(...variants);
}

export interface Sent {
  status: number;
  text: string;
  json: unknown;
}

export async function send(url: string, method: string, w: WireBody | null, headers: Record<string, string> = {}): Promise<Sent> {
  const h: Record<string, string> = { ...headers };
  if (w?.contentType) h["content-type"] = w.contentType;
  if (w?.encoding) h["content-encoding"] = w.encoding;
  const res = await fetch(url, { method, headers: h, body: w ? new Uint8Array(w.body) : undefined });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, text, json };
}

export const COUNTED_TABLES = ["system_logs", "subjects", "consent_settings", "consent_history", "model_feedback"] as const;
export type Counts = Record<(typeof COUNTED_TABLES)[number], number>;

/** Row counts of the tables a public route writes (all of COUNTED_TABLES unless told), read on a connection of its own. */
export class RowCounter {
  private client = new pg.Client({ connectionString: databaseUrlFromEnv() });

  constructor(private readonly tables: readonly (typeof COUNTED_TABLES)[number][] = COUNTED_TABLES) {}

  async open() {
    await this.client.connect();
  }

  async close() {
    await this.client.end();
  }

  async counts(): Promise<Counts> {
    const { rows } = await this.client.query<Counts>(`SELECT ${this.tables.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(", ")}`);
    return rows[0]!;
  }
}

/** A description of a request that went wrong, short enough to read in a failure message. */
export function describeRequest(method: string, path: string, w: WireBody | null, sent: Sent): string {
  const body = w ? w.body.subarray(0, 400).toString("utf8") : "";
  return `${method} ${path} (${w?.contentType ?? "no type"}${w?.encoding ? `, ${w.encoding}` : ""}) ${JSON.stringify(body)} → ${sent.status} ${sent.text.slice(0, 300)}`;
}

/**
 * Each route's time budget. 2,000 requests take 15-60 s on an idle 2-core machine and up to ~140 s
 * when it is shared by many jobs (load 20); past the budget the run stops and fails.
 */
export const FUZZ_SECONDS = 300;
export const FUZZ_TIMEOUT_MS = (FUZZ_SECONDS + 30) * 1000;

/** fast-check settings for the fuzz tier: `runs` requests, stopped (and failed) after `seconds`. */
export const fuzzParameters = (runs: number, seconds: number) => ({ numRuns: runs, interruptAfterTimeLimit: seconds * 1000, markInterruptAsFailure: true, endOnFailure: true });
