import { NextResponse, type NextRequest } from "next/server";
import { actionBodyProblem } from "./lib/action-body";
import { REQUEST_PATH_HEADER } from "./lib/auth/request-path";
import { env } from "./lib/env";
import { contentSecurityPolicy, HSTS, isCrossOriginAction, mayInvokeAction, newNonce, servedOverHttps } from "./lib/security-headers";

// Runs before every route except static files. It
// - refuses a server-action POST from another origin with 403, and one whose body cannot be decoded
//   with 400 (Next itself would answer 500 to both; lib/action-body.ts);
// - gives each response a strict Content-Security-Policy with a fresh nonce (also on the request, where
//   Next reads it to put the nonce on its own scripts; pages read `x-nonce`), and HSTS over HTTPS;
//   the other security headers are static and set in next.config.ts (docs/security.md);
// - tells server components which path was asked for, so a guard in a shared layout can send a
//   stranger to the login page and back. Authorization itself happens in the pages, actions and
//   routes (lib/auth/current-user.ts), never here.
export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (isCrossOriginAction(request.method, request.headers, pathname)) {
    return new NextResponse("Cross-origin server action refused: the Origin does not match this site.", { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  if (mayInvokeAction(request.method, pathname, request.headers)) {
    const problem = await actionBodyProblem(request.clone());
    if (problem) return new NextResponse(`Malformed server action request: ${problem}.`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const { NODE_ENV, CLEARLOG_SECURE_COOKIES } = env();
  const https = servedOverHttps(CLEARLOG_SECURE_COOKIES, request.headers.get("x-forwarded-proto"));
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: NODE_ENV === "development", https });
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, pathname + request.nextUrl.search);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|icon.svg).*)" }],
};
