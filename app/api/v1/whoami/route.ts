import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { intakeStatus } from "@/lib/ingest/intake-refusals";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/**
 * Lets an application check its key: which key it is, what it may do, and what Clearlog refused of
 * what it sent in the last 24 hours (`intake`). Never echoes the secret.
 */
export const GET = withApiKey(null, async (ctx) =>
  apiJson({ key: ctx.key.prefix, scopes: ctx.key.scopes, intake: await intakeStatus(ctx.key.keyId) }),
);
