import { preflight } from "@/lib/api/cors";
import { apiJson, withApiKey } from "@/lib/api/with-api-key";
import { env } from "@/lib/env";
import type { FeedbackResponse } from "@clearlog/sdk";
import { recordFeedback } from "@/lib/training/feedback";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/**
 * POST one feedback `{ model, version | alias | modelVersionId, rating?, score?, label?, correction?,
 * comment?, eventId?, subject?, source?, id? }` with a `feedback`-scoped key: 201 accepted, 200 for a
 * resent id, 422 when a classification rule refuses its text. The body is never logged.
 */
export const POST = withApiKey("feedback", async (ctx) => {
  const bytes = env().CLEARLOG_INGEST_MAX_EVENT_BYTES;
  const body = await ctx.json({ bytes, message: `Feedback exceeds the ${bytes}-byte limit (CLEARLOG_INGEST_MAX_EVENT_BYTES)` });
  const result = await recordFeedback(body);
  return apiJson(result satisfies FeedbackResponse, result.status === "accepted" ? 201 : 200);
});
