// The security headers of every response, decided in one place (proxy.ts sets them; docs/security.md).
// Pure: no environment, no request objects, so it is tested directly.

/** Features no Clearlog page uses: the browser refuses them to any script that would try. */
export const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), browsing-topics=()";

/** Two years, subdomains included: sent only over HTTPS. */
export const HSTS = "max-age=63072000; includeSubDomains";

/**
 * A strict Content-Security-Policy: scripts only with this response's nonce (Next puts it on its own
 * scripts; 'strict-dynamic' lets them load their chunks), styles from this origin or with the nonce,
 * inline style attributes allowed (React and Recharts render `style=""`, which cannot run code),
 * no plugins, no framing, forms and <base> only to this origin. Development adds 'unsafe-eval'
 * (React's dev tooling) and the dev server's WebSocket.
 */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean; https?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self'${options.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (options.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** A fresh nonce: 16 random bytes, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Whether HSTS applies: CLEARLOG_SECURE_COOKIES says so (`true`), or (`auto`) the request came over
 * HTTPS according to X-Forwarded-Proto, the same rule as the Secure flag of session cookies.
 */
export function servedOverHttps(setting: "auto" | "true" | "false", forwardedProto: string | null): boolean {
  if (setting !== "auto") return setting === "true";
  return forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https";
}

/** A POST that can run a server action: with a Next-Action header, or any POST to a page (not under /api/). */
export function mayInvokeAction(method: string, pathname: string, headers: Headers): boolean {
  return method === "POST" && (headers.has("next-action") || !pathname.startsWith("/api/"));
}

/**
 * A POST that may invoke a server action (mayInvokeAction) from another origin. Next refuses it too,
 * but with a 500; this lets the proxy answer 403. Same origin: the Origin's host equals the host the
 * request was addressed to (X-Forwarded-Host when a proxy sets it, else Host). A POST without Origin
 * is not a browser's cross-site request (browsers always send Origin on POST).
 */
export function isCrossOriginAction(method: string, headers: Headers, pathname = "/"): boolean {
  if (!mayInvokeAction(method, pathname, headers)) return false;
  const origin = headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true; // "null" (sandboxed frames, file://) or garbage
  }
  const host = (headers.get("x-forwarded-host") ?? headers.get("host") ?? "").split(",")[0]!.trim();
  return originHost.toLowerCase() !== host.toLowerCase();
}
