import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { database, db } from "../db/client";
import { STATUS_OF } from "../api/problem";
import { flushRefusals } from "../audit/refusals";
import { SafeError } from "../errors";
import { authenticateApiKey as authenticate, createApiKey, generateApiKey, listApiKeys, presentedApiKey, revokeApiKey } from "./api-keys";
import { createApiKeySchema, type ApiKeyScope } from "./api-key-scopes";

// API keys against a real database: shown once, stored hashed, scoped, revocable, audited.

const CLI: Actor = { type: "cli" };
const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const bearer = (secret: string) => `Bearer ${secret}`;

/** What the route wrapper does with an Authorization header, as a result instead of a throw. */
async function authenticateApiKey(authorization: string | null, scope: ApiKeyScope) {
  try {
    const headers = new Headers(authorization === null ? {} : { authorization });
    return { ok: true, ...(await authenticate(presentedApiKey(headers), scope)) };
  } catch (error) {
    if (!(error instanceof SafeError)) throw error;
    return { ok: false, status: STATUS_OF[error.code], error: error.message };
  } finally {
    await flushRefusals();
  }
}

/** A whole table as text, read with SQL so nothing Prisma maps or hides is missed. */
async function tableText(table: "api_keys" | "audit_log"): Promise<string> {
  const { rows } = await database().pool.query<{ t: string | null }>(`SELECT json_agg(x)::text AS t FROM ${table} x`);
  return rows[0]?.t ?? "";
}

async function lastAuditId(): Promise<bigint> {
  return (await db().auditLog.aggregate({ _max: { id: true } }))._max.id ?? 0n;
}

const auditSince = (id: bigint) => db().auditLog.findMany({ where: { id: { gt: id } }, orderBy: { id: "asc" } });

/** Everything a rejected header could have changed. */
async function snapshot() {
  return {
    audit: await tableText("audit_log"),
    keys: await tableText("api_keys"),
  };
}

describe("createApiKey", () => {
  it("returns a clk_ secret once and stores only its sha256", async () => {
    const before = await lastAuditId();
    const created = await createApiKey({ name: "Shop backend", scopes: ["ingest", "consent"] }, CLI);

    expect(created.secret).toMatch(/^clk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.secret.startsWith(`${created.prefix}_`)).toBe(true);
    expect(created).toMatchObject({ name: "Shop backend", scopes: ["ingest", "consent"] });

    const row = await db().apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ prefix: created.prefix, secretHash: sha256(created.secret), lastUsedAt: null, revokedAt: null, createdById: null });
    const secretPart = created.secret.slice(created.prefix.length + 1);
    for (const table of ["api_keys", "audit_log"] as const) {
      const text = await tableText(table);
      expect(text, table).not.toContain(created.secret);
      expect(text, table).not.toContain(secretPart);
    }

    const audit = await auditSince(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "api_key.create", actorType: "cli", outcome: "success", resourceId: created.id,
      metadata: { prefix: created.prefix, scopes: ["ingest", "consent"] },
    });

    const other = await createApiKey({ name: "Other", scopes: ["ingest"] }, CLI);
    expect(other.secret).not.toBe(created.secret);
    expect(other.prefix).not.toBe(created.prefix);
  });

  it("records the creating user", async () => {
    const user = await db().user.create({ data: { email: "keymaker@example.test", displayName: "Key Maker", role: "admin" } });
    const created = await createApiKey({ name: "Made by a user", scopes: ["feedback"] }, { type: "user", id: user.id, role: "admin" });
    expect(await db().apiKey.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ createdById: user.id });
    const listed = (await listApiKeys()).find((k) => k.id === created.id);
    expect(listed?.createdBy).toEqual({ displayName: "Key Maker" });
  });

  it("gives a CLI-made key the owner named by email, and refuses an unknown owner writing nothing", async () => {
    const user = await db().user.create({ data: { email: "scientist@example.test", displayName: "Sci", role: "data_scientist" } });
    const created = await createApiKey({ name: "Notebook", scopes: ["training:read"] }, CLI, { ownerEmail: "Scientist@example.test " });
    expect(await db().apiKey.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ createdById: user.id, scopes: ["training_read"] });
    const before = await db().apiKey.count();
    await expect(createApiKey({ name: "Nobody's", scopes: ["training:read"] }, CLI, { ownerEmail: "nobody@example.test" })).rejects.toThrow(/--owner: there is no user with that email/);
    expect(await db().apiKey.count()).toBe(before);
  });

  it("speaks the public scope names, accepts the underscore spelling typed before, and refuses unknown names", async () => {
    const input = createApiKeySchema.parse({ name: "Old script", scopes: ["training_read", "registry:write", "training:read"] });
    expect(input.scopes).toEqual(["training:read", "registry:write"]);
    const created = await createApiKey(input, CLI);
    expect(created.scopes).toEqual(["training:read", "registry:write"]);
    expect((await listApiKeys()).find((k) => k.id === created.id)?.scopes).toEqual(["training:read", "registry:write"]);
    const refused = createApiKeySchema.safeParse({ name: "Typo", scopes: ["training:reed"] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/Unknown scope: the scopes are ingest, .*training:read, training:write, registry:write/);
  });
});

