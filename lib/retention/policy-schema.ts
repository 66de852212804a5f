import { z } from "zod";

// One schema for the retention form, its action and the preview route.
import { CLASSIFICATIONS, enumValues, EVENT_TYPES, RetentionAction } from "../db/enums";

export { CLASSIFICATIONS, EVENT_TYPES };
export const RETENTION_ACTIONS = enumValues(RetentionAction);

const optionalType = z.preprocess((v) => (v === "" || v === "all" ? null : v), z.enum(EVENT_TYPES, "Unknown event type").nullable());

export const policySchema = z.object({
  id: z.preprocess((v) => (v === "" ? undefined : v), z.string().uuid("Unknown policy").optional()),
  name: z.string().trim().min(1, "Give the policy a name").max(80, "Keep the name under 80 characters"),
  classification: z.enum(CLASSIFICATIONS, "Choose a classification"),
  eventType: optionalType.default(null),
  keepDays: z.coerce.number("Keep how many days?").int("Whole days").min(1, "Keep events at least one day").max(3650, "At most 3,650 days (10 years)"),
  action: z.enum(RETENTION_ACTIONS, "Choose delete or anonymize"),
  enabled: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()).default(true),
});

export type PolicyInput = z.infer<typeof policySchema>;

export const previewSchema = policySchema.pick({ classification: true, eventType: true, keepDays: true, action: true }).extend({ id: policySchema.shape.id });

export const policyIdSchema = z.object({ id: z.string().uuid("Unknown policy") });
