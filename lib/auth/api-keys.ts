import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { writeAudit, type Actor } from "../audit/audit";
import { db } from "../db/client";
import { SafeError } from "../errors";
import { sha256Hex } from "./tokens";

export const API_KEY_SCOPES = ["ingest", "consent", "feedback"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_SCOPE_LABELS: Record<ApiKeyScope, string> = {
  ingest: "Send events",
  consent: "Read and update consent",
  feedback: "Send model feedback",
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

// Keys look like clk_<8 hex prefix>_<43 base64url secret>. The prefix is shown in lists and logs;
// only a sha256 of the whole key is stored, so a database dump cannot be used to call the API.
const KEY_SHAPE = /^clk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export function generateApiKey(): { key: string; prefix: string } {
  const prefix = `clk_${randomBytes(4).toString("hex")}`;
  return { key: `${prefix}_${randomBytes(32).toString("base64url")}`, prefix };
}

export async function createApiKey(input: CreateApiKeyInput, actor: Actor) {
  const { key, prefix } = generateApiKey();
  const created = await db().$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        name: input.name,
        prefix,
        secretHash: sha256Hex(key),
        scopes: input.scopes,
        createdById: actor.type === "user" ? actor.id : null,
      },
    });
    await writeAudit(
      { actor, action: "api_key.create", resourceType: "api_key", resourceId: row.id, outcome: "success", metadata: { prefix, scopes: input.scopes } },
      tx,
    );
    return row;
  });
  return { id: created.id, prefix, name: created.name, scopes: created.scopes, secret: key };
}

export async function revokeApiKey(id: string, actor: Actor): Promise<void> {
  await db().$transaction(async (tx) => {
    const { count } = await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) throw new SafeError("That key does not exist or is already revoked.", "not_found");
    await writeAudit({ actor, action: "api_key.revoke", resourceType: "api_key", resourceId: id, outcome: "success" }, tx);
  });
}

export async function listApiKeys() {
  return db().apiKey.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true, createdBy: { select: { displayName: true } } },
  });
}

export type ApiKeyAuth =
  | { ok: true; keyId: string; prefix: string; scopes: ApiKeyScope[] }
  | { ok: false; status: 401 | 403; error: string };

const LAST_USED_RESOLUTION_MS = 60_000;

/** Checks an `Authorization: Bearer clk_…` header for a live key holding `scope`. */
export async function authenticateApiKey(header: string | null, scope: ApiKeyScope): Promise<ApiKeyAuth> {
  if (!header) return { ok: false, status: 401, error: "Missing Authorization header: send `Authorization: Bearer <api key>`" };
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) return { ok: false, status: 401, error: "Malformed Authorization header: expected `Bearer <api key>`" };
  const key = match[1]!;
  if (!KEY_SHAPE.test(key)) return { ok: false, status: 401, error: "Malformed API key: Clearlog keys look like clk_xxxxxxxx_…" };
  const row = await db().apiKey.findUnique({ where: { secretHash: sha256Hex(key) } });
  if (!row || row.revokedAt) return { ok: false, status: 401, error: "Invalid or revoked API key" };
  if (!row.scopes.includes(scope)) {
    return { ok: false, status: 403, error: `This API key lacks the '${scope}' scope` };
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { ok: true, keyId: row.id, prefix: row.prefix, scopes: row.scopes };
}
