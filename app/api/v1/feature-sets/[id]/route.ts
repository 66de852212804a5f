import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { parseInput } from "@/lib/errors";
import { keyOwnerActor } from "@/lib/training/api-access";
import { featureSetParamsSchema } from "@/lib/training/api-schemas";
import { featureSetStatus } from "@/lib/training/api-views";
import { deleteFeatureSet } from "@/lib/training/extract";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** GET a set's status (building, failed, ready, stale) with its job's progress. */
export const GET = withApiKey<{ id: string }>("training:read", async (ctx) => {
  await keyOwnerActor(ctx.key, "training.use");
  const { id } = parseInput(featureSetParamsSchema, ctx.params);
  return apiJson(await featureSetStatus(id));
});

/** DELETE a set no model version was trained on (409 otherwise): 204. */
export const DELETE = withApiKey<{ id: string }>("training:write", async (ctx) => {
  const actor = await keyOwnerActor(ctx.key, "training.use");
  const { id } = parseInput(featureSetParamsSchema, ctx.params);
  await deleteFeatureSet(id, actor);
  return new Response(null, { status: 204 });
});
