/**
 * The path to return to after sign-in, only if it is a path on this site: no scheme, no host,
 * no protocol-relative `//`, no backslashes browsers treat as slashes. Anything else: null.
 */
export function safeNext(next: unknown): string | null {
  if (typeof next !== "string" || next.length > 512) return null;
  return /^\/(?![/\\])[\w\-/?=&%.~]*$/.test(next) ? next : null;
}
