import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { parseInput } from "@/lib/errors";
import { keyOwnerActor } from "@/lib/training/api-access";
import { retrainQuerySchema } from "@/lib/training/api-schemas";
import { retrainNeeded } from "@/lib/training/api-views";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** GET versions behind an alias (`?alias=production,staging` to narrow) whose training data lost consent, each stale set with its rebuild. */
export const GET = withApiKey("training:read", async (ctx) => {
  await keyOwnerActor(ctx.key, "training.use");
  const { alias } = parseInput(retrainQuerySchema, Object.fromEntries(new URL(ctx.request.url).searchParams));
  const aliases = alias ? alias.split(",").map((a) => a.trim()).filter(Boolean) : undefined;
  return apiJson({ versions: await retrainNeeded(aliases) });
});
