import { createHash } from "node:crypto";
import type { Severity } from "@clearlog/sdk";
import { MAX_DEPTH } from "./sanitize";

// Decoding of the OTLP/JSON building blocks (AnyValue, KeyValue lists, nanosecond times, trace and
// span ids, severity numbers). Pure helpers for lib/ingest/otlp.ts.
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A non-empty string, or a number/boolean as text; anything else is undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === "string") return v === "" ? undefined : v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** A whole number from a number or a numeric string (OTLP sends int64 as strings). */
export function int(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.round(n) : undefined;
}

function intValue(v: unknown): number | string | null {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^-?\d+$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v; // beyond 2^53: kept exact as text
  }
  return typeof v === "string" ? v : null;
}

/**
 * An OTLP AnyValue as a plain JSON value. A value that is not an AnyValue object is taken as it is.
 * Conversion stops below MAX_DEPTH nested values: the deeper rest becomes `{}`, so the event is still
 * too deep and the pipeline rejects that one record, naming the field (lib/ingest/sanitize.ts).
 */
export function anyValue(v: unknown, depth = 0): unknown {
  if (v === undefined || v === null) return null;
  if (!isObj(v)) return v;
  if (depth >= MAX_DEPTH) return {};
  if ("stringValue" in v) return typeof v.stringValue === "string" ? v.stringValue : String(v.stringValue ?? "");
  if ("intValue" in v) return intValue(v.intValue);
  if ("doubleValue" in v) {
    const n = Number(v.doubleValue);
    return Number.isFinite(n) ? n : String(v.doubleValue); // "NaN", "Infinity" are not JSON numbers
  }
  if ("boolValue" in v) return v.boolValue === true || v.boolValue === "true";
  if ("arrayValue" in v) {
    const values = isObj(v.arrayValue) && Array.isArray(v.arrayValue.values) ? v.arrayValue.values : [];
    return values.map((item) => anyValue(item, depth + 1));
  }
  if ("kvlistValue" in v) return attributes(isObj(v.kvlistValue) ? v.kvlistValue.values : undefined, depth + 1);
  if ("bytesValue" in v) return typeof v.bytesValue === "string" ? v.bytesValue : null; // base64, kept as text
  return null;
}

/** A KeyValue list (`[{ key, value: AnyValue }]`) as an object. */
export function attributes(list: unknown, depth = 0): Obj {
  const out: Obj = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (!isObj(kv) || typeof kv.key !== "string" || kv.key === "__proto__") continue;
    out[kv.key] = anyValue(kv.value, depth);
  }
  return out;
}

/** Removes every key from `attrs` and returns the first of their values that is set. */
export function take(attrs: Obj, ...keys: string[]): unknown {
  let found: unknown;
  for (const key of keys) {
    const value = attrs[key];
    delete attrs[key];
    if (found === undefined && value !== undefined && value !== null && value !== "") found = value;
  }
  return found;
}

/** Nanoseconds since the epoch (string or number); 0 and anything unreadable are undefined. */
export function nanos(v: unknown): bigint | undefined {
  let n: bigint | undefined;
  if (typeof v === "string" && /^\d{1,30}$/.test(v)) n = BigInt(v);
  else if (typeof v === "number" && Number.isFinite(v) && v > 0) n = BigInt(Math.trunc(v));
  return n && n > 0n ? n : undefined;
}

export const nanosToMs = (n: bigint): number => Number(n / 1_000_000n);

/** Whole milliseconds between two nanosecond times, or undefined when either is missing or end < start. */
export function durationMs(start: bigint | undefined, end: bigint | undefined): number | undefined {
  if (start === undefined || end === undefined || end < start) return undefined;
  return Math.round(Number((end - start) / 1000n) / 1000);
}

/**
 * A trace id (16 bytes) or span id (8 bytes) as lower-case hex. OTLP/JSON sends hex; some encoders use
 * proto3's base64 for bytes, which is decoded when it has the right length. An all-zero id is no id.
 * Anything else is opaque: `undefined` here, and the caller keeps the raw value.
 */
