// Resolved against a placeholder origin: whatever the browser would make of the value, it must stay here.
const HERE = "http://clearlog.invalid";

/**
 * The path to return to after sign-in, only if it stays on this site: the value is resolved as a URL
 * against this origin (so `/..//evil.example`, `/%2e%2e//…` and `/.//…` are seen for what they
 * become), and the result must be on the same origin with a path that starts with exactly one `/`,
 * also once percent-decoded. Backslashes (which browsers treat as slashes) and control characters
 * (which URL parsers drop) are refused outright. Returns the normalized path, or null.
 */
export function safeNext(next: unknown): string | null {
  if (typeof next !== "string" || next.length === 0 || next.length > 512) return null;
  if (!next.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(next)) return null;
  let url: URL;
  try {
    url = new URL(next, HERE);
  } catch {
    return null;
  }
  if (url.origin !== HERE || url.username !== "" || url.password !== "") return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  const singleSlash = (p: string) => p.startsWith("/") && !p.startsWith("//") && !p.startsWith("/\\");
  return singleSlash(path) && singleSlash(decoded) && !/[\\\u0000-\u001f\u007f]/.test(decoded) ? path : null;
}
