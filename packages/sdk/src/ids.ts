// Event ids are assigned when an event is logged, so every retry resends the same id (and timestamp)
// and the server stores the event once.

interface CryptoLike {
  randomUUID?: () => string;
  getRandomValues?: <T extends ArrayBufferView | null>(array: T) => T;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** A random (version 4) UUID: `crypto.randomUUID` when present (it needs a secure context in
 * browsers), else built from `crypto.getRandomValues`, else from `Math.random` as a last resort. */
export function newEventId(): string {
  const c = (globalThis as { crypto?: CryptoLike }).crypto;
  if (c && typeof c.randomUUID === "function") {
    try {
      return c.randomUUID();
    } catch {
      // fall through to the manual construction
    }
  }
  const bytes = new Uint8Array(16);
  let filled = false;
  if (c && typeof c.getRandomValues === "function") {
    try {
      c.getRandomValues(bytes);
      filled = true;
    } catch {
      filled = false;
    }
  }
  if (!filled) for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  return uuidFromBytes(bytes);
}

/** Formats 16 random bytes as a version 4, variant 1 UUID. */
export function uuidFromBytes(bytes: Uint8Array): string {
  const b = Array.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.map((x) => HEX[x] as string);
  return (
    h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") + "-" +
    h.slice(8, 10).join("") + "-" + h.slice(10, 16).join("")
  );
}
