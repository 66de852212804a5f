import { preflight } from "@/lib/api/cors";
import { withApiKey } from "@/lib/api/with-api-key";
import { parseInput } from "@/lib/errors";
import { keyOwnerActor } from "@/lib/training/api-access";
import { featureSetParamsSchema } from "@/lib/training/api-schemas";
import { featureSetFileResponse } from "@/lib/training/download-response";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** GET the manifest of a complete set (columns, subjects, exclusions, digest), stale or not. */
export const GET = withApiKey<{ id: string }>("training:read", async (ctx) => {
  const actor = await keyOwnerActor(ctx.key, "training.use");
  const { id } = parseInput(featureSetParamsSchema, ctx.params);
  return featureSetFileResponse(id, "manifest", actor, `/api/v1/feature-sets/${id}/manifest`);
});
