// Values PostgreSQL cannot store, made storable before validation (docs/ingestion.md, "Values that are
// cleaned or refused"): a NUL character (U+0000, refused in text and jsonb) is removed, a lone UTF-16
// surrogate (half an emoji, left by an application that cut a string in the middle) becomes U+FFFD,
// in keys as in values. What was cleaned is reported, so the stored event can say so. A value nested
// deeper than MAX_DEPTH levels is not cleaned but refused: the caller rejects that one event.
// Pure, iterative over siblings and recursive only to MAX_DEPTH, so no input can exhaust the stack.
export type Sanitized = "nul" | "surrogate";

export const MAX_DEPTH = 64;

export type CleanResult = { ok: true; value: unknown; sanitized: Sanitized[] } | { ok: false; path: string; reason: string };

// U+0000, or a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** The string as PostgreSQL can store it; `found` collects what was changed. */
export function cleanString(s: string, found: Set<Sanitized>): string {
  if (!SUSPECT.test(s)) return s;
  let out = s;
  if (out.includes("\u0000")) {
    out = out.replaceAll("\u0000", "");
    found.add("nul");
  }
  if (!out.isWellFormed()) {
    out = out.toWellFormed();
    found.add("surrogate");
  }
  return out;
}

/** A path segment as the pipeline names fields: `.key` or `[3]`. */
const segment = (key: string | number) => (typeof key === "number" ? `[${key}]` : `.${key}`);

/**
 * Cleans every string (and object key) of a parsed JSON value. `path` names the value in answers
 * (`events[3]`); `depth` is how deep the value already sits. Objects are rebuilt with
 * Object.fromEntries, so a `__proto__` key stays an ordinary key.
 */
export function cleanValue(value: unknown, path: string, depth = 0): CleanResult {
  const found = new Set<Sanitized>();
  const tooDeep: { path?: string } = {};
  const walk = (v: unknown, at: string, level: number): unknown => {
    if (typeof v === "string") return cleanString(v, found);
    if (typeof v !== "object" || v === null) return v;
    if (level >= MAX_DEPTH) {
      tooDeep.path ??= at;
      return null;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      for (let i = 0; i < v.length && tooDeep.path === undefined; i++) out[i] = walk(v[i], at + segment(i), level + 1);
      return out;
    }
    const entries: [string, unknown][] = [];
    for (const [k, child] of Object.entries(v)) {
      if (tooDeep.path !== undefined) break;
      const key = cleanString(k, found);
      entries.push([key, walk(child, at + segment(key), level + 1)]);
    }
    return Object.fromEntries(entries);
  };
  const cleaned = walk(value, path, depth);
  if (tooDeep.path !== undefined) return { ok: false, path: tooDeep.path, reason: `is nested more than ${MAX_DEPTH} levels deep` };
  return { ok: true, value: cleaned, sanitized: [...found].sort() };
}

/** Cleans one incoming event; its `id` is left as sent, so an id with a NUL is rejected, not changed. */
export function cleanEvent(raw: unknown, path: string): CleanResult {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return cleanValue(raw, path);
  const { id, ...rest } = raw as Record<string, unknown>;
  const result = cleanValue(rest, path);
  if (!result.ok || !("id" in raw)) return result;
  return { ...result, value: { id, ...(result.value as Record<string, unknown>) } };
}

/** True when a parsed JSON value nests more than `max` levels; iterative, so any depth is safe to ask about. */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, level] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (level >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, level + 1]);
  }
  return false;
}

/**
 * The size of a value as JSON, or null when it nests more than MAX_DEPTH levels (JSON.stringify
 * would overflow the stack near 4,000 levels; the pipeline rejects such an event by itself, naming
 * the field). For routes that check a per-event byte limit before ingestion.
 */
export function jsonBytes(value: unknown): number | null {
  if (deeperThan(value, MAX_DEPTH)) return null;
  return Buffer.byteLength(JSON.stringify(value) ?? "");
}
