import { z } from "zod";

// The events Clearlog sends to the application's webhook endpoints. Payloads carry ids, types,
// statuses and counts — never anything the person wrote, never an e-mail address. `subject` is the
// application's own user id (null when the request names nobody or the link is already erased), so
// the application can tell the person and carry an erasure to its own systems (GDPR Art. 19).
// The schemas are the contract: the OpenAPI document's `webhooks` are generated from them.
// Pure data: the console's forms import it too.
export const EVENT_TYPES = ["privacy_request.status_changed", "privacy_request.deadline_approaching", "consent.changed", "erasure.completed"] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Sent by "Send test event" only; endpoints need not subscribe to it. */
export const TEST_EVENT = "webhook.test";

export const EVENT_LABELS: Record<EventType, string> = {
  "privacy_request.status_changed": "A privacy request changed status",
  "privacy_request.deadline_approaching": "A privacy request falls due soon",
  "consent.changed": "A person's consent changed",
  "erasure.completed": "An erasure was carried out",
};

const subject = z.string().nullable().describe("the application's user id for the person, or null when Clearlog has no link for them");

export const statusChangedData = z.object({
  requestId: z.string().uuid(),
  type: z.string().describe("access, erasure, rectification, restriction or objection"),
  from: z.string().nullable().describe("null when the request was just received"),
  to: z.string(),
  subject,
  dueAt: z.string().datetime(),
});

export const deadlineData = z.object({
  requestId: z.string().uuid(),
  type: z.string(),
  status: z.string(),
  dueAt: z.string().datetime(),
  daysBefore: z.number().int().describe("the reminder threshold reached (CLEARLOG_REMINDER_DAYS)"),
  subject,
});

export const consentChangedData = z.object({
  subject,
  purposes: z.array(z.object({ purpose: z.string(), granted: z.boolean() })).describe("the purposes that changed"),
  method: z.string().describe("explicit, withdrawal, admin, objection, gpc, …"),
});

export const erasureCompletedData = z.object({
  requestId: z.string().uuid(),
  subject: subject.describe("the user to erase in the application's own systems; the last time Clearlog names them"),
  erasedAt: z.string().datetime(),
  tables: z.record(z.string(), z.number().int()).describe("rows deleted or unlinked per table"),
  featureSets: z.number().int().describe("feature sets that included the person, now stale"),
  modelVersions: z.number().int().describe("model versions trained on those sets"),
});

export const testData = z.object({ message: z.string() });

export const EVENT_DATA = {
  "privacy_request.status_changed": statusChangedData,
  "privacy_request.deadline_approaching": deadlineData,
  "consent.changed": consentChangedData,
  "erasure.completed": erasureCompletedData,
  [TEST_EVENT]: testData,
} as const;

export type StatusChangedData = z.infer<typeof statusChangedData>;
export type DeadlineData = z.infer<typeof deadlineData>;
export type ConsentChangedData = z.infer<typeof consentChangedData>;
export type ErasureCompletedData = z.infer<typeof erasureCompletedData>;

/** The body every webhook carries (Standard Webhooks' recommended shape). */
export interface WebhookBody {
  type: EventType | typeof TEST_EVENT;
  timestamp: string;
  data: object;
}
