import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { readConsent, updateConsent } from "@/lib/consent/api";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** PUT `{ subject, purposes: { analytics: false, … } }` with a `consent`-scoped key: records the changes. */
export const PUT = withApiKey("consent", async (ctx) =>
  apiJson(await updateConsent(await ctx.json(), { keyId: ctx.key.keyId, userAgent: ctx.request.headers.get("user-agent"), network: ctx.network })),
);

/** POST `{ subject }`: the subject's current consent per purpose. The subject travels in the body, never the URL. */
export const POST = withApiKey("consent", async (ctx) => apiJson(await readConsent(await ctx.json())));
