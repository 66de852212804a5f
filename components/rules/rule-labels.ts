import { EVENT_TYPE_LABELS } from "@/lib/dashboard/event-types";
import type { RuleFormValues, RuleView } from "@/lib/classify/rule-schema";

// Words the rules pages use for the rule vocabulary. Pure data.

export const ACTION_LABELS: Record<string, string> = {
  redact: "Redact",
  hash: "Hash (keyed)",
  drop_field: "Drop the field",
  drop_event: "Drop the event",
  classify_only: "Classify only",
};

export const ACTION_HELP: Record<string, string> = {
  redact: "replaces the match with a marker such as [EMAIL], or [REDACTED] for a regex",
  hash: "replaces the match with a keyed token such as [EMAIL:3f9a1c2b7d8e]: equal values stay joinable",
  drop_field: "removes the whole field from the stored event",
  drop_event: "does not store the event at all",
  classify_only: "keeps the text and only sets the level and categories",
};


export const DETECTOR_LABELS: Record<string, string> = {
  email: "Email address",
  phone: "Phone number",
  payment_card: "Payment card (Luhn-checked)",
  iban: "IBAN (checksum-checked)",
  ip_address: "IP address",
  us_ssn: "US social security number",
  jwt: "JWT",
  bearer_token: "Bearer / Basic credential",
  private_key: "Private key block",
  provider_api_key: "Provider API key",
  labelled_secret: "Labelled secret (password=…, ?token=…)",
  unlabelled_secret: "Unlabelled secret (random token)",
  secret: "Any credential (all secret detectors)",
  sensitive_field: "Values of secret-named fields",
};

/** One line saying what a rule matches, e.g. `AI interactions · gen_ai.* · /ZX-\d+/ · detector email`. */
export function matcherSummary(rule: Pick<RuleView, "matchEventType" | "matchFieldPath" | "matchRegex" | "matchDetector">): string {
  const parts: string[] = [];
  if (rule.matchEventType) parts.push(EVENT_TYPE_LABELS[rule.matchEventType] ?? rule.matchEventType);
  if (rule.matchFieldPath) parts.push(`field ${rule.matchFieldPath}`);
  if (rule.matchRegex) parts.push(`/${rule.matchRegex}/`);
  if (rule.matchDetector) parts.push(`detector ${rule.matchDetector}`);
  return parts.join(" · ") || "—";
}

/** The rule form's values, all text, as the inputs hold them. */
export type RuleFormState = { [K in "name" | "description" | "matchEventType" | "matchFieldPath" | "matchRegex" | "matchDetector" | "level" | "categories" | "action"]: string };

export const EMPTY_RULE: RuleFormState = {
  name: "",
  description: "",
  matchEventType: "",
  matchFieldPath: "",
  matchRegex: "",
  matchDetector: "",
  level: "confidential",
  categories: "",
  action: "redact",
};

export function formStateOf(rule: RuleView): RuleFormState {
  return {
    name: rule.name,
    description: rule.description ?? "",
    matchEventType: rule.matchEventType ?? "",
    matchFieldPath: rule.matchFieldPath ?? "",
    matchRegex: rule.matchRegex ?? "",
    matchDetector: rule.matchDetector ?? "",
    level: rule.level,
    categories: rule.categories.join(", "),
    action: rule.action,
  };
}

/** The form's state as the schema's input (which accepts the form's text as it is). */
export const asInput = (state: RuleFormState): RuleFormValues => state as unknown as RuleFormValues;

export const EXAMPLE_EVENT = JSON.stringify(
  {
    type: "user_action",
    action: "update_profile",
    subject: "user-42",
    component: "settings",
    message: "Changed email to ada@example.com and phone to +44 20 7946 0958",
    attributes: { plan: "pro", password: "hunter2", ticket: "ZX-10442", card: "4111 1111 1111 1111" },
  },
  null,
  2,
);
