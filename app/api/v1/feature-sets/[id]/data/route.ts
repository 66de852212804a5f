import { preflight } from "@/lib/api/cors";
import { problem, problemResponse } from "@/lib/api/problem";
import { withApiKey } from "@/lib/api/with-api-key";
import { parseInput, SafeError } from "@/lib/errors";
import { keyOwnerActor } from "@/lib/training/api-access";
import { dataQuerySchema, featureSetParamsSchema } from "@/lib/training/api-schemas";
import { staleSetExtensions } from "@/lib/training/api-views";
import { featureSetFileResponse } from "@/lib/training/download-response";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/**
 * GET a complete set's rows `?format=csv|jsonl|parquet` (default parquet), streamed page by page.
 * A stale set answers 409 `{ code: "stale", reason: "consent_withdrawn", rebuiltSet }`.
 */
export const GET = withApiKey<{ id: string }>("training:read", async (ctx) => {
  const actor = await keyOwnerActor(ctx.key, "training.use");
  const { id } = parseInput(featureSetParamsSchema, ctx.params);
  const { format } = parseInput(dataQuerySchema, Object.fromEntries(new URL(ctx.request.url).searchParams));
  try {
    return await featureSetFileResponse(id, format, actor, `/api/v1/feature-sets/${id}/manifest`);
  } catch (error) {
    if (!(error instanceof SafeError) || error.code !== "conflict") throw error;
    return problemResponse(problem(409, error.message, await staleSetExtensions(id)));
  }
});
