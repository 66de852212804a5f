import { z } from "zod";
import { portalSessionSchema } from "../../auth/portal-sessions";
import { apiListSchema } from "../../privacy/request-filing";
import { apiRequestSchema } from "../../privacy/request-rules";
import type { Operation } from "./registry";

// Operations of the privacy routes (scope `privacy`): bodies are the routes' own schemas.
const request = z.looseObject({ id: z.string(), type: z.string(), status: z.string() });

export const PRIVACY_OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/api/v1/portal-sessions",
    summary: "A single-use link to a person's privacy center",
    scope: "privacy",
    body: portalSessionSchema,
    responses: { 201: { description: "The link and when it expires", schema: z.looseObject({ url: z.string() }) } },
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
    responses: { 200: { description: "A page of requests", schema: z.looseObject({ requests: z.array(request) }) } },
  },
  { method: "get", path: "/api/v1/privacy-requests/{id}", summary: "One privacy request", scope: "privacy", responses: { 200: { description: "The request", schema: request } } },
];
