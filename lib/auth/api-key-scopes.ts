import { z } from "zod";
import type { ApiKeyScope as StoredScope } from "../db/enums";

// Pure definitions shared by the API key form (client), the CLI and lib/auth/api-keys.ts (server).
//
// The one table between the scope names people see and type (console, CLI, whoami, problems, OpenAPI,
// clients, docs) and the values stored in `api_keys.scopes`. Prisma enum value names cannot hold a
// colon, so the training scopes are stored with an underscore; nothing outside this file spells them so.
export const API_KEY_SCOPE_NAMES = {
  ingest: "ingest",
  consent: "consent",
  feedback: "feedback",
  privacy: "privacy",
  training_read: "training:read",
  training_write: "training:write",
  registry_write: "registry:write",
} as const satisfies Record<StoredScope, string>;

/** A scope by its public name (`training:read`). */
export type ApiKeyScope = (typeof API_KEY_SCOPE_NAMES)[StoredScope];
export type { StoredScope };

export const API_KEY_SCOPES = Object.values(API_KEY_SCOPE_NAMES) as [ApiKeyScope, ...ApiKeyScope[]];

const STORED_BY_NAME = new Map<string, StoredScope>(Object.entries(API_KEY_SCOPE_NAMES).map(([stored, name]) => [name, stored as StoredScope]));

export function toStoredScope(scope: ApiKeyScope): StoredScope {
  return STORED_BY_NAME.get(scope)!;
}

export function toPublicScope(stored: StoredScope): ApiKeyScope {
  return API_KEY_SCOPE_NAMES[stored];
}

export const API_KEY_SCOPE_LABELS: Record<ApiKeyScope, string> = {
  ingest: "Send events",
  consent: "Read and update consent",
  feedback: "Send model feedback",
  privacy: "Privacy center sessions and requests",
  "training:read": "Read feature sets, models and retrain-needed",
  "training:write": "Start, rebuild and delete feature sets",
  "registry:write": "Register model versions and move aliases",
};

/** Earlier spellings still accepted where people type scopes (the CLI, scripts): `training_read`. */
const legacyName = (value: unknown) => (typeof value === "string" && Object.hasOwn(API_KEY_SCOPE_NAMES, value) ? API_KEY_SCOPE_NAMES[value as StoredScope] : value);

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "Give the key a name").max(80, "Keep the name under 80 characters"),
  scopes: z
    .array(z.preprocess(legacyName, z.enum(API_KEY_SCOPES, { message: `Unknown scope: the scopes are ${API_KEY_SCOPES.join(", ")}` })))
    .min(1, "Choose at least one scope")
    .transform((s) => [...new Set(s)]),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

export const revokeApiKeySchema = z.object({ id: z.string().uuid("Unknown key") });
