import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** Lets an application check its key: which key it is and what it may do. Never echoes the secret. */
export const GET = withApiKey(null, async (ctx) => apiJson({ key: ctx.key.prefix, scopes: ctx.key.scopes }));
