import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_PATH_HEADER } from "./lib/auth/request-path";

// Tells server components which path was asked for, so a guard in a shared layout can send a
// stranger to the login page and back to the page they wanted. Authorization itself happens in
// the pages, actions and routes (lib/auth/current-user.ts), never here.
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/admin/:path*", "/admin", "/privacy/:path*", "/privacy"] };
