import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { database, db } from "../db/client";
import { writeAudit, type AuditEntry } from "./audit";
import { AUDIT_PAGE_SIZE, listAudit, parseAuditFilter } from "./queries";

// The audit trail against a real database: append-only in the database itself, transactional,
// filtered and keyset-paginated for the console.

const ADMIN = randomUUID();
const OTHER_ADMIN = randomUUID();
const KEY = randomUUID();

const entry = (over: Partial<AuditEntry> & { action: string }): AuditEntry => ({
  actor: { type: "cli" }, resourceType: "thing", outcome: "success", ...over,
});

/** The whole table as text, in id order, read with SQL. */
async function auditText(): Promise<string> {
  const { rows } = await database().pool.query<{ t: string | null }>("SELECT json_agg(a ORDER BY id)::text AS t FROM audit_log a");
  return rows[0]?.t ?? "";
}

beforeAll(async () => {
  // A known set of rows for the filter tests, written through writeAudit as the app does.
  const rows: AuditEntry[] = [
    entry({ action: "flt.user.create", actor: { type: "user", id: ADMIN, role: "admin" }, resourceType: "user", resourceId: "u1" }),
    entry({ action: "flt.user.set_role", actor: { type: "user", id: ADMIN, role: "admin" }, resourceType: "user", outcome: "failure" }),
    entry({ action: "flt.user.set_role", actor: { type: "user", id: OTHER_ADMIN, role: "admin" }, resourceType: "user" }),
    entry({ action: "flt.key.authenticate", actor: { type: "api_key", id: KEY }, resourceType: "api_key", outcome: "denied", metadata: { reason: "missing_scope" } }),
    entry({ action: "flt.key.revoke", actor: null, resourceType: "api_key", outcome: "denied" }),
    entry({ action: "flt.usersettings", resourceType: "settings" }),
  ];
  for (const row of rows) await writeAudit(row);
});

describe("audit_log is append-only in the database", () => {
  it("refuses UPDATE, DELETE and TRUNCATE and leaves the rows unchanged", async () => {
    await writeAudit(entry({ action: "append.only", metadata: { n: 1 } }));
    const before = await auditText();
    expect(before).toContain("append.only");
    const { pool } = database();

    const attempts = {
      update: "UPDATE audit_log SET action = 'tampered', metadata = '{}' WHERE action = 'append.only'",
      "update all": "UPDATE audit_log SET outcome = 'success'",
      delete: "DELETE FROM audit_log WHERE action = 'append.only'",
      "delete all": "DELETE FROM audit_log",
      truncate: "TRUNCATE audit_log",
    };
    for (const [name, sql] of Object.entries(attempts)) {
      await expect(pool.query(sql), name).rejects.toThrow(/append-only/);
    }
    // Also inside an explicit transaction, as an application bug might try.
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await expect(client.query("DELETE FROM audit_log")).rejects.toMatchObject({ code: "42501", message: expect.stringContaining("DELETE") });
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    expect(await auditText()).toBe(before);
  });
});

describe("writeAudit", () => {
  it("writes the actor, outcome and metadata", async () => {
    await writeAudit(entry({ action: "write.user", actor: { type: "user", id: ADMIN, role: "data_scientist" }, resourceId: "r-1", outcome: "denied", metadata: { count: 3, fields: ["a", "b"] } }));
    await writeAudit(entry({ action: "write.key", actor: { type: "api_key", id: KEY } }));
    await writeAudit(entry({ action: "write.system", actor: null }));
    const rows = await db().auditLog.findMany({ where: { action: { startsWith: "write." } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.action, r.actorType, r.actorId, r.actorRole, r.resourceId, r.outcome, r.metadata])).toEqual([
      ["write.user", "user", ADMIN, "data_scientist", "r-1", "denied", { count: 3, fields: ["a", "b"] }],
      ["write.key", "api_key", KEY, null, null, "success", {}],
      ["write.system", "system", null, null, null, "success", {}],
    ]);
  });

  it("inside a rolled-back transaction leaves no row; inside a committed one it does", async () => {
    const failed = db().$transaction(async (tx) => {
      await writeAudit(entry({ action: "tx.rolled_back" }), tx);
      expect(await tx.auditLog.count({ where: { action: "tx.rolled_back" } })).toBe(1);
      throw new Error("the change failed");
    });
    await expect(failed).rejects.toThrow("the change failed");
    expect(await db().auditLog.count({ where: { action: "tx.rolled_back" } })).toBe(0);

    await db().$transaction(async (tx) => {
      await writeAudit(entry({ action: "tx.committed" }), tx);
    });
    expect(await db().auditLog.count({ where: { action: "tx.committed" } })).toBe(1);
  });
});

