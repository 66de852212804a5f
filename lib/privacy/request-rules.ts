import { z } from "zod";
import { enumValues, PrivacyRequestStatus, PrivacyRequestType } from "../db/enums";

// The privacy request lifecycle, pure so forms, actions and tests share it:
// received → verified → in progress → completed, or rejected (with a reason) or cancelled.
export const REQUEST_TYPES = enumValues(PrivacyRequestType);
export const REQUEST_STATUSES = enumValues(PrivacyRequestStatus);
export type RequestType = PrivacyRequestType;
export type RequestStatus = PrivacyRequestStatus;

/** What the request form offers; access is "Download my data", which needs no form. */
export const PORTAL_REQUEST_TYPES: readonly RequestType[] = ["erasure", "rectification", "restriction", "objection"];

export const OPEN_STATUSES: readonly RequestStatus[] = ["received", "verified", "in_progress"];

export const REQUEST_TYPE_LABELS: Record<RequestType, string> = {
  access: "Access / copy of my data",
  erasure: "Erasure",
  rectification: "Rectification",
  restriction: "Restriction of processing",
  objection: "Objection",
};

export const STATUS_LABELS: Record<RequestStatus, string> = {
  received: "Received",
  verified: "Verified",
  in_progress: "In progress",
  completed: "Completed",
  rejected: "Rejected",
  cancelled: "Cancelled",
};

/** Where an admin may move a request from each state. Cancelling is the person's own step. */
export const ADMIN_TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  received: ["verified", "rejected"],
  verified: ["in_progress", "rejected"],
  in_progress: ["completed", "rejected"],
  completed: [],
  rejected: [],
  cancelled: [],
};

/** Requests whose work is a job: it starts when the request goes in progress and completes it. */
export const JOB_FOR_REQUEST: Partial<Record<RequestType, "subject_export" | "erasure">> = { access: "subject_export", erasure: "erasure" };

/** How a requester's identity was verified: recorded on every request, shown in the queue. */
export const VERIFICATION_METHODS = ["account_sign_in", "application_session", "application", "email_confirmation", "identity_document", "in_person", "other"] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];
export const VERIFICATION_LABELS: Record<VerificationMethod, string> = {
  account_sign_in: "Signed in to the privacy center",
  application_session: "Signed in to the application (portal session)",
  application: "Vouched for by the application (API)",
  email_confirmation: "Confirmed from the e-mail address on file",
  identity_document: "Identity document checked",
  in_person: "In person",
  other: "Other (see the details)",
};
/** What an admin may choose when filing on someone's behalf. */
export const ADMIN_VERIFICATION_METHODS: readonly VerificationMethod[] = ["email_confirmation", "identity_document", "in_person", "account_sign_in", "other"];

export const CHANNELS = ["portal", "portal_session", "admin", "api"] as const;
export type RequestChannel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<RequestChannel, string> = {
  portal: "Privacy center (account)",
  portal_session: "Privacy center (from the application)",
  admin: "Filed by an admin",
  api: "Filed by the application",
};

/** Direct marketing: an objection to it is absolute (GDPR Art. 21(3)) and takes effect at once. */
export const DIRECT_MARKETING_PURPOSE = "marketing";

export const RESPONSE_DAYS = 30;
export const MAX_EXTENSION_DAYS = 60;

const purposeKey = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "Unknown purpose");
const objectionNeedsPurpose = (r: { type: RequestType; purpose?: string }) => r.type !== "objection" || Boolean(r.purpose);
const objectionPurposeIssue = { path: ["purpose"], message: "Say which processing the objection is about" };

/** What the person (or anyone filing for them) asks: the kind, their words, an objection's purpose. */
export const requestBodySchema = z.object({
  type: z.enum(REQUEST_TYPES, "Choose the kind of request"),
  details: z.string().trim().max(4000, "Keep the details under 4,000 characters").optional(),
  purpose: purposeKey.optional(),
});

/** The person's own request in the privacy center, with where to write to them (optional; e-mail when SMTP is configured). */
export const createRequestSchema = requestBodySchema
  .extend({
    contactEmail: z.preprocess((v) => (v === "" ? undefined : v), z.email("Give an e-mail address such as name@example.com, or leave it empty").max(320, "Keep the e-mail address under 320 characters").optional()),
  })
  .refine(objectionNeedsPurpose, objectionPurposeIssue);

const subjectId = z.string("Give the application user id").trim().min(1, "Give the application user id").max(256, "The application user id is at most 256 characters");
const contact = z.string().trim().max(320, "Keep the contact under 320 characters");

/** An admin files a request on a person's behalf, by the application's user id. */
export const fileOnBehalfSchema = requestBodySchema
  .extend({
    subject: subjectId,
    requesterContact: contact.min(3, "Say how to reach the requester (e-mail, phone or ticket)"),
    verificationMethod: z.enum(VERIFICATION_METHODS, "Say how the requester's identity was verified"),
  })
  .refine(objectionNeedsPurpose, objectionPurposeIssue);

/** An application files a request for one of its users (POST /api/v1/privacy-requests). */
export const apiRequestSchema = requestBodySchema
  .extend({ subject: subjectId, requesterContact: contact.optional() })
  .refine(objectionNeedsPurpose, objectionPurposeIssue);

export const DUE_FILTERS = ["overdue", "week", "month"] as const;
/** The queue's filters, kept in the URL. */
export const queueFilterSchema = z.object({
  status: z.enum(REQUEST_STATUSES).optional().catch(undefined),
  type: z.enum(REQUEST_TYPES).optional().catch(undefined),
  due: z.enum(DUE_FILTERS).optional().catch(undefined),
  q: z.string().trim().max(256).optional().catch(undefined),
});
export type QueueFilter = z.infer<typeof queueFilterSchema>;

export const transitionSchema = z
  .object({
    id: z.string().uuid("Unknown request"),
    to: z.enum(REQUEST_STATUSES, "Unknown state"),
    reason: z.string().trim().max(2000).optional(),
    /** shown to the person: what was done (required to complete a rectification) */
    note: z.string().trim().max(2000, "Keep the note under 2,000 characters").optional(),
  })
  .refine((t) => t.to !== "rejected" || (t.reason?.length ?? 0) >= 5, { path: ["reason"], message: "Give the person a reason for the rejection" });

export const extendSchema = z.object({
  id: z.string().uuid("Unknown request"),
  days: z.coerce.number().int("Whole days").min(1, "At least one day").max(MAX_EXTENSION_DAYS, `At most ${MAX_EXTENSION_DAYS} more days`),
  reason: z.string().trim().min(5, "Tell the person why the request needs more time").max(2000),
});

export const cancelSchema = z.object({ id: z.string().uuid("Unknown request") });

export function isOverdue(r: { status: string; dueAt: Date }, now = new Date()): boolean {
  return OPEN_STATUSES.includes(r.status as RequestStatus) && r.dueAt < now;
}