export function hexId(v: unknown, bytes: 16 | 8): string | undefined {
  if (typeof v !== "string" || v === "") return undefined;
  let hex: string | undefined;
  if (v.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(v)) hex = v.toLowerCase();
  else if (v.length === Math.ceil(bytes / 3) * 4 && /^[A-Za-z0-9+/]+={0,2}$/.test(v)) {
    const decoded = Buffer.from(v, "base64");
    if (decoded.length === bytes) hex = decoded.toString("hex");
  }
  return hex && /[1-9a-f]/.test(hex) ? hex : undefined;
}

const STABLE_JSON_DEPTH = 4 * MAX_DEPTH;

/**
 * JSON with object keys sorted, so equal content hashes equally whatever the encoder's key order.
 * Below STABLE_JSON_DEPTH levels a value is written as `"…"`: bounded recursion for any input (such
 * records are refused for their depth anyway).
 */
export function stableJson(v: unknown, depth = 0): string {
  if (depth > STABLE_JSON_DEPTH && typeof v === "object" && v !== null) return '"…"';
  if (Array.isArray(v)) return `[${v.map((item) => stableJson(item, depth + 1)).join(",")}]`;
  if (isObj(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(v[k], depth + 1)}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

export const digest = (text: string, length = 32): string => createHash("sha256").update(text).digest("hex").slice(0, length);

const SEVERITY_NAMES: Record<string, number> = { TRACE: 1, DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21 };

/** OTLP SeverityNumber (1-24, or its enum name in proto3 JSON) → Clearlog severity. */
function fromNumber(n: number): Severity | undefined {
  if (!Number.isInteger(n) || n < 1 || n > 24) return undefined;
  if (n <= 8) return "debug"; // TRACE (1-4) and DEBUG (5-8)
  if (n <= 12) return "info";
  if (n <= 16) return "warn";
  return n <= 20 ? "error" : "fatal";
}

const TEXT_SEVERITY: [RegExp, Severity][] = [
  [/^(trace|debug|verbose|fine)/i, "debug"],
  [/^(info|notice|informational)/i, "info"],
  [/^warn/i, "warn"],
  [/^(err|severe)/i, "error"],
  [/^(fatal|crit|alert|emerg|panic)/i, "fatal"],
];

/** Severity from severityNumber; when that is unset (0), from severityText. */
export function severityOf(number: unknown, text: unknown): Severity | undefined {
  let n = typeof number === "number" ? number : typeof number === "string" && /^\d+$/.test(number) ? Number(number) : undefined;
  if (typeof number === "string") {
    const m = /^SEVERITY_NUMBER_([A-Z]+)(\d?)$/.exec(number);
    const base = m ? SEVERITY_NAMES[m[1]!] : undefined;
    if (m && base !== undefined) n = base + Math.max(0, Number(m[2] || "1") - 1);
  }
  const fromNum = n !== undefined ? fromNumber(n) : undefined;
  if (fromNum) return fromNum;
  if (typeof text !== "string") return undefined;
  return TEXT_SEVERITY.find(([re]) => re.test(text.trim()))?.[1];
}

const SPAN_KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"];

/** Span kind (number or `SPAN_KIND_SERVER`) as a lower-case word. */
export function spanKind(v: unknown): string | undefined {
  if (typeof v === "number") return v > 0 ? SPAN_KINDS[v] : undefined;
  const m = typeof v === "string" ? /^SPAN_KIND_([A-Z]+)$/.exec(v) : null;
  return m && m[1] !== "UNSPECIFIED" ? m[1]!.toLowerCase() : undefined;
}

/** True when a span status says ERROR (code 2, or `STATUS_CODE_ERROR`). */
export function isErrorStatus(status: unknown): boolean {
  if (!isObj(status)) return false;
  return status.code === 2 || status.code === "2" || status.code === "STATUS_CODE_ERROR";
}

/** Cuts a label to `max` characters (names and components are labels; losing the tail beats losing the event). */
export const label = (v: string | undefined, max: number): string | undefined => (v === undefined ? undefined : v.slice(0, max));
