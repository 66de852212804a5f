import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Classification, RuleAction } from "../db/generated/enums";
import { env } from "../env";
import { wireEventSchema } from "../ingest/event-schema";
import { toStorable, withFingerprint } from "../ingest/normalize";
import { hashToken } from "../privacy/anonymize";
import { compileRule, type CompiledRule } from "./compiled-rule";
import { classifyEvent } from "./engine";
import type { DraftRule, TestEventInput } from "./rule-schema";
import { detectorHits, storedView, type DetectorHit } from "./rule-tester-view";
import { loadCompiledRules, PRIORITY_STEP } from "./rules";

// The rule tester: an admin pastes a sample event (the events API's wire format) and sees what
// ingestion would do with it — the same validation, normalisation and classification, with the
// enabled rules and, if given, the rule being edited in place of its saved version. Nothing is stored.

export interface TesterRuleHit {
  rule: string;
  path: string;
  action: RuleAction;
}

export type TesterResult =
  | { kind: "invalid"; error: string }
  | {
      kind: "stored" | "dropped";
      /** the rule that dropped the event */
      droppedBy: string | null;
      rules: TesterRuleHit[];
      detectors: DetectorHit[];
      classification: Classification | null;
      categories: string[];
      /** the row as it would be stored; null when dropped */
      stored: Record<string, unknown> | null;
      /** how the run differs from ingestion, and what ingestion would refuse */
      notes: string[];
      ruleCount: number;
    };

export interface TesterOptions {
  now: Date;
  /** the keyed hash of the `hash` action */
  hash: (value: string) => string;
  maxAgeDays: number;
}

export const DRAFT_SUFFIX = " (unsaved)";
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const invalid = (error: string): TesterResult => ({ kind: "invalid", error });

function issueText(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("");
  // The event schema's own messages read on from the field ("must be …"); zod's defaults do not.
  const reason = /^[a-z]/.test(issue.message) ? ` ${issue.message}` : `: ${issue.message}`;
  return `${path ? `The event's ${path}` : "The event"}${reason.replace(/\.$/, "")}.`;
}

/** Parses, validates, normalises and classifies one sample as ingestion would. Pure apart from ids. */
export function runTester(sample: string, rules: readonly CompiledRule[], options: TesterOptions): TesterResult {
  let raw: unknown;
  try {
    raw = JSON.parse(sample);
  } catch (error) {
    return invalid(`The sample is not valid JSON: ${(error as Error).message}.`);
  }
  if (Array.isArray(raw) && raw.length === 1) raw = raw[0];
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return invalid('The sample must be one event: a JSON object such as {"type": "user_action", "action": "signup", "message": "…"}.');
  }
  const notes: string[] = [];
  const event = { ...(raw as Record<string, unknown>) };
  if (event.id === undefined) {
    event.id = `test-${randomUUID()}`;
    notes.push("The sample has no id; the tester gave it one.");
  }
  if (event.timestamp === undefined) {
    event.timestamp = options.now.toISOString();
    notes.push("The sample has no timestamp; the tester used the current time.");
  }
  const parsed = wireEventSchema.safeParse(event);
  if (!parsed.success) return invalid(issueText(parsed.error));

  const ts = parsed.data.timestamp.getTime();
  if (ts < options.now.getTime() - options.maxAgeDays * 86_400_000) notes.push(`Ingestion would refuse this event: its timestamp is more than ${options.maxAgeDays} days old.`);
  if (ts > options.now.getTime() + FUTURE_TOLERANCE_MS) {
    notes.push("Its timestamp is more than 5 minutes ahead: ingestion would store the event at the time it is received and keep the time sent in payload.intake.");
  }
  if (parsed.data.subject) notes.push("Consent is not applied here: at ingest, what the subject consented to decides whether the event is kept for its purpose.");

  const storable = toStorable(parsed.data);
  const detectors = detectorHits(storable);
  const outcome = classifyEvent(storable, rules, { hash: options.hash });
  const hits = outcome.hits.map(({ rule, path, action }) => ({ rule, path, action }));
  if (outcome.kind === "dropped") {
    return { kind: "dropped", droppedBy: outcome.rule, rules: hits, detectors, classification: null, categories: [], stored: null, notes, ruleCount: rules.length };
  }
  const stored = withFingerprint(outcome.event);
  return {
    kind: "stored",
    droppedBy: null,
    rules: hits,
    detectors,
    classification: outcome.classification,
    categories: outcome.categories,
    stored: storedView(stored, outcome.classification, outcome.categories),
    notes,
    ruleCount: rules.length,
  };
}

/** The rules to test with: the enabled ones, with the draft in place of its saved version (or last). */
export function withDraft(rules: readonly CompiledRule[], draft: DraftRule, savedPriority: number | null): CompiledRule[] {
  const others = rules.filter((r) => r.id !== draft.id);
  const priority = savedPriority ?? Math.max(0, ...rules.map((r) => r.priority)) + PRIORITY_STEP;
  const compiled = compileRule({ ...draft, id: draft.id ?? "draft", name: `${draft.name}${DRAFT_SUFFIX}`, priority });
  // Stable: a draft placed at its saved priority runs where the saved rule ran.
  const index = others.findIndex((r) => r.priority > priority);
  return index < 0 ? [...others, compiled] : [...others.slice(0, index), compiled, ...others.slice(index)];
}

/** Runs a sample through the current rules (and the draft); hash tokens use a throwaway key. */
export async function testSampleEvent(input: TestEventInput, now = new Date()): Promise<TesterResult> {
  let rules = await loadCompiledRules(input.draft?.id ? [input.draft.id] : []);
  const notes: string[] = [];
  if (input.draft) {
    const saved = rules.find((r) => r.id === input.draft!.id);
    rules = withDraft(rules, input.draft, saved?.priority ?? null);
    notes.push(`The rule being edited is included as "${input.draft.name}${DRAFT_SUFFIX}", enabled, at ${saved ? "its saved place" : "the end of the order"}.`);
  }
  // A throwaway key: tokens look as they would, equal values still match each other, but the
  // tester cannot be used to compute the token of a guessed value and look for it in stored events.
  const key = randomBytes(32).toString("hex");
  const result = runTester(input.sample, rules, { now, hash: hashToken(key), maxAgeDays: env().CLEARLOG_INGEST_MAX_AGE_DAYS });
  return result.kind === "invalid" ? result : { ...result, notes: [...notes, ...result.notes] };
}
