// Event ids are assigned when an event is logged, so every retry resends the same id (and timestamp)
// and the server stores the event once.

interface CryptoLike {
  randomUUID(): string;
  getRandomValues(array: Uint8Array): Uint8Array;
}

/** A random (version 4) UUID: `crypto.randomUUID` when present (it needs a secure context in
 * browsers), else built from `crypto.getRandomValues`, else from `Math.random` as a last resort. */
export function newEventId(): string {
  const c = (globalThis as { crypto?: CryptoLike }).crypto;
  try {
    return c!.randomUUID();
  } catch {
    // missing or refused: build one
  }
  const bytes = new Uint8Array(16);
  try {
    c!.getRandomValues(bytes);
  } catch {
    for (let i = 0; i < 16; i++) bytes[i] = Math.random() * 256;
  }
  return uuidFromBytes(bytes);
}

/** Formats 16 random bytes as a version 4, variant 1 UUID. */
export function uuidFromBytes(bytes: Uint8Array): string {
  const hex = Array.from(bytes.subarray(0, 16), (b, i) => (i === 6 ? (b & 0x0f) | 0x40 : i === 8 ? (b & 0x3f) | 0x80 : b).toString(16).padStart(2, "0")).join("");
  return hex.replace(/(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
}
