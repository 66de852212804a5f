import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { database, db } from "../db/client";
import { ensureLogPartitions } from "../db/partitions";
import { deletePolicy, previewPolicy, savePolicy } from "./policies";
import { policySchema } from "./policy-schema";
import { runRetention } from "./run";
import { retentionHistory, startRetentionRun } from "./runs";
import { expectSafeError } from "@/test/support/errors";

// Retention policies (lib/retention/policies.ts) and runs as jobs (lib/retention/runs.ts). The
// workspace's default policies (one general policy per classification) are in place throughout.
const NOW = new Date("2020-03-01T00:00:00.000Z");
const H = "a".repeat(64); // has an open access request
const O = "b".repeat(64); // only a completed one
const ADMIN_ID = randomUUID();
const admin: Actor = { type: "user", id: ADMIN_ID, role: "admin" };

const audits = (action: string) => db().auditLog.findMany({ where: { action }, orderBy: { id: "asc" } });

describe("previewPolicy", () => {
  let typed: { id: string };

  beforeAll(async () => {
    const { pool } = database();
    const old = new Date("2020-02-19T12:00:00.000Z");
    const fresh = new Date("2020-02-29T12:00:00.000Z");
    await ensureLogPartitions(pool, old, fresh);
    const rows: [string, Date, string, string, string | null][] = [
      ["api-h", old, "internal", "api_request", H],
      ["api-o", old, "internal", "api_request", O],
      ["act-h", old, "internal", "user_action", H],
      ["act-o", old, "internal", "user_action", O],
      ["act-n", old, "internal", "user_action", null],
      ["act-new", fresh, "internal", "user_action", H],
      ["conf", old, "confidential", "user_action", null],
    ];
    for (const [id, at, classification, type, subject] of rows) {
      await pool.query(
        `INSERT INTO system_logs (event_id, occurred_at, type, name, classification, subject_pseudonym) VALUES ($1, $2, $3::"EventType", 'preview.test', $4::"Classification", $5)`,
        [id, at, type, classification, subject],
      );
    }
    const due = new Date(Date.now() + 30 * 86_400_000);
    await db().privacyRequest.create({ data: { type: "access", status: "verified", subjectPseudonym: H, dueAt: due } });
    await db().privacyRequest.create({ data: { type: "access", status: "completed", subjectPseudonym: O, dueAt: due } });
    typed = await db().retentionPolicy.create({ data: { name: "Internal API", classification: "internal", eventType: "api_request", keepDays: 30, action: "delete" } });
    // Disabled: does not take user_action events away from the general internal policy.
    await db().retentionPolicy.create({ data: { name: "Internal actions", classification: "internal", eventType: "user_action", keepDays: 1, action: "delete", enabled: false } });
  });

  it("counts expired and held rows of a draft general policy, leaving out types another policy governs", async () => {
    expect(await previewPolicy({ classification: "internal", eventType: null, keepDays: 5, action: "delete" }, NOW)).toEqual({ expired: 2, held: 1, cutoff: "2020-02-25T00:00:00.000Z" });
    expect(await previewPolicy({ classification: "internal", eventType: null, keepDays: 11, action: "delete" }, NOW)).toEqual({ expired: 0, held: 0, cutoff: "2020-02-19T00:00:00.000Z" });
  });

  it("counts a draft type-specific policy over its type only", async () => {
    expect(await previewPolicy({ classification: "internal", eventType: "api_request", keepDays: 5, action: "delete" }, NOW)).toEqual({ expired: 1, held: 1, cutoff: "2020-02-25T00:00:00.000Z" });
    expect(await previewPolicy({ classification: "confidential", eventType: "user_action", keepDays: 5, action: "delete" }, NOW)).toMatchObject({ expired: 1, held: 0 });
    expect(await previewPolicy({ classification: "restricted", eventType: null, keepDays: 1, action: "delete" }, NOW)).toMatchObject({ expired: 0, held: 0 });
    // Anonymizing leaves rows that are already anonymous alone: "conf" has no link, so nothing to do.
    expect(await previewPolicy({ classification: "confidential", eventType: "user_action", keepDays: 5, action: "anonymize" }, NOW)).toMatchObject({ expired: 0, held: 0 });
    expect(await previewPolicy({ classification: "internal", eventType: "user_action", keepDays: 5, action: "anonymize" }, NOW)).toMatchObject({ expired: 1, held: 1 });
  });

  it("previews a saved policy being edited as it would be, not as it is", async () => {
    expect(await previewPolicy({ id: typed.id, classification: "internal", eventType: "api_request", keepDays: 30, action: "delete" }, NOW)).toMatchObject({ expired: 0, held: 0 });
    expect(await previewPolicy({ id: typed.id, classification: "internal", eventType: "api_request", keepDays: 10, action: "delete" }, NOW)).toEqual({ expired: 1, held: 1, cutoff: "2020-02-20T00:00:00.000Z" });
    // Turned into a general policy, it no longer keeps api_request events from itself.
    expect(await previewPolicy({ id: typed.id, classification: "internal", eventType: null, keepDays: 5, action: "delete" }, NOW)).toEqual({ expired: 3, held: 2, cutoff: "2020-02-25T00:00:00.000Z" });
  });

  it("agrees with what a run then does, and stops holding once the request is closed", async () => {
    await db().retentionPolicy.update({ where: { id: typed.id }, data: { keepDays: 5 } });
    expect(await previewPolicy({ id: typed.id, classification: "internal", eventType: "api_request", keepDays: 5, action: "delete" }, NOW)).toMatchObject({ expired: 1, held: 1 });
    const result = await runRetention({ now: NOW });
    expect(result.policies.find((p) => p.policyId === typed.id)).toMatchObject({ deleted: 1, held: 1 });
    expect(await previewPolicy({ id: typed.id, classification: "internal", eventType: "api_request", keepDays: 5, action: "delete" }, NOW)).toMatchObject({ expired: 0, held: 1 });

    await db().privacyRequest.updateMany({ where: { subjectPseudonym: H }, data: { status: "completed" } });
    expect(await previewPolicy({ id: typed.id, classification: "internal", eventType: "api_request", keepDays: 5, action: "delete" }, NOW)).toMatchObject({ expired: 1, held: 0 });
    expect(await previewPolicy({ classification: "internal", eventType: null, keepDays: 5, action: "delete" }, NOW)).toMatchObject({ expired: 3, held: 0 });
  });
});

