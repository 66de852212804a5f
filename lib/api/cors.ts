// Any origin may call the public API: keys travel in headers, never in cookies, and credentials
// are not allowed, so a page on another origin can use only the key it was given.
export const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, Content-Encoding, X-Api-Key",
  "Access-Control-Expose-Headers": "Retry-After, Location, Link, X-Clearlog-Digest",
  "Access-Control-Max-Age": "86400",
};

/** The answer to a CORS preflight: export it as every public route's OPTIONS. */
export function preflight(): Response {
  return new Response(null, { status: 204, headers: CORS_HEADERS });
}
