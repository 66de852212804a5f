import { preflight } from "@/lib/api/cors";
import { withApiKey } from "@/lib/api/with-api-key";
import { db } from "@/lib/db/client";
import { parseInput, SafeError } from "@/lib/errors";
import { keyOwnerActor } from "@/lib/training/api-access";
import { aliasBodySchema } from "@/lib/training/api-schemas";
import { findVersion } from "@/lib/training/api-views";
import { removeAlias, setAlias } from "@/lib/training/registry";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

type Params = { model: string; alias: string };

/** PUT `{ version }`: points the alias (production, staging, …) of the named model at that version: 204. */
export const PUT = withApiKey<Params>("registry:write", async (ctx) => {
  const actor = await keyOwnerActor(ctx.key, "models.manage");
  const { version } = parseInput(aliasBodySchema, await ctx.json({ bytes: 1024, message: "An alias request is at most 1024 bytes" }));
  const found = await findVersion(ctx.params.model, version);
  await setAlias({ modelId: found.modelId, alias: ctx.params.alias, versionId: found.id }, actor);
  return new Response(null, { status: 204 });
});

/** DELETE: the alias points nowhere afterwards (removing `production` leaves no active version): 204. */
export const DELETE = withApiKey<Params>("registry:write", async (ctx) => {
  const actor = await keyOwnerActor(ctx.key, "models.manage");
  const model = await db().model.findUnique({ where: { name: ctx.params.model }, select: { id: true } });
  if (!model) throw new SafeError(`There is no model ${ctx.params.model.slice(0, 80)}.`, "not_found");
  await removeAlias({ modelId: model.id, alias: ctx.params.alias }, actor);
  return new Response(null, { status: 204 });
});
