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

export const RESPONSE_DAYS = 30;
export const MAX_EXTENSION_DAYS = 60;

export const createRequestSchema = z.object({
  type: z.enum(REQUEST_TYPES, "Choose the kind of request"),
  details: z.string().trim().max(4000, "Keep the details under 4,000 characters").optional(),
});

export const transitionSchema = z
  .object({
    id: z.string().uuid("Unknown request"),
    to: z.enum(REQUEST_STATUSES, "Unknown state"),
    reason: z.string().trim().max(2000).optional(),
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
