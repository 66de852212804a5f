import "server-only";
import { randomBytes } from "node:crypto";
import { writeAudit, type Actor } from "../audit/audit";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { SafeError } from "../errors";
import type { ApiKeyScope, CreateApiKeyInput } from "./api-key-scopes";
import { sha256Hex } from "./tokens";

// Keys look like clk_<8 hex prefix>_<43 base64url secret>. The prefix is shown in lists and logs;
// only a sha256 of the whole key is stored, so a database dump cannot be used to call the API.
const KEY_SHAPE = /^clk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export function generateApiKey(): { key: string; prefix: string } {
  const prefix = `clk_${randomBytes(4).toString("hex")}`;
  return { key: `${prefix}_${randomBytes(32).toString("base64url")}`, prefix };
}

export async function createApiKey(input: CreateApiKeyInput, actor: Actor) {
  const { key, prefix } = generateApiKey();
  const created = await transaction(async (tx) => {
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
  await transaction(async (tx) => {
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

/** Checks an `Authorization: Bearer clk_…` header for a live key, whatever its scopes. */
export async function authenticateAnyApiKey(header: string | null): Promise<ApiKeyAuth> {
  if (!header) return { ok: false, status: 401, error: "Missing Authorization header: send `Authorization: Bearer <api key>`" };
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) return { ok: false, status: 401, error: "Malformed Authorization header: expected `Bearer <api key>`" };
  const key = match[1]!;
  const shape = KEY_SHAPE.exec(key);
  if (!shape) return { ok: false, status: 401, error: "Malformed API key: Clearlog keys look like clk_xxxxxxxx_…" };
  const row = await db().apiKey.findUnique({ where: { secretHash: sha256Hex(key) } });
  if (!row || row.revokedAt) {
    // Only the public prefix is recorded, never the presented secret.
    await writeAudit({
      actor: null,
      action: "api_key.authenticate",
      resourceType: "api_key",
      resourceId: row?.id ?? null,
      outcome: "denied",
      metadata: { reason: row ? "revoked" : "unknown_key", prefix: `clk_${shape[1]}` },
    });
    return { ok: false, status: 401, error: "Invalid or revoked API key" };
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { ok: true, keyId: row.id, prefix: row.prefix, scopes: row.scopes };
}

/** As authenticateAnyApiKey, and the key must hold `scope` (403 otherwise). */
export async function authenticateApiKey(header: string | null, scope: ApiKeyScope): Promise<ApiKeyAuth> {
  const auth = await authenticateAnyApiKey(header);
  if (!auth.ok || auth.scopes.includes(scope)) return auth;
  await writeAudit({
    actor: { type: "api_key", id: auth.keyId },
    action: "api_key.authenticate",
    resourceType: "api_key",
    resourceId: auth.keyId,
    outcome: "denied",
    metadata: { reason: "missing_scope", scope },
  });
  return { ok: false, status: 403, error: `This API key lacks the '${scope}' scope` };
}
