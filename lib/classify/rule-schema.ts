import { z } from "zod";
import { Classification, enumValues, EventType, RuleAction } from "../db/enums";
import type { DetectorName } from "./detector-types";
import { checkRegex } from "./rule-regex";

// The one schema for a classification rule's input, shared by the rule form (in the browser), the
// server actions and lib/classify/rules.ts. Pure: no server imports.

export const RULE_EVENT_TYPES = enumValues(EventType);
export const RULE_LEVELS = enumValues(Classification);
export const RULE_ACTIONS = enumValues(RuleAction);

/** The built-in detectors (lib/classify/detectors.ts); a compile-time check keeps the list complete. */
export const RULE_DETECTOR_NAMES = ["email", "phone", "payment_card", "iban", "ip_address", "us_ssn", "jwt", "bearer_token", "private_key", "provider_api_key", "labelled_secret", "unlabelled_secret"] as const;
type MissingDetector = Exclude<DetectorName, (typeof RULE_DETECTOR_NAMES)[number]>;
const everyDetectorListed: MissingDetector extends never ? true : MissingDetector = true;
void everyDetectorListed;

/** What a rule can match on besides the built-in detectors: all credential detectors, or values under secret-named keys. */
export const RULE_DETECTORS = [...RULE_DETECTOR_NAMES, "secret", "sensitive_field"] as const;
export type RuleDetector = (typeof RULE_DETECTORS)[number];

/** `segment.segment[.segment…]`, lower case, as in `user.contact.email`. */
export const CATEGORY_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
export const MAX_CATEGORIES = 10;

/** Dotted field path with `*` wildcards: `message`, `attributes.user.email`, `gen_ai.*`. */
const FIELD_PATH_PATTERN = /^[A-Za-z0-9_*$@:\-[\]]+(\.[A-Za-z0-9_*$@:\-[\]]+)*$/;

const emptyToNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);
const optionalText = (max: number, label: string) =>
  z.preprocess(
    emptyToNull,
    z
      .string()
      .trim()
      .max(max, `${label} must be at most ${max} characters`)
      .nullable()
      .default(null),
  );

/** Categories arrive as the form's comma-separated text or as a list. */
const categories = z.preprocess(
  (value) => (typeof value === "string" ? value.split(",") : (value ?? [])),
  z
    .array(z.string("Categories must be text"))
    .transform((list) => [...new Set(list.map((c) => c.trim()).filter(Boolean))])
    .superRefine((list, ctx) => {
      const bad = list.find((c) => !CATEGORY_PATTERN.test(c));
      if (bad) ctx.addIssue({ code: "custom", message: `Category "${bad.slice(0, 60)}" is not a taxonomy path: use lower-case segments joined by dots, such as user.contact.email` });
      if (list.length > MAX_CATEGORIES) ctx.addIssue({ code: "custom", message: `Give at most ${MAX_CATEGORIES} categories` });
    }),
);

const regex = z.preprocess(
  (value) => (typeof value === "string" && value === "" ? null : value),
  z
    .string()
    .superRefine((pattern, ctx) => {
      const check = checkRegex(pattern);
      if (!check.ok) ctx.addIssue({ code: "custom", message: `The regex ${check.message}` });
    })
    .nullable()
    .default(null),
);

const fields = {
  name: z.string("Give the rule a name").trim().min(1, "Give the rule a name").max(100, "The name must be at most 100 characters"),
  description: optionalText(500, "The description"),
  matchEventType: z.preprocess(emptyToNull, z.enum(RULE_EVENT_TYPES, `Event type must be one of ${RULE_EVENT_TYPES.join(", ")}`).nullable().default(null)),
  matchFieldPath: z.preprocess(
    emptyToNull,
    z
      .string()
      .trim()
      .max(200, "The field path must be at most 200 characters")
      .regex(FIELD_PATH_PATTERN, "The field path must be dotted names such as attributes.user.email, with * as a wildcard")
      .nullable()
      .default(null),
  ),
  matchRegex: regex,
  matchDetector: z.preprocess(emptyToNull, z.enum(RULE_DETECTORS, `Detector must be one of ${RULE_DETECTORS.join(", ")}`).nullable().default(null)),
  level: z.enum(RULE_LEVELS, `Level must be one of ${RULE_LEVELS.join(", ")}`),
  categories,
  action: z.enum(RULE_ACTIONS, `Action must be one of ${RULE_ACTIONS.join(", ")}`),
};

type Fields = { matchEventType: unknown; matchFieldPath: unknown; matchRegex: unknown; matchDetector: unknown };

function atLeastOneMatcher(rule: Fields, ctx: z.RefinementCtx) {
  if (rule.matchEventType === null && rule.matchFieldPath === null && rule.matchRegex === null && rule.matchDetector === null) {
    ctx.addIssue({ code: "custom", path: ["matchDetector"], message: "Give the rule something to match: an event type, a field path, a regex or a detector" });
  }
}

/** A new rule, or the values of the rule form. */
export const ruleInputSchema = z.object(fields).superRefine(atLeastOneMatcher);
export type RuleInput = z.output<typeof ruleInputSchema>;
export type RuleFormValues = z.input<typeof ruleInputSchema>;

/** An edit: the rule, its new values, and when it was last changed as the editor saw it (stale edits are refused). */
export const updateRuleSchema = z
  .object({ ...fields, id: z.uuid("Unknown rule"), version: z.iso.datetime({ message: "Reload the page and try again", offset: true }) })
  .superRefine(atLeastOneMatcher);
export type UpdateRuleInput = z.output<typeof updateRuleSchema>;

export const ruleIdSchema = z.object({ id: z.uuid("Unknown rule") });
export const setEnabledSchema = z.object({ id: z.uuid("Unknown rule"), enabled: z.boolean("Say whether the rule is enabled") });
export const moveRuleSchema = z.object({ id: z.uuid("Unknown rule"), direction: z.enum(["up", "down"], "Move the rule up or down") });

/** The fields a rule stores besides its id, name, priority and state, in the order they are shown. */
export const RULE_FIELDS = ["name", "description", "matchEventType", "matchFieldPath", "matchRegex", "matchDetector", "level", "categories", "action"] as const;

/** The rule being edited, saved or not, as the tester and the preview take it. */
export const draftRuleSchema = z.object({ ...fields, id: z.uuid("Unknown rule").optional() }).superRefine(atLeastOneMatcher);
export type DraftRule = z.output<typeof draftRuleSchema>;

/** As large as one event may be at ingest (CLEARLOG_INGEST_MAX_EVENT_BYTES by default). */
export const MAX_SAMPLE_CHARS = 256 * 1024;

export const testEventSchema = z.object({
  sample: z.string("Paste a sample event as JSON").min(1, "Paste a sample event as JSON").max(MAX_SAMPLE_CHARS, `The sample must be at most ${MAX_SAMPLE_CHARS / 1024} KiB`),
  draft: draftRuleSchema.optional(),
});
export type TestEventInput = z.output<typeof testEventSchema>;

/** A saved rule as the console shows it (plain data, safe to hand to client components). */
export interface RuleView {
  id: string;
  name: string;
  description: string | null;
  priority: number;
  enabled: boolean;
  matchEventType: EventType | null;
  matchFieldPath: string | null;
  matchRegex: string | null;
  matchDetector: string | null;
  level: Classification;
  categories: string[];
  action: RuleAction;
  /** the edit version: an edit made over a newer change is refused */
  updatedAt: string;
}
