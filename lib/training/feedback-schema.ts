import { z } from "zod";
import { enumValues, FeedbackSource } from "../db/enums";
import { findAll, SECRET_DETECTORS } from "../classify/detectors";
import type { Feedback } from "../sdk/types";
import { ALIAS, SEMVER } from "./registry-schema";

// The body of POST /api/v1/feedback (and of the SDK's sendFeedback). Messages never repeat the value
// sent; parseFeedback prefixes the field, so every refusal reads "score: must be …".
export const FEEDBACK_SOURCES = enumValues(FeedbackSource);
export const FEEDBACK_RATINGS = ["up", "down"] as const;
/** Scores are on one scale per application; 0–1 (quality, probability) or 1–5 (stars) both fit. */
export const SCORE_MIN = 0;
export const SCORE_MAX = 10;
export const LIMITS = { label: 200, correction: 20_000, comment: 5_000 } as const;

const CONTENT = ["rating", "score", "label", "correction", "comment"] as const;
const MODEL_NAME = /^[a-z0-9][a-z0-9._-]{0,79}$/;
const EVENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const text = (max: number) => z.string("must be a string").min(1, "must not be empty").max(max, `must be at most ${max} characters`);

export const feedbackSchema = z
  .strictObject(
    {
      id: z.uuid("must be a UUID (the client's id for this feedback, reused on retries)").optional(),
      model: z.string("must be a string").regex(MODEL_NAME, "must be a registered model name (lowercase letters, digits, '.', '_' or '-')").optional(),
      version: z.string("must be a string").regex(SEMVER, "must be a semantic version such as 1.2.0").optional(),
      alias: z.string("must be a string").regex(ALIAS, "must be an alias such as production").optional(),
      modelVersionId: z.uuid("must be a model version id (UUID)").optional(),
      eventId: z
        .string("must be a string")
        .regex(EVENT_ID, "must be the event's id: 1-128 letters, digits, '.', '_', ':' or '-'")
        // Stored as sent, like event ids: it must not carry a credential.
        .refine((s) => findAll(s, SECRET_DETECTORS).length === 0, "must not contain a credential; use the event's random id")
        .optional(),
      subject: text(256).optional(),
      rating: z.enum(FEEDBACK_RATINGS, "must be up or down").optional(),
      score: z.number("must be a number").min(SCORE_MIN, `must be from ${SCORE_MIN} to ${SCORE_MAX}`).max(SCORE_MAX, `must be from ${SCORE_MIN} to ${SCORE_MAX}`).optional(),
      label: text(LIMITS.label).optional(),
      correction: text(LIMITS.correction).optional(),
      comment: text(LIMITS.comment).optional(),
      source: z.enum(FEEDBACK_SOURCES, `must be one of ${FEEDBACK_SOURCES.join(", ")}`).default("end_user"),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : "must be a JSON object") },
  )
  .superRefine((f, ctx) => {
    const targets = [f.version, f.alias, f.modelVersionId].filter((v) => v !== undefined).length;
    if (targets !== 1) {
      const path = f.alias !== undefined ? "alias" : f.modelVersionId !== undefined ? "modelVersionId" : "version";
      ctx.addIssue({ code: "custom", path: [path], message: "give exactly one of version, alias or modelVersionId" });
    }
    if (f.modelVersionId === undefined && f.model === undefined) {
      ctx.addIssue({ code: "custom", path: ["model"], message: "is required with version or alias" });
    }
    if (CONTENT.every((k) => f[k] === undefined)) {
      ctx.addIssue({ code: "custom", path: [], message: `give at least one of ${CONTENT.join(", ")}` });
    }
  });

export type FeedbackInput = z.input<typeof feedbackSchema>;
export type FeedbackBody = z.output<typeof feedbackSchema>;

export type ParsedFeedback = { ok: true; data: FeedbackBody } | { ok: false; field: string; message: string };

/** The body, or the first problem as `field: reason` (`body: …` when it is not an object at all). */
export function parseFeedback(input: unknown): ParsedFeedback {
  const parsed = feedbackSchema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join(".") || "body";
  return { ok: false, field, message: `${field}: ${issue.message}` };
}

// The SDK's type and the schema must not drift apart.
type AssertAssignable<T extends U, U> = T;
export type FeedbackMatchesSchema = AssertAssignable<Feedback, FeedbackInput>;
