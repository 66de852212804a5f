// The events Clearlog sends to the application's webhook endpoints. Payloads carry ids, types,
// statuses and counts — never anything the person wrote, never an e-mail address. `subject` is the
// application's own user id (null when the request names nobody or the link is already erased), so
// the application can tell the person and carry an erasure to its own systems (GDPR Art. 19).
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

export interface StatusChangedData {
  requestId: string;
  type: string;
  from: string | null;
  to: string;
  subject: string | null;
  dueAt: string;
}

export interface DeadlineData {
  requestId: string;
  type: string;
  status: string;
  dueAt: string;
  daysBefore: number;
  subject: string | null;
}

export interface ConsentChangedData {
  subject: string | null;
  purposes: { purpose: string; granted: boolean }[];
  method: string;
}

export interface ErasureCompletedData {
  requestId: string;
  subject: string | null;
  erasedAt: string;
  /** rows deleted or unlinked per table */
  tables: Record<string, number>;
  featureSets: number;
  modelVersions: number;
}

/** The body every webhook carries (Standard Webhooks' recommended shape). */
export interface WebhookBody {
  type: EventType | typeof TEST_EVENT;
  timestamp: string;
  data: object;
}
