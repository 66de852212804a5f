import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { env } from "@/lib/env";
import { keyOwnerActor } from "@/lib/training/api-access";
import { modelsWithVersions } from "@/lib/training/api-views";
import { registerModelVersion } from "@/lib/training/registry";
import type { RegisterModelInput } from "@/lib/training/registry-schema";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** GET every model with its versions and aliases. */
export const GET = withApiKey("training:read", async (ctx) => {
  await keyOwnerActor(ctx.key, "training.use");
  return apiJson({ models: await modelsWithVersions() });
});

/**
 * POST a version `{ model_name, model_type, model_version, model_description?, feature_sets, is_active?,
 * metrics?, parameters?, tags?, artifact_uri? }` with a `registry:write` key: 201 `{ modelId, versionId }`.
 */
export const POST = withApiKey("registry:write", async (ctx) => {
  const actor = await keyOwnerActor(ctx.key, "models.manage");
  const bytes = env().CLEARLOG_INGEST_MAX_EVENT_BYTES;
  const body = await ctx.json({ bytes, message: `A registration is at most ${bytes} bytes (CLEARLOG_INGEST_MAX_EVENT_BYTES)` });
  return apiJson(await registerModelVersion(body as RegisterModelInput, actor), 201);
});
