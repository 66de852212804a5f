"use server";

import { defineAction } from "../auth/define-action";
import { SafeError } from "../errors";
import { cancelSchema, createRequestSchema, extendSchema, transitionSchema } from "./request-rules";
import { cancelRequest, createRequest, extendRequest, transitionRequest } from "./requests";

function ownPseudonym(pseudonym: string | null): string {
  if (!pseudonym) throw new SafeError("Your account is not linked to any data yet, so there is nothing to ask about.", "invalid");
  return pseudonym;
}

export const submitRequestAction = defineAction(
  { name: "privacy_request.create", roles: ["end_user"], schema: createRequestSchema, resourceType: "privacy_request" },
  async (input, { user, actor }) => (await createRequest(ownPseudonym(user.subjectPseudonym), input, actor)).id,
);

export const cancelRequestAction = defineAction(
  { name: "privacy_request.cancel", roles: ["end_user"], schema: cancelSchema, resourceType: "privacy_request" },
  async ({ id }, { user, actor }) => cancelRequest(id, ownPseudonym(user.subjectPseudonym), actor),
);

export const transitionRequestAction = defineAction(
  { name: "privacy_request.transition", roles: ["admin"], schema: transitionSchema, resourceType: "privacy_request" },
  async (input, { actor }) => (await transitionRequest(input, actor)).status,
);

export const extendRequestAction = defineAction(
  { name: "privacy_request.extend", roles: ["admin"], schema: extendSchema, resourceType: "privacy_request" },
  async (input, { actor }) => (await extendRequest(input, actor)).dueAt.toISOString(),
);
