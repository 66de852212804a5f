import { z } from "zod";
import { portalSessionSchema } from "../../auth/portal-sessions";
import { apiListSchema } from "../../privacy/request-filing";
import { apiRequestSchema, CHANNELS, REQUEST_STATUSES, REQUEST_TYPES } from "../../privacy/request-rules";
import type { Operation } from "./registry";

// Operations of the privacy routes (scope `privacy`): bodies are the routes' own schemas. A request's
// fields are typed; it stays open to new fields, which the privacy work adds as it arrives.
const request = z.looseObject({
  id: z.string(),
  subject: z.string().nullable(),
  type: z.enum(REQUEST_TYPES),
  status: z.enum(REQUEST_STATUSES),
  channel: z.enum(CHANNELS),
  verificationMethod: z.string().nullable(),
  purpose: z.string().optional(),
  receivedAt: z.string(),
  dueAt: z.string(),
  completedAt: z.string().optional(),
  rejectionReason: z.string().optional(),
  resolutionNote: z.string().optional(),
  extensionReason: z.string().optional(),
  receipt: z.looseObject({}).optional(),
  timeline: z.array(z.looseObject({ status: z.enum(REQUEST_STATUSES), at: z.string(), note: z.string().optional() })),
});

export const PRIVACY_OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/api/v1/portal-sessions",
    summary: "A single-use link to a person's privacy center",
    scope: "privacy",
    body: portalSessionSchema,
    responses: { 201: { description: "The link and when it expires", schema: z.object({ id: z.string(), url: z.string(), expiresAt: z.string() }) } },
  },
  {
    method: "post",
    path: "/api/v1/privacy-requests",
    summary: "File a privacy request for one of the application's users",
    scope: "privacy",
    body: apiRequestSchema,
    responses: { 201: { description: "The request", schema: request } },
  },
  {
    method: "get",
    path: "/api/v1/privacy-requests",
    summary: "Privacy requests, newest first",
    scope: "privacy",
    query: apiListSchema,
    responses: { 200: { description: "A page of requests and the cursor of the next (null at the end)", schema: z.object({ data: z.array(request), nextCursor: z.string().nullable() }) } },
  },
  { method: "get", path: "/api/v1/privacy-requests/{id}", summary: "One privacy request", scope: "privacy", responses: { 200: { description: "The request", schema: request } } },
];