describe("authenticateApiKey", () => {
  it("accepts a valid key with the scope, returns its scopes and sets last_used_at", async () => {
    const created = await createApiKey({ name: "Ingest", scopes: ["ingest", "feedback"] }, CLI);
    const before = Date.now();
    const auth = await authenticateApiKey(bearer(created.secret), "ingest");
    expect(auth).toEqual({ ok: true, keyId: created.id, prefix: created.prefix, scopes: ["ingest", "feedback"] });

    const row = await db().apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(row.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.lastUsedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    // The scheme is case-insensitive and surrounding whitespace is tolerated.
    expect(await authenticateApiKey(`  bearer   ${created.secret} `, "feedback")).toMatchObject({ ok: true, keyId: created.id });
  });

  it("refuses missing and malformed headers with distinct 401 messages and writes nothing", async () => {
    const created = await createApiKey({ name: "Untouched", scopes: ["ingest"] }, CLI);
    const before = await snapshot();

    const missing = await authenticateApiKey(null, "ingest");
    const empty = await authenticateApiKey("", "ingest");
    const basic = await authenticateApiKey("Basic x", "ingest");
    const bare = await authenticateApiKey("Bearer", "ingest");
    const notKey = await authenticateApiKey("Bearer not-a-key", "ingest");
    const twoParts = await authenticateApiKey(`Bearer ${created.secret} extra`, "ingest");
    const truncated = await authenticateApiKey(bearer(created.secret.slice(0, -1)), "ingest");
    const upperPrefix = await authenticateApiKey(bearer(created.secret.replace("clk_", "CLK_")), "ingest");

    const missingMsg = "Missing API key: send `Authorization: Bearer <api key>` or an `x-api-key` header";
    const headerMsg = "Malformed Authorization header: expected `Bearer <api key>`";
    const keyMsg = "Malformed API key: Clearlog keys look like clk_xxxxxxxx_…";
    expect(missing).toEqual({ ok: false, status: 401, error: missingMsg });
    expect(empty).toEqual({ ok: false, status: 401, error: headerMsg });
    expect(basic).toEqual({ ok: false, status: 401, error: headerMsg });
    expect(bare).toEqual({ ok: false, status: 401, error: headerMsg });
    expect(twoParts).toEqual({ ok: false, status: 401, error: headerMsg });
    expect(notKey).toEqual({ ok: false, status: 401, error: keyMsg });
    expect(truncated).toEqual({ ok: false, status: 401, error: keyMsg });
    expect(upperPrefix).toEqual({ ok: false, status: 401, error: keyMsg });
    expect(new Set([missingMsg, headerMsg, keyMsg]).size).toBe(3);

    expect(await snapshot()).toEqual(before);
  });

  it("takes the key from an x-api-key header too (OpenTelemetry exporters set headers by environment)", async () => {
    const created = await createApiKey({ name: "Collector", scopes: ["ingest"] }, CLI);
    expect(presentedApiKey(new Headers({ "x-api-key": ` ${created.secret} ` }))).toBe(created.secret);
    expect(await authenticate(presentedApiKey(new Headers({ "x-api-key": created.secret })), "ingest")).toMatchObject({ keyId: created.id });
    expect(() => presentedApiKey(new Headers({ "x-api-key": "not-a-key" }))).toThrow("Malformed API key");
  });

  it("refuses an unknown well-formed key and audits only its prefix", async () => {
    const { key, prefix } = generateApiKey();
    const before = await lastAuditId();
    expect(await authenticateApiKey(bearer(key), "ingest")).toEqual({ ok: false, status: 401, error: "Invalid or revoked API key" });

    const audit = await auditSince(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "api_key.authenticate", actorType: "system", actorId: null, resourceId: null, outcome: "denied",
      metadata: { reason: "unknown_key", source: `key:${prefix}`, count: 1 },
    });
    const text = await tableText("audit_log");
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(prefix.length + 1));
  });

  it("refuses a key without the scope with 403 naming it, audited, and does not leak the secret", async () => {
    const created = await createApiKey({ name: "Consent only", scopes: ["consent"] }, CLI);
    const before = await lastAuditId();
    expect(await authenticateApiKey(bearer(created.secret), "ingest")).toEqual({
      ok: false, status: 403, error: "This API key lacks the 'ingest' scope",
    });
    expect(await authenticateApiKey(bearer(created.secret), "feedback")).toMatchObject({ status: 403, error: expect.stringContaining("'feedback'") });

    const audit = await auditSince(before);
    expect(audit.map((a) => [a.actorType, a.resourceId, a.outcome, a.metadata])).toEqual([
      ["system", created.id, "denied", { reason: "missing_scope:ingest", source: `key:${created.prefix}`, minute: expect.any(String), count: 1 }],
      ["system", created.id, "denied", { reason: "missing_scope:feedback", source: `key:${created.prefix}`, minute: expect.any(String), count: 1 }],
    ]);
    expect(await tableText("audit_log")).not.toContain(created.secret);
    expect(await authenticateApiKey(bearer(created.secret), "consent")).toMatchObject({ ok: true });
  });

  it("refuses a revoked key, and revoking twice is a not_found SafeError", async () => {
    const created = await createApiKey({ name: "Short-lived", scopes: ["ingest"] }, CLI);
    expect(await authenticateApiKey(bearer(created.secret), "ingest")).toMatchObject({ ok: true });

    const before = await lastAuditId();
    await revokeApiKey(created.id, CLI);
    const row = await db().apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.revokedAt).not.toBeNull();

    expect(await authenticateApiKey(bearer(created.secret), "ingest")).toEqual({ ok: false, status: 401, error: "Invalid or revoked API key" });

    const second = revokeApiKey(created.id, CLI);
    await expect(second).rejects.toBeInstanceOf(SafeError);
    await expect(second).rejects.toMatchObject({ code: "not_found" });
    await expect(revokeApiKey("00000000-0000-4000-8000-000000000000", CLI)).rejects.toMatchObject({ code: "not_found" });
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: created.id } })).revokedAt).toEqual(row.revokedAt);

    const audit = await auditSince(before);
    expect(audit.map((a) => [a.action, a.outcome, a.resourceId, a.metadata])).toEqual([
      ["api_key.revoke", "success", created.id, {}],
      ["api_key.authenticate", "denied", created.id, { reason: "revoked", source: `key:${created.prefix}`, minute: expect.any(String), count: 1 }],
    ]);
  });

  it("counts a flood of refusals into one audit row per key prefix, reason and minute", async () => {
    const { key, prefix } = generateApiKey();
    const before = await lastAuditId();
    for (let i = 0; i < 50; i++) await authenticate(key, "ingest").catch(() => {});
    await flushRefusals();
    const audit = await auditSince(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.metadata).toMatchObject({ reason: "unknown_key", source: `key:${prefix}`, count: 50 });
  });
});

describe("listApiKeys", () => {
  it("lists keys without their secret hash, live keys first", async () => {
    const live = await createApiKey({ name: "Live", scopes: ["ingest"] }, CLI);
    const dead = await createApiKey({ name: "Dead", scopes: ["ingest"] }, CLI);
    await revokeApiKey(dead.id, CLI);

    const keys = await listApiKeys();
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const k of keys) {
      expect(Object.keys(k)).not.toContain("secretHash");
      expect(Object.keys(k).sort()).toEqual(["createdAt", "createdBy", "id", "lastUsedAt", "name", "prefix", "revokedAt", "scopes"]);
    }
    const hashes = await db().apiKey.findMany({ select: { secretHash: true } });
    const text = JSON.stringify(keys);
    for (const { secretHash } of hashes) expect(text).not.toContain(secretHash);
    expect(text).not.toContain(live.secret);

    const firstRevoked = keys.findIndex((k) => k.revokedAt !== null);
    expect(keys.slice(firstRevoked).every((k) => k.revokedAt !== null)).toBe(true);
    expect(keys.findIndex((k) => k.id === live.id)).toBeLessThan(keys.findIndex((k) => k.id === dead.id));
  });
});