describe("savePolicy and deletePolicy", () => {
  const input = (fields: Record<string, unknown>) => policySchema.parse({ name: "Public errors", classification: "public", eventType: "error", keepDays: "14", action: "delete", enabled: "on", ...fields });

  it("creates and updates a policy, each with its audit row", async () => {
    const created = await savePolicy(input({}), admin);
    expect(created).toMatchObject({ name: "Public errors", classification: "public", eventType: "error", keepDays: 14, action: "delete", enabled: true, lastRunAt: null });
    expect(await db().retentionPolicy.findUnique({ where: { id: created.id } })).toEqual(created);
    expect((await audits("retention_policy.create")).filter((a) => a.resourceId === created.id)).toEqual([
      expect.objectContaining({
        actorType: "user",
        actorId: ADMIN_ID,
        actorRole: "admin",
        resourceType: "retention_policy",
        outcome: "success",
        metadata: { classification: "public", eventType: "error", keepDays: 14, action: "delete", enabled: true },
      }),
    ]);

    const updated = await savePolicy(input({ id: created.id, name: "Public errors (short)", keepDays: "3", action: "anonymize", enabled: "" }), admin);
    expect(updated).toMatchObject({ id: created.id, name: "Public errors (short)", keepDays: 3, action: "anonymize", enabled: false });
    expect(await db().retentionPolicy.findUnique({ where: { id: created.id } })).toEqual(updated);
    expect((await audits("retention_policy.update")).filter((a) => a.resourceId === created.id).map((a) => a.metadata)).toEqual([
      { classification: "public", eventType: "error", keepDays: 3, action: "anonymize", enabled: false },
    ]);
    // Saving a policy unchanged is not a clash with itself.
    await expect(savePolicy(input({ id: created.id, name: "Public errors (short)", keepDays: "3", action: "anonymize", enabled: "" }), admin)).resolves.toMatchObject({ id: created.id });
  });

  it("refuses a second policy for the same classification and type, writing nothing", async () => {
    const before = await db().retentionPolicy.findMany({ orderBy: { id: "asc" } });
    const auditCount = await db().auditLog.count();

    await expectSafeError(savePolicy(input({ name: "More public", eventType: "" }), admin), "conflict", 'There is already a policy for public events ("Public events"); edit that one.');
    await expectSafeError(savePolicy(input({ name: "Public errors again", keepDays: "7" }), admin), "conflict", 'There is already a policy for public error events ("Public errors (short)"); edit that one.');
    // An existing policy edited into another one's place.
    const other = before.find((p) => p.classification === "restricted" && p.eventType === null)!;
    await expectSafeError(savePolicy(input({ id: other.id, name: other.name, classification: "public", eventType: "all" }), admin), "conflict");

    expect(await db().retentionPolicy.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect(await db().auditLog.count()).toBe(auditCount);
  });

  it("reports an unknown policy as not found, for update and delete, writing nothing", async () => {
    const before = await db().retentionPolicy.findMany({ orderBy: { id: "asc" } });
    const auditCount = await db().auditLog.count();
    await expectSafeError(savePolicy(input({ id: randomUUID(), classification: "confidential", eventType: "system" }), admin), "not_found", "That policy does not exist any more.");
    await expectSafeError(deletePolicy(randomUUID(), admin), "not_found", "That policy does not exist any more.");
    expect(await db().retentionPolicy.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect(await db().auditLog.count()).toBe(auditCount);
  });

  it("deletes a policy with an audit row", async () => {
    const created = await savePolicy(input({ name: "Restricted AI", classification: "restricted", eventType: "ai_interaction" }), admin);
    await deletePolicy(created.id, admin);
    expect(await db().retentionPolicy.findUnique({ where: { id: created.id } })).toBeNull();
    expect((await audits("retention_policy.delete")).filter((a) => a.resourceId === created.id)).toEqual([
      expect.objectContaining({ actorType: "user", outcome: "success", metadata: { classification: "restricted", eventType: "ai_interaction" } }),
    ]);
    await expectSafeError(deletePolicy(created.id, admin), "not_found");
  });
});

describe("startRetentionRun and retentionHistory", () => {
  it("starts one run at a time and lists runs newest first with who started them", async () => {
    const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: "Ada Admin", role: "admin" } });
    const ada: Actor = { type: "user", id: user.id, role: "admin" };

    const first = await startRetentionRun(ada);
    expect(first).toMatchObject({ kind: "retention", status: "queued", requestedById: user.id });
    const { rows } = await database().pool.query("SELECT name FROM pgboss.job WHERE id = $1", [first.id]);
    expect(rows).toEqual([{ name: "retention" }]);
    expect((await startRetentionRun(null)).id).toBe(first.id);
    expect((await startRetentionRun(ada)).id).toBe(first.id);
    const [a, b] = await Promise.all([startRetentionRun(null), startRetentionRun(ada)]);
    expect([a.id, b.id]).toEqual([first.id, first.id]);
    await db().job.update({ where: { id: first.id }, data: { status: "running", startedAt: new Date() } });
    expect((await startRetentionRun(null)).id).toBe(first.id);
    expect(await db().job.count({ where: { kind: "retention" } })).toBe(1);
    expect((await audits("retention.run_now")).map((r) => r.actorId)).toEqual([user.id]);

    const result = { ranAt: NOW.toISOString(), partitionsDropped: [], rowsInDroppedPartitions: 0, policies: [] };
    await db().job.update({ where: { id: first.id }, data: { status: "succeeded", finishedAt: new Date(), result, createdAt: new Date(Date.now() - 2 * 3_600_000) } });
    const gone = await db().job.create({ data: { kind: "retention", status: "failed", error: "It broke.", requestedById: randomUUID(), createdAt: new Date(Date.now() - 3 * 3_600_000) } });
    await db().job.create({ data: { kind: "erasure", status: "queued" } });

    const second = await startRetentionRun(null);
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ kind: "retention", status: "queued", requestedById: null });
    expect(await audits("retention.run_now")).toHaveLength(1);

    const history = await retentionHistory();
    expect(history.map((h) => [h.id, h.status, h.trigger])).toEqual([
      [second.id, "queued", "daily schedule"],
      [first.id, "succeeded", "run now by Ada Admin"],
      [gone.id, "failed", "run now by a deleted user"],
    ]);
    expect(history[1]).toMatchObject({ result, error: null });
    expect(history[1]!.finishedAt).toBeInstanceOf(Date);
    expect(history[2]).toMatchObject({ result: null, error: "It broke.", finishedAt: null });
    expect((await retentionHistory(2)).map((h) => h.id)).toEqual([second.id, first.id]);
  });
});
