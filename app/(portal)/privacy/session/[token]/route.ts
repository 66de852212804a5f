import { NextResponse } from "next/server";
import { secureCookiesFor } from "@/lib/auth/login";
import { openPortalSession, PORTAL_COOKIE } from "@/lib/auth/portal-sessions";

export const dynamic = "force-dynamic";

/** Opens a portal session link (once): sets the session cookie and sends the person to their privacy center. */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const session = token === "ended" ? null : await openPortalSession(token);
  // `ended` is where a signed-out portal session lands; a used or expired link gets a 410.
  if (!session) return endedPage(token !== "ended");
  // A relative Location: behind a proxy (or under another host name) the cookie and the privacy
  // center stay on the host the person opened the link on.
  const response = new NextResponse(null, { status: 303, headers: { Location: "/privacy", "Cache-Control": "no-store" } });
  response.cookies.set(PORTAL_COOKIE, session.token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: secureCookiesFor(request.headers.get("x-forwarded-proto")),
    expires: session.expiresAt,
  });
  return response;
}

function endedPage(expired: boolean): Response {
  const message = expired
    ? "This link has already been used or has expired. Go back to the application and open your privacy center again."
    : "You have left your privacy center. You can close this page, or open it again from the application.";
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Privacy center</title>
<style>body{font:16px/1.5 system-ui,sans-serif;color:#0f172a;max-width:32rem;margin:4rem auto;padding:0 1rem}</style></head>
<body><h1>Privacy center</h1><p data-testid="portal-link-message">${message}</p></body></html>`;
  return new Response(html, { status: expired ? 410 : 200, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}
