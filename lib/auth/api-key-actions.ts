"use server";

import { createApiKeySchema, revokeApiKeySchema } from "./api-key-scopes";
import { createApiKey, revokeApiKey } from "./api-keys";
import { defineAction } from "./define-action";

export const createApiKeyAction = defineAction(
  { name: "api_key.create", permission: "api_keys.manage", schema: createApiKeySchema, resourceType: "api_key" },
  (input, { actor }) => createApiKey(input, actor),
);

export const revokeApiKeyAction = defineAction(
  { name: "api_key.revoke", permission: "api_keys.manage", schema: revokeApiKeySchema, resourceType: "api_key" },
  async ({ id }, { actor }) => {
    await revokeApiKey(id, actor);
    return { id };
  },
);
