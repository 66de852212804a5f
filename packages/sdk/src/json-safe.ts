// Turns anything an application passes as details into a JSON-safe value: cycles become
// "[Circular]", BigInt a string, functions and symbols disappear, Errors keep name/message/stack,
// Dates become ISO strings, Maps objects, Sets arrays. Getters that throw become "[Unserializable]".

const MAX_DEPTH = 12;

export function toJsonSafe(value: unknown): unknown {
  const ancestors: object[] = [];

  function walk(v: unknown, depth: number): unknown {
    switch (typeof v) {
      case "string":
      case "boolean":
        return v;
      case "number":
        return Number.isFinite(v) ? v : String(v);
      case "bigint":
        return v.toString();
      case "undefined":
      case "function":
      case "symbol":
        return undefined;
    }
    if (v === null) return null;
    const obj = v as object;
    if (ancestors.includes(obj)) return "[Circular]";
    if (depth >= MAX_DEPTH) return "[MaxDepth]";
    ancestors.push(obj);
    try {
      return walkObject(obj, depth);
    } catch {
      return "[Unserializable]";
    } finally {
      ancestors.pop();
    }
  }

  function walkObject(obj: object, depth: number): unknown {
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
    if (obj instanceof Error) {
      const out: Record<string, unknown> = { name: obj.name, message: obj.message };
      if (obj.stack) out.stack = obj.stack;
      if (obj.cause !== undefined) out.cause = walk(obj.cause, depth + 1);
      return out;
    }
    if (Array.isArray(obj)) return obj.map((x) => walk(x, depth + 1) ?? null);
    if (obj instanceof Set) return Array.from(obj, (x) => walk(x, depth + 1) ?? null);
    if (obj instanceof Map) {
      const out = Object.create(null) as Record<string, unknown>;
      for (const [k, x] of obj) {
        const r = walk(x, depth + 1);
        if (r !== undefined) out[String(k)] = r;
      }
      return out;
    }
    if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) return `[Binary ${obj.byteLength} bytes]`;
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      const j: unknown = toJSON.call(obj);
      if (j !== obj) return walk(j, depth + 1);
    }
    // A null-prototype object, so that a key named "__proto__" is kept as data.
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      let r: unknown;
      try {
        r = walk((obj as Record<string, unknown>)[key], depth + 1);
      } catch {
        r = "[Unserializable]";
      }
      if (r !== undefined) out[key] = r;
    }
    return out;
  }

  try {
    return walk(value, 0);
  } catch {
    return "[Unserializable]";
  }
}

/** JSON text of any value; never throws. */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(toJsonSafe(value)) ?? String(value);
  } catch {
    return "[Unserializable]";
  }
}

/** The UTF-8 byte length of a string (a lone surrogate counts as U+FFFD, 3 bytes, as it is sent). */
export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}
