import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { getForApi } from "@/lib/privacy/request-filing";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** GET: one request's state, timeline and the notes the person sees. */
export const GET = withApiKey<{ id: string }>("privacy", async (ctx) => apiJson(await getForApi(ctx.params.id)));
