// sendFeedback: one feedback on a model version, sent at once (not through the event queue) to
// POST {endpoint}/api/v1/feedback. Its id is fixed before the first attempt, so a retry after a lost
// answer is stored once. Never rejects: every outcome is a FeedbackResult (failures also go to onError).
import { MAX_RETRY_AFTER_WAIT_MS } from "./delivery";
import { ClearlogError, errorMessage, internalError } from "./errors";
import { newEventId } from "./ids";
import { backoffDelay, describeError, postEvents, sleep, type TransportConfig } from "./transport";
import type { Feedback, FeedbackResponse, FeedbackResult } from "./types";

export interface FeedbackDeps {
  /** the logger's transport, its url replaced by apiUrl(endpoint, "feedback") */
  transport: TransportConfig;
  maxRetries: number;
  random: () => number;
  /** the logger's current subject: the default for `end_user` feedback */
  subject?: string;
  /** the logger was shut down */
  closed?: boolean;
  report: (error: ClearlogError) => void;
}


function answerOf(body: unknown): FeedbackResponse | undefined {
  const b = (body && typeof body === "object" ? body : {}) as Partial<Record<keyof FeedbackResponse, unknown>>;
  if (typeof b.id !== "string" || (b.status !== "accepted" && b.status !== "duplicate") || typeof b.trainingEligible !== "boolean") return undefined;
  return { id: b.id, status: b.status, trainingEligible: b.trainingEligible };
}

function failure(deps: Pick<FeedbackDeps, "report">, id: string, error: ClearlogError): FeedbackResult {
  try {
    deps.report(error);
  } catch {
    // reporting must not turn a failure into a rejection
  }
  return { ok: false, id, error };
}

async function send(deps: FeedbackDeps, feedback: Feedback, id: string): Promise<FeedbackResult> {
  if (deps.closed) return failure(deps, id, new ClearlogError("shutdown", `Shut down: feedback ${id} not sent`));
  const body: Feedback = { ...feedback, id };
  // Annotators and automated judges are not the person the logger is following.
  if (body.subject === undefined && deps.subject !== undefined && (body.source ?? "end_user") === "end_user") body.subject = deps.subject;
  const json = JSON.stringify(body);
  for (let attempt = 1; ; attempt++) {
    const outcome = await postEvents(deps.transport, json);
    if (outcome.kind === "ok") {
      const answer = answerOf(outcome.body);
      if (answer) return { ok: true, ...answer };
      return failure(deps, id, new ClearlogError("internal", `Feedback ${id}: HTTP ${outcome.status} without a result`, { status: outcome.status, eventIds: [id] }));
    }
    if (outcome.kind === "too_large") {
      return failure(deps, id, new ClearlogError("too_large", `Feedback ${id} too large (413): not stored`, { status: 413, eventIds: [id] }));
    }
    if (outcome.kind === "reject") {
      const message = `Feedback ${id} rejected (HTTP ${outcome.status}${describeError(outcome.body)}): not stored`;
      return failure(deps, id, new ClearlogError("rejected", message, { status: outcome.status, eventIds: [id] }));
    }
    const wait = outcome.retryAfterMs ?? backoffDelay(attempt, deps.random);
    if (attempt > deps.maxRetries || wait > MAX_RETRY_AFTER_WAIT_MS) {
      const message = `Feedback ${id} not sent after ${attempt} attempt(s) (${errorMessage(outcome.error)}); resend it later with this id`;
      return failure(deps, id, new ClearlogError("retries_exhausted", message, { status: outcome.status, eventIds: [id], cause: outcome.error }));
    }
    await sleep(deps.transport.timers, wait);
  }
}

/** Sends one feedback with retries (network errors, timeouts, 408, 429 with Retry-After, 5xx). */
export async function sendFeedback(deps: FeedbackDeps, feedback: Feedback): Promise<FeedbackResult> {
  let id = "";
  try {
    const given = (feedback as { id?: unknown } | null)?.id;
    id = typeof given === "string" && given.length > 0 ? given : newEventId();
    if (feedback === null || typeof feedback !== "object" || Array.isArray(feedback)) {
      return failure(deps, id, new ClearlogError("invalid_argument", "sendFeedback needs a feedback object"));
    }
    return await send(deps, feedback, id);
  } catch (error) {
    return failure(deps, id, internalError(error));
  }
}

/** What a disabled logger (bad options) answers. */
export function feedbackDisabled(feedback: Feedback): Promise<FeedbackResult> {
  const given = (feedback as { id?: unknown } | null)?.id;
  const id = typeof given === "string" ? given : "";
  return Promise.resolve({ ok: false, id, error: new ClearlogError("config", "Logger disabled (see its config error): feedback not sent") });
}


