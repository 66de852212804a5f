import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { parseInput } from "@/lib/errors";
import { keyOwnerActor } from "@/lib/training/api-access";
import { listQuerySchema } from "@/lib/training/api-schemas";
import { startExtraction } from "@/lib/training/extract";
import type { ExtractionInput } from "@/lib/training/extract-schema";
import { listFeatureSets } from "@/lib/training/feature-sets";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** GET the newest feature sets (`?limit=`, default 50) with a `training:read` key. */
export const GET = withApiKey("training:read", async (ctx) => {
  await keyOwnerActor(ctx.key, "training.use");
  const { limit } = parseInput(listQuerySchema, Object.fromEntries(new URL(ctx.request.url).searchParams));
  const sets = await listFeatureSets(limit);
  return apiJson({
    featureSets: sets.map((s) => ({
      id: s.id,
      featureType: s.featureType,
      startDate: s.startDate.toISOString(),
      endDate: s.endDate.toISOString(),
      status: s.status,
      rows: s.rowCount,
      subjects: s.subjectCount,
      excluded: s.excluded,
      withdrawnSubjects: s.withdrawnSubjects,
      jobId: s.jobId,
      createdAt: s.createdAt.toISOString(),
    })),
  });
});

/** POST `{ featureType, startDate, endDate }` with a `training:write` key: 202 `{ id, job }`; poll GET /feature-sets/{id}. */
export const POST = withApiKey("training:write", async (ctx) => {
  const actor = await keyOwnerActor(ctx.key, "training.use");
  const body = await ctx.json({ bytes: 4096, message: "An extraction request is at most 4096 bytes" });
  const { featureSetId, jobId } = await startExtraction(body as ExtractionInput, actor);
  return apiJson({ id: featureSetId, job: jobId }, 202, { Location: `/api/v1/feature-sets/${featureSetId}` });
});
