import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { SafeError } from "@/lib/errors";
import { acceptJson, CORS_HEADERS, errorResponse, failure, HttpError, preflight } from "@/lib/ingest/http";
import type { FeedbackResponse } from "@clearlog/sdk";
import { FeedbackRefusedError, recordFeedback } from "@/lib/training/feedback";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/**
 * POST one feedback `{ model, version | alias | modelVersionId, rating?, score?, label?, correction?,
 * comment?, eventId?, subject?, source?, id? }` with a `feedback`-scoped key: 201 accepted, 200 for a
 * resent id. The body is never logged: it may carry personal data until classified.
 */
export async function POST(request: NextRequest) {
  try {
    const bytes = env().CLEARLOG_INGEST_MAX_EVENT_BYTES;
    const { body } = await acceptJson(request, "feedback", { bytes, message: `Feedback exceeds the ${bytes}-byte limit (CLEARLOG_INGEST_MAX_EVENT_BYTES)` });
    const result = await recordFeedback(body);
    return NextResponse.json<FeedbackResponse>(result, { status: result.status === "accepted" ? 201 : 200, headers: CORS_HEADERS });
  } catch (error) {
    if (error instanceof FeedbackRefusedError) return errorResponse(422, error.message);
    if (error instanceof SafeError) return errorResponse(error.code === "not_found" ? 404 : 400, error.message);
    if (error instanceof HttpError) return failure(error, "api/v1/feedback");
    logger().error({ component: "api", route: "api/v1/feedback", err: error }, "request failed");
    return errorResponse(500, "Internal error: the feedback was not stored; retry later");
  }
}
