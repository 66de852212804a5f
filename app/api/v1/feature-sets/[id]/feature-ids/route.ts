import { preflight } from "@/lib/api/cors";
import { problem, problemResponse } from "@/lib/api/problem";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { parseInput, SafeError } from "@/lib/errors";
import { keyOwnerActor } from "@/lib/training/api-access";
import { featureIdsQuerySchema, featureSetParamsSchema } from "@/lib/training/api-schemas";
import { staleSetExtensions } from "@/lib/training/api-views";
import { featureIdsPage } from "@/lib/training/dataset-export";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/**
 * GET a complete set's feature ids (its rows' ids) a page at a time, `?after=<next>&limit=` (at most
 * 10,000): `{ ids, next }`, in the files' order. A stale set answers 409 like its data.
 */
export const GET = withApiKey<{ id: string }>("training:read", async (ctx) => {
  await keyOwnerActor(ctx.key, "training.use");
  const { id } = parseInput(featureSetParamsSchema, ctx.params);
  const query = parseInput(featureIdsQuerySchema, Object.fromEntries(new URL(ctx.request.url).searchParams));
  try {
    return apiJson(await featureIdsPage(id, query));
  } catch (error) {
    if (!(error instanceof SafeError) || error.code !== "conflict") throw error;
    return problemResponse(problem(409, error.message, await staleSetExtensions(id)));
  }
});
