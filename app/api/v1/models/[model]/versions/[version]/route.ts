import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { keyOwnerActor } from "@/lib/training/api-access";
import { versionLineage } from "@/lib/training/api-views";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** GET a version's lineage (its feature sets, each with its newest rebuild) and taint (withdrawn data). */
export const GET = withApiKey<{ model: string; version: string }>("training:read", async (ctx) => {
  await keyOwnerActor(ctx.key, "training.use");
  return apiJson(await versionLineage(ctx.params.model, ctx.params.version));
});
