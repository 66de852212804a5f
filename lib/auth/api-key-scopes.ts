import { z } from "zod";
import { ApiKeyScope as ApiKeyScopeValues, enumValues, type ApiKeyScope } from "../db/enums";

// Pure definitions shared by the API key form (client) and lib/auth/api-keys.ts (server).
export type { ApiKeyScope };
export const API_KEY_SCOPES = enumValues(ApiKeyScopeValues);

export const API_KEY_SCOPE_LABELS: Record<ApiKeyScope, string> = {
  ingest: "Send events",
  consent: "Read and update consent",
  feedback: "Send model feedback",
  privacy: "Privacy center sessions and requests",
  training_read: "Read feature sets, models and retrain-needed (training_read)",
  training_write: "Start, rebuild and delete feature sets (training_write)",
  registry_write: "Register model versions and move aliases (registry_write)",
};

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "Give the key a name").max(80, "Keep the name under 80 characters"),
  scopes: z
    .array(z.enum(API_KEY_SCOPES, { message: "Unknown scope" }))
    .min(1, "Choose at least one scope")
    .transform((s) => [...new Set(s)]),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

export const revokeApiKeySchema = z.object({ id: z.string().uuid("Unknown key") });
