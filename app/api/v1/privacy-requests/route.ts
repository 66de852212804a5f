import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { fileFromApi, listForApi } from "@/lib/privacy/request-filing";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** POST `{ subject, type, details?, purpose?, requesterContact? }`: files a request for one of the application's users. */
export const POST = withApiKey("privacy", async (ctx) => {
  const request = await fileFromApi(await ctx.json(), ctx.key.keyId);
  return apiJson(request, 201, { Location: `/api/v1/privacy-requests/${request.id}` });
});

/** GET `?status=&type=&limit=&cursor=`: requests, newest first. Subjects travel in answers, never in URLs. */
export const GET = withApiKey("privacy", async (ctx) => apiJson(await listForApi(new URL(ctx.request.url).searchParams)));
