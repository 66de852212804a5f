import "server-only";
import { randomUUID } from "node:crypto";
import { classifyEvent } from "../classify/engine";
import { activeRules } from "../classify/rule-cache";
import { db } from "../db/client";
import { raw, sql } from "../db/sql";
import { lockFor, transaction } from "../db/transaction";
import { SafeError } from "../errors";
import type { StorableEvent } from "../ingest/normalize";
import { hashToken } from "../privacy/anonymize";
import { linkSubjects, pseudonymFor } from "../privacy/pseudonym";
import { ELIGIBLE_NOW } from "./extract-sql";
import { parseFeedback, type FeedbackBody } from "./feedback-schema";

// Feedback on a model version from applications (POST /api/v1/feedback, the SDK's sendFeedback).
// Its free text goes through the same classification as event text; the subject becomes a
// pseudonym; whether it may ever enter a training set is decided here, under the same lock a consent
// change takes, so a withdrawal cannot slip between the check and the insert.
export interface RecordedFeedback {
  id: string;
  status: "accepted" | "duplicate";
  trainingEligible: boolean;
}

/** A classification rule said `drop_event` for the feedback's text: nothing was stored. */
export class FeedbackRefusedError extends SafeError {
  constructor(message: string) {
    super(message, "refused");
    this.name = "FeedbackRefusedError";
  }
}

const TEXT_FIELDS = ["label", "correction", "comment"] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/** The version the feedback names, by id, by model and version, or by model and alias. */
async function resolveVersion(f: FeedbackBody): Promise<string> {
  if (f.modelVersionId) {
    const version = await db().modelVersion.findUnique({ where: { id: f.modelVersionId }, select: { id: true, model: { select: { name: true } } } });
    if (!version) throw new SafeError("modelVersionId: no model version has this id", "not_found");
    if (f.model && version.model.name !== f.model) throw new SafeError(`modelVersionId: is not a version of model "${f.model}"`, "not_found");
    return version.id;
  }
  const model = await db().model.findUnique({
    where: { name: f.model! },
    select: {
      versions: { where: { version: f.version ?? "" }, select: { id: true } },
      aliases: { where: { alias: f.alias ?? "" }, select: { modelVersionId: true } },
    },
  });
  if (!model) throw new SafeError(`model: no model named "${f.model}" is registered`, "not_found");
  if (f.version !== undefined) {
    const version = model.versions[0];
    if (!version) throw new SafeError(`version: model "${f.model}" has no version ${f.version}`, "not_found");
    return version.id;
  }
  const alias = model.aliases[0];
  if (!alias) throw new SafeError(`alias: model "${f.model}" has no alias "${f.alias}"`, "not_found");
  return alias.modelVersionId;
}

/**
 * The text fields after the workspace's classification rules, as an AI interaction event's payload
 * under `feedback.label`, `feedback.correction` and `feedback.comment` (the paths rules match).
 */
async function classifyText(f: FeedbackBody): Promise<Record<TextField, string | null>> {
  const texts: Partial<Record<TextField, string>> = {};
  for (const k of TEXT_FIELDS) if (f[k] !== undefined) texts[k] = f[k];
  const out: Record<TextField, string | null> = { label: null, correction: null, comment: null };
  if (Object.keys(texts).length === 0) return out;
  const event: StorableEvent = {
    eventId: f.id ?? "feedback",
    occurredAt: new Date(),
    type: "ai_interaction",
    severity: "info",
    name: "feedback",
    message: null,
    component: null,
    subject: null,
    sessionId: null,
    purpose: null,
    userAgent: null,
    genAi: { provider: null, model: null, operation: null, conversationId: null, inputTokens: null, outputTokens: null, latencyMs: null, costUsd: null },
    http: { method: null, route: null, status: null, durationMs: null, requestSize: null, responseSize: null },
    errorType: null,
    errorFingerprint: null,
    payload: { feedback: texts },
  };
  const outcome = classifyEvent(event, await activeRules(), { hash: hashToken() });
  if (outcome.kind === "dropped") {
    const path = outcome.hits.at(-1)?.path ?? "";
    const field = path.startsWith("feedback.") ? path.slice("feedback.".length) : "body";
    throw new FeedbackRefusedError(`${field}: refused by the classification rule "${outcome.rule}"; the feedback was not stored`);
  }
  const stored = (outcome.event.payload.feedback ?? {}) as Partial<Record<TextField, unknown>>;
  for (const k of TEXT_FIELDS) {
    const value = stored[k];
    out[k] = typeof value === "string" ? value : null;
  }
  return out;
}

async function existing(id: string): Promise<RecordedFeedback | null> {
  const row = await db().modelFeedback.findUnique({ where: { id }, select: { trainingEligible: true } });
  return row ? { id, status: "duplicate", trainingEligible: row.trainingEligible } : null;
}

/**
 * Validates, resolves the model version, classifies the text and stores the feedback once per `id`.
 * Throws SafeError: `invalid` (naming the field), `not_found` (model, version or alias), or
 * FeedbackRefusedError when a rule drops it.
 */
export async function recordFeedback(input: unknown): Promise<RecordedFeedback> {
  const parsed = parseFeedback(input);
  if (!parsed.ok) throw new SafeError(parsed.message, "invalid");
  const f = parsed.data;
  if (f.id) {
    const seen = await existing(f.id);
    if (seen) return seen;
  }
  const versionId = await resolveVersion(f);
  const text = await classifyText(f);
  const id = f.id ?? randomUUID();
  const pseudonym = f.subject ? pseudonymFor(f.subject) : null;
  const rating = f.rating === "up" ? 1 : f.rating === "down" ? -1 : null;

  const stored = await transaction(async (tx) => {
    if (f.subject && pseudonym) {
      // Consent changes and erasure take this lock; restriction updates the subjects row we share-lock.
      await lockFor(tx, "consent", pseudonym);
      await linkSubjects(tx, [{ externalId: f.subject, pseudonym }]);
      await tx.$executeRaw(sql`SELECT 1 FROM subjects WHERE pseudonym = ${pseudonym} FOR SHARE`);
    }
    const rows = await tx.$queryRaw<{ training_eligible: boolean }[]>(sql`
      INSERT INTO model_feedback (id, model_version_id, event_id, subject_pseudonym, rating, score, label, correction, comment, source, training_eligible)
      SELECT ${id}::uuid, ${versionId}::uuid, ${f.eventId ?? null}::text, r.p, ${rating}::smallint, ${f.score ?? null}::float8,
        ${text.label}::text, ${text.correction}::text, ${text.comment}::text, ${f.source}::"FeedbackSource",
        r.p IS NOT NULL AND ${raw(ELIGIBLE_NOW("r.p"))}
        AND NOT EXISTS (SELECT 1 FROM system_logs e WHERE e.event_id = ${f.eventId ?? null}::text AND e.training_excluded)
      FROM (SELECT ${pseudonym}::text AS p) r
      ON CONFLICT (id) DO NOTHING
      RETURNING training_eligible`);
    return rows[0]?.training_eligible ?? null;
  });
  if (stored !== null) return { id, status: "accepted", trainingEligible: stored };
  // Sent twice at the same moment: the other request stored it.
  return (await existing(id)) ?? { id, status: "duplicate", trainingEligible: false };
}
