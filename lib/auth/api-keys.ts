import "server-only";
import { randomBytes } from "node:crypto";
import { writeAudit, type Actor } from "../audit/audit";
import { recordRefusal } from "../audit/refusals";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { SafeError } from "../errors";
import { toPublicScope, toStoredScope, type ApiKeyScope, type CreateApiKeyInput } from "./api-key-scopes";
import { sha256Hex } from "./tokens";

// Keys look like clk_<8 hex prefix>_<43 base64url secret>. The prefix is shown in lists and logs;
// only a sha256 of the whole key is stored, so a database dump cannot be used to call the API.
const KEY_SHAPE = /^clk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export function generateApiKey(): { key: string; prefix: string } {
  const prefix = `clk_${randomBytes(4).toString("hex")}`;
  return { key: `${prefix}_${randomBytes(32).toString("base64url")}`, prefix };
}

/**
 * Creates a key, owned by the user who creates it in the console, or by `ownerEmail` (the CLI's
 * --owner). The owner is who the key acts for where a permission matters (training, the registry).
 */
export async function createApiKey(input: CreateApiKeyInput, actor: Actor, options: { ownerEmail?: string } = {}) {
  const { key, prefix } = generateApiKey();
  const created = await transaction(async (tx) => {
    let ownerId = actor.type === "user" ? actor.id : null;
    if (options.ownerEmail !== undefined) {
      const owner = await tx.user.findUnique({ where: { email: options.ownerEmail.trim().toLowerCase() }, select: { id: true } });
      if (!owner) throw new SafeError("--owner: there is no user with that email.", "invalid", { field: "owner" });
      ownerId = owner.id;
    }
    const row = await tx.apiKey.create({
      data: {
        name: input.name,
        prefix,
        secretHash: sha256Hex(key),
        scopes: input.scopes.map(toStoredScope),
        createdById: ownerId,
      },
    });
    await writeAudit(
      { actor, action: "api_key.create", resourceType: "api_key", resourceId: row.id, outcome: "success", metadata: { prefix, scopes: input.scopes } },
      tx,
    );
    return row;
  });
  return { id: created.id, prefix, name: created.name, scopes: created.scopes.map(toPublicScope), secret: key };
}

export async function revokeApiKey(id: string, actor: Actor): Promise<void> {
  await transaction(async (tx) => {
    const { count } = await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) throw new SafeError("That key does not exist or is already revoked.", "not_found");
    await writeAudit({ actor, action: "api_key.revoke", resourceType: "api_key", resourceId: id, outcome: "success" }, tx);
  });
}

export async function listApiKeys() {
  const keys = await db().apiKey.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true, createdBy: { select: { displayName: true } } },
  });
  return keys.map((k) => ({ ...k, scopes: k.scopes.map(toPublicScope) }));
}

export interface ApiKeyPrincipal {
  keyId: string;
  prefix: string;
  scopes: ApiKeyScope[];
}

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The key a request presents: `Authorization: Bearer <key>`, or `x-api-key: <key>` (what
 * OpenTelemetry users can set through OTEL_EXPORTER_OTLP_HEADERS). Throws when malformed.
 */
export function presentedApiKey(headers: Headers): string {
  const authorization = headers.get("authorization");
  const header = headers.get("x-api-key");
  if (authorization === null && header === null) {
    throw new SafeError("Missing API key: send `Authorization: Bearer <api key>` or an `x-api-key` header", "unauthenticated");
  }
  let key: string;
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw new SafeError("Malformed Authorization header: expected `Bearer <api key>`", "unauthenticated");
    key = match[1]!;
  } else key = header!.trim();
  if (!KEY_SHAPE.test(key)) throw new SafeError("Malformed API key: Clearlog keys look like clk_xxxxxxxx_…", "unauthenticated");
  return key;
}

/**
 * The live key behind `key`, which must hold `scope` unless it is null. Refusals are counted per
 * key prefix (lib/audit/refusals.ts), never with the presented secret.
 */
export async function authenticateApiKey(key: string, scope: ApiKeyScope | null): Promise<ApiKeyPrincipal> {
  const prefix = KEY_SHAPE.exec(key)?.[1];
  if (!prefix) throw new SafeError("Malformed API key: Clearlog keys look like clk_xxxxxxxx_…", "unauthenticated");
  const row = await db().apiKey.findUnique({ where: { secretHash: sha256Hex(key) } });
  if (!row || row.revokedAt) {
    recordRefusal({ action: "api_key.authenticate", resourceType: "api_key", resourceId: row?.id ?? null, reason: row ? "revoked" : "unknown_key", source: `key:clk_${prefix}` });
    throw new SafeError("Invalid or revoked API key", "unauthenticated");
  }
  if (scope !== null && !row.scopes.includes(toStoredScope(scope))) {
    recordRefusal({ action: "api_key.authenticate", resourceType: "api_key", resourceId: row.id, reason: `missing_scope:${scope}`, source: `key:${row.prefix}` });
    throw new SafeError(`This API key lacks the '${scope}' scope`, "forbidden");
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { keyId: row.id, prefix: row.prefix, scopes: row.scopes.map(toPublicScope) };
}
