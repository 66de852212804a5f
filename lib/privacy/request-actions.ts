"use server";

import { z } from "zod";
import { defineAction } from "../auth/define-action";
import { ownerOf, type SessionUser } from "../auth/session-user";
import { SafeError } from "../errors";
import { cancelSchema, createRequestSchema, extendSchema, fileOnBehalfSchema, transitionSchema } from "./request-rules";
import { fileOnBehalf } from "./request-filing";
import { cancelRequest, createRequest, extendRequest, retryRequestJob, startSelfServiceExport, transitionRequest, type Requester } from "./requests";

function requesterOf(user: SessionUser): Requester {
  if (!user.subjectPseudonym) throw new SafeError("No data is linked to you here any more, so there is nothing to ask about.", "invalid");
  const owner = ownerOf(user);
  return { pseudonym: user.subjectPseudonym, userId: owner.userId, portalSessionId: owner.portalSessionId };
}

export const submitRequestAction = defineAction(
  { name: "privacy_request.create", permission: "portal.use", schema: createRequestSchema, resourceType: "privacy_request" },
  async (input, { user, actor }) => {
    const request = await createRequest({ ...requesterOf(user), contact: input.contactEmail ?? null }, input, actor);
    return { id: request.id, receivedAt: request.receivedAt.toISOString(), dueAt: request.dueAt.toISOString(), status: request.status };
  },
);

export const cancelRequestAction = defineAction(
  { name: "privacy_request.cancel", permission: "portal.use", schema: cancelSchema, resourceType: "privacy_request" },
  async ({ id }, { user, actor }) => cancelRequest(id, ownerOf(user), actor),
);

export const startExportAction = defineAction(
  { name: "privacy_request.export", permission: "portal.use", schema: z.object({}), resourceType: "privacy_request" },
  async (_input, { user, actor }) => (await startSelfServiceExport(requesterOf(user), actor)).id,
);

export const fileRequestAction = defineAction(
  { name: "privacy_request.file", permission: "privacy_requests.manage", schema: fileOnBehalfSchema, resourceType: "privacy_request" },
  async (input, { user }) => (await fileOnBehalf(input, { type: "user", id: user.id, role: user.role })).id,
);

export const transitionRequestAction = defineAction(
  { name: "privacy_request.transition", permission: "privacy_requests.manage", schema: transitionSchema, resourceType: "privacy_request" },
  async (input, { actor }) => (await transitionRequest(input, actor)).status,
);

export const extendRequestAction = defineAction(
  { name: "privacy_request.extend", permission: "privacy_requests.manage", schema: extendSchema, resourceType: "privacy_request" },
  async (input, { actor }) => (await extendRequest(input, actor)).dueAt.toISOString(),
);

export const retryRequestJobAction = defineAction(
  { name: "privacy_request.retry_job", permission: "privacy_requests.manage", schema: cancelSchema, resourceType: "privacy_request" },
  async ({ id }, { actor }) => (await retryRequestJob(id, actor)).id,
);
