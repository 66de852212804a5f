import { issuePortalSession } from "@/lib/auth/portal-sessions";
import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** Where the caller reached us (CLEARLOG_PUBLIC_URL wins when set): the link goes back to the application that asked. */
function originOf(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? url.host;
  const proto = request.headers.get("x-forwarded-proto") ?? url.protocol.replace(":", "");
  return `${proto}://${host}`;
}

/** POST `{ subject, returnUrl? }` with a `privacy`-scoped key: a single-use link to the person's privacy center, valid 10 minutes. */
export const POST = withApiKey("privacy", async (ctx) => apiJson(await issuePortalSession(await ctx.json(), ctx.key.keyId, originOf(ctx.request)), 201));
