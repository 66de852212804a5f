import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { acceptEventBatch } from "@/lib/ingest/batch";
import { ingestEvents } from "@/lib/ingest/ingest";
import type { BatchResponse } from "@clearlog/sdk";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** POST a batch `{ "events": [...] }` with an API key holding the `ingest` scope (docs/ingestion.md). */
export const POST = withApiKey("ingest", async (ctx) => {
  const events = acceptEventBatch(await ctx.json());
  const result = await ingestEvents(events, { apiKeyId: ctx.key.keyId, ip: ctx.network, userAgent: ctx.request.headers.get("user-agent") });
  const status = result.rejected === 0 ? 200 : result.rejected === events.length ? 400 : 207;
  return apiJson(result satisfies BatchResponse, status);
});
