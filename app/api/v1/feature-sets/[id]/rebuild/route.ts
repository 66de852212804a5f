import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { parseInput } from "@/lib/errors";
import { keyOwnerActor } from "@/lib/training/api-access";
import { featureSetParamsSchema } from "@/lib/training/api-schemas";
import { rebuildFeatureSet } from "@/lib/training/extract";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** POST: extracts the same definition and range again with consent as it is now: 202 `{ id, job, rebuiltFrom }`. */
export const POST = withApiKey<{ id: string }>("training:write", async (ctx) => {
  const actor = await keyOwnerActor(ctx.key, "training.use");
  const { id } = parseInput(featureSetParamsSchema, ctx.params);
  const { featureSetId, jobId } = await rebuildFeatureSet(id, actor);
  return apiJson({ id: featureSetId, job: jobId, rebuiltFrom: id }, 202, { Location: `/api/v1/feature-sets/${featureSetId}` });
});