describe("listAudit", () => {
  const actions = async (filter: Record<string, string>) => (await listAudit(parseAuditFilter(filter))).rows.map((r) => r.action);

  it("filters by action prefix, outcome, resource type and actor", async () => {
    expect(await actions({ action: "flt." })).toEqual([
      "flt.usersettings", "flt.key.revoke", "flt.key.authenticate", "flt.user.set_role", "flt.user.set_role", "flt.user.create",
    ]);
    expect(await actions({ action: "flt.user." })).toEqual(["flt.user.set_role", "flt.user.set_role", "flt.user.create"]);
    expect(await actions({ action: "flt.user.set_role" })).toEqual(["flt.user.set_role", "flt.user.set_role"]);
    expect(await actions({ action: "user." })).toEqual([]); // a prefix, not a substring
    expect(await actions({ action: "flt.", outcome: "denied" })).toEqual(["flt.key.revoke", "flt.key.authenticate"]);
    expect(await actions({ action: "flt.", outcome: "failure" })).toEqual(["flt.user.set_role"]);
    expect(await actions({ action: "flt.", resourceType: "api_key" })).toEqual(["flt.key.revoke", "flt.key.authenticate"]);
    expect(await actions({ resourceType: "settings" })).toEqual(["flt.usersettings"]);
    expect(await actions({ actor: ADMIN, action: "flt." })).toEqual(["flt.user.set_role", "flt.user.create"]);
    expect(await actions({ actor: OTHER_ADMIN })).toEqual(["flt.user.set_role"]);
    expect(await actions({ actor: KEY, action: "flt." })).toEqual(["flt.key.authenticate"]);
    expect(await actions({ actor: ADMIN, outcome: "failure", resourceType: "user" })).toEqual(["flt.user.set_role"]);
    expect(await actions({ actor: randomUUID() })).toEqual([]);

    const denied = await listAudit(parseAuditFilter({ outcome: "denied" }));
    expect(denied.rows.length).toBeGreaterThanOrEqual(2);
    expect(denied.rows.every((r) => r.outcome === "denied")).toBe(true);
  });

  it("ignores filters the database could not take (a NUL, half an emoji, an id beyond bigint) instead of failing", async () => {
    expect(parseAuditFilter({ action: "flt.\u0000", resourceType: "user\uD83D", before: "99999999999999999999999" })).toEqual({});
    expect(await actions({ action: "flt.\u0000", before: "99999999999999999999999" })).toEqual(await actions({}));
  });

  it("keyset-paginates newest first without overlap", async () => {
    const total = AUDIT_PAGE_SIZE + 5;
    for (let i = 0; i < total; i++) await writeAudit(entry({ action: "page.item", resourceId: String(i) }));
    await writeAudit(entry({ action: "pagination.other" })); // shares the text "page" but not the prefix "page."

    const first = await listAudit(parseAuditFilter({ action: "page." }));
    expect(first.rows).toHaveLength(AUDIT_PAGE_SIZE);
    const firstIds = first.rows.map((r) => r.id);
    expect(first.rows[0]?.resourceId).toBe(String(total - 1));
    for (let i = 1; i < first.rows.length; i++) {
      expect(firstIds[i]! < firstIds[i - 1]!).toBe(true);
      expect(first.rows[i]!.occurredAt.getTime()).toBeLessThanOrEqual(first.rows[i - 1]!.occurredAt.getTime());
    }
    expect(first.nextBefore).toBe(firstIds.at(-1)!.toString());

    const second = await listAudit(parseAuditFilter({ action: "page.", before: first.nextBefore! }));
    expect(second.rows.map((r) => r.resourceId)).toEqual(["4", "3", "2", "1", "0"]);
    expect(second.nextBefore).toBeNull();
    const secondIds = second.rows.map((r) => r.id);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
    expect(new Set([...firstIds, ...secondIds].map(String)).size).toBe(total);
    expect(secondIds.every((id) => id < firstIds.at(-1)!)).toBe(true);

    // Exactly a page left: a full page and no next link.
    const boundary = first.rows.find((r) => r.resourceId === String(AUDIT_PAGE_SIZE))!;
    const exact = await listAudit(parseAuditFilter({ action: "page.", before: boundary.id.toString() }));
    expect(exact.rows).toHaveLength(AUDIT_PAGE_SIZE);
    expect(exact.rows.at(-1)?.resourceId).toBe("0");
    expect(exact.nextBefore).toBeNull();
  });
});

describe("parseAuditFilter", () => {
  it("keeps valid values and drops invalid ones instead of throwing", () => {
    const actor = randomUUID();
    expect(parseAuditFilter({ action: " user. ", actor, resourceType: "api_key", outcome: "denied", before: "42" })).toEqual({
      action: "user.", actor, resourceType: "api_key", outcome: "denied", before: 42n,
    });
    expect(parseAuditFilter({ outcome: "bogus", before: "abc", actor: "not-a-uuid", action: "x".repeat(101), resourceType: "y".repeat(101) })).toEqual({
      action: undefined, actor: undefined, resourceType: undefined, outcome: undefined, before: undefined,
    });
    for (const before of ["0", "-5", "1.5", "1e3", "12abc", "99999999999999999999999999x"]) {
      expect(parseAuditFilter({ before }).before, before).toBeUndefined();
    }
    expect(parseAuditFilter({ outcome: ["failure", "bogus"], action: [], before: "" })).toMatchObject({ outcome: "failure", action: undefined, before: undefined });
    expect(parseAuditFilter({})).toEqual({});
  });
});
