import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { database, db } from "../db/client";
import { overrideEnv } from "../env";
import { ingestEvents } from "../ingest/ingest";
import type { WireEvent } from "@clearlog/sdk";
import { invalidateRuleCache } from "./rule-cache";
import { ruleInputSchema, type RuleInput } from "./rule-schema";
import { createRule, deleteRule, listRules, moveRule, setRuleEnabled, updateRule } from "./rules";

// Classification rules against a real database: every change audited in its transaction, priorities
// unique, refused input leaves nothing behind, and a change reaches the very next ingested event.

const CLI: Actor = { type: "cli" };
const ctx = { apiKeyId: null, ip: null, userAgent: null };
let seq = 0;
const uniq = () => `${Date.now().toString(36)}-${seq++}`;

const input = (over: Partial<Record<keyof RuleInput, unknown>> = {}): RuleInput =>
  ruleInputSchema.parse({ name: `Rule ${uniq()}`, matchRegex: "ZX-\\d+", level: "internal", categories: "business.ticket", action: "redact", ...over });

async function lastAuditId(): Promise<bigint> {
  return (await db().auditLog.aggregate({ _max: { id: true } }))._max.id ?? 0n;
}
const auditSince = (id: bigint) => db().auditLog.findMany({ where: { id: { gt: id } }, orderBy: { id: "asc" } });

async function storedMessage(eventId: string): Promise<string | undefined> {
  const { rows } = await database().pool.query<{ message: string }>("SELECT message FROM system_logs WHERE event_id = $1", [eventId]);
  return rows[0]?.message;
}

async function ingestNote(message: string): Promise<string | undefined> {
  const e: WireEvent = { id: `evt-${uniq()}`, type: "system", timestamp: new Date().toISOString(), name: "note", message };
  await ingestEvents([e], ctx);
  return storedMessage(e.id);
}

async function expectUniquePriorities() {
  const priorities = (await listRules()).map((r) => r.priority);
  expect(new Set(priorities).size).toBe(priorities.length);
  return priorities;
}

let restoreEnv: (() => void) | undefined;
beforeEach(() => {
  // A long cache: only an explicit invalidation can make a change visible to the next batch.
  restoreEnv = overrideEnv({ CLEARLOG_RULES_CACHE_MS: "60000" });
  invalidateRuleCache();
});
afterEach(() => restoreEnv?.());

describe("createRule", () => {
  it("stores the rule last in the order, enabled, with an audit row in its transaction", async () => {
    const before = await lastAuditId();
    const highest = Math.max(...(await listRules()).map((r) => r.priority));
    const rule = await createRule(input({ name: "Ticket ids", description: "Support ticket numbers" }), CLI);
    expect(rule).toMatchObject({ name: "Ticket ids", description: "Support ticket numbers", priority: highest + 10, enabled: true, matchRegex: "ZX-\\d+", categories: ["business.ticket"] });
    const audit = await auditSince(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "classification_rule.create", resourceType: "classification_rule", resourceId: rule.id, outcome: "success", actorType: "cli",
      metadata: { name: "Ticket ids", action: "redact", level: "internal", priority: highest + 10 },
    });
    await deleteRule(rule.id, CLI);
  });

  it("takes effect at the next ingested event", async () => {
    const marker = `QX-${Date.now()}`;
    expect(await ingestNote(`ticket ${marker}`)).toBe(`ticket ${marker}`);
    const rule = await createRule(input({ matchRegex: "QX-\\d+" }), CLI);
    expect(await ingestNote(`ticket ${marker}`)).toBe("ticket [REDACTED]");
    await deleteRule(rule.id, CLI);
    expect(await ingestNote(`ticket ${marker}`)).toBe(`ticket ${marker}`);
  });

  it("refuses a regex RE2 cannot run, naming the construct, and writes nothing", async () => {
    const [rules, before] = [await listRules(), await lastAuditId()];
    // Not through the schema (which refuses it too): createRule checks on its own.
    await expect(createRule({ ...input(), matchRegex: "(a)\\1" }, CLI)).rejects.toThrow(/^The regex uses a backreference `\\1`, which RE2 does not support/);
    expect(await listRules()).toEqual(rules);
    expect(await auditSince(before)).toEqual([]);
  });

  it("gives concurrent creates distinct priorities", async () => {
    const created = await Promise.all([1, 2, 3, 4].map(() => createRule(input(), CLI)));
    await expectUniquePriorities();
    for (const rule of created) await deleteRule(rule.id, CLI);
  });
});

describe("updateRule", () => {
  it("saves the changed fields, audits their names (not their values), and applies at ingest", async () => {
    const rule = await createRule(input({ matchRegex: "UPD-\\d+" }), CLI);
    expect(await ingestNote("case UPD-1")).toBe("case [REDACTED]");
    const before = await lastAuditId();
    const { rule: saved, changed } = await updateRule({ ...input({ name: rule.name, matchRegex: "UPD-\\d+", action: "drop_event", categories: "business.ticket" }), id: rule.id, version: rule.updatedAt }, CLI);
    expect(changed).toEqual(["action"]);
    expect(saved).toMatchObject({ id: rule.id, action: "drop_event", priority: rule.priority });
    expect(saved.updatedAt).not.toBe(rule.updatedAt);
    const audit = await auditSince(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "classification_rule.update", resourceId: rule.id, metadata: { name: rule.name, action: "drop_event", level: "internal", changed: ["action"] } });
    expect(JSON.stringify(audit[0]!.metadata)).not.toContain("UPD-");

    const e: WireEvent = { id: `evt-${uniq()}`, type: "system", timestamp: new Date().toISOString(), name: "note", message: "case UPD-2" };
    expect((await ingestEvents([e], ctx)).results[0]).toEqual({ id: e.id, status: "dropped", reason: `rule "${rule.name}"` });
    await deleteRule(rule.id, CLI);
  });

  it("refuses an edit made over a newer change, and writes nothing", async () => {
    const rule = await createRule(input(), CLI);
    const first = await updateRule({ ...input({ name: `${rule.name} v2` }), id: rule.id, version: rule.updatedAt }, CLI);
    const before = await lastAuditId();
    await expect(updateRule({ ...input({ name: `${rule.name} v3` }), id: rule.id, version: rule.updatedAt }, CLI)).rejects.toThrow(/Someone changed this rule after you opened it/);
    expect((await listRules()).find((r) => r.id === rule.id)?.name).toBe(first.rule.name);
    expect(await auditSince(before)).toEqual([]);
    await deleteRule(rule.id, CLI);
  });

  it("writes no audit row when nothing changed", async () => {
    const rule = await createRule(input({ name: "Unchanged" }), CLI);
    const before = await lastAuditId();
    const result = await updateRule({ ...input({ name: "Unchanged" }), id: rule.id, version: rule.updatedAt }, CLI);
    expect(result.changed).toEqual([]);
    expect(await auditSince(before)).toEqual([]);
    await deleteRule(rule.id, CLI);
  });

  it("says when the rule is gone", async () => {
    const rule = await createRule(input(), CLI);
    await deleteRule(rule.id, CLI);
    await expect(updateRule({ ...input(), id: rule.id, version: rule.updatedAt }, CLI)).rejects.toThrow("That rule no longer exists.");
  });
});

describe("setRuleEnabled", () => {
  it("disables and enables with audit rows, and ingestion follows", async () => {
    const rule = await createRule(input({ matchRegex: "ENA-\\d+" }), CLI);
    const before = await lastAuditId();
    expect(await setRuleEnabled(rule.id, false, CLI)).toEqual({ changed: true });
    expect(await ingestNote("id ENA-7")).toBe("id ENA-7");
    expect(await setRuleEnabled(rule.id, false, CLI)).toEqual({ changed: false });
    expect(await setRuleEnabled(rule.id, true, CLI)).toEqual({ changed: true });
    expect(await ingestNote("id ENA-7")).toBe("id [REDACTED]");
    expect((await auditSince(before)).map((a) => [a.action, a.resourceId])).toEqual([
      ["classification_rule.disable", rule.id],
      ["classification_rule.enable", rule.id],
    ]);
    // The state is not the rule's content: an editor's version stays valid.
    expect((await listRules()).find((r) => r.id === rule.id)?.updatedAt.toISOString()).toBe(rule.updatedAt);
    await deleteRule(rule.id, CLI);
  });

  it("re-checks the regex of a rule written outside the console before enabling it", async () => {
    const linear = await db().classificationRule.create({ data: { name: "Hand-made linear", priority: 9998, enabled: false, matchRegex: "(a+)+$", level: "internal", action: "redact" } });
    expect(await setRuleEnabled(linear.id, true, CLI)).toEqual({ changed: true });
    await deleteRule(linear.id, CLI);
    const row = await db().classificationRule.create({ data: { name: "Hand-made", priority: 9999, enabled: false, matchRegex: "x(?!y)", level: "internal", action: "redact" } });
    const before = await lastAuditId();
    await expect(setRuleEnabled(row.id, true, CLI)).rejects.toThrow(/^The regex uses a negative lookahead `\(\?!…\)`/);
    expect((await db().classificationRule.findUniqueOrThrow({ where: { id: row.id } })).enabled).toBe(false);
    expect(await auditSince(before)).toEqual([]);
    await deleteRule(row.id, CLI);
  });
});

describe("moveRule", () => {
  it("swaps a rule with its neighbour, renumbers 10, 20, 30 … and audits the move", async () => {
    const [a, b] = [await createRule(input({ name: "Move A" }), CLI), await createRule(input({ name: "Move B" }), CLI)];
    const before = await lastAuditId();
    const result = await moveRule(b.id, "up", CLI);
    const rules = await listRules();
    const priorities = await expectUniquePriorities();
    expect(priorities).toEqual(rules.map((_, i) => (i + 1) * 10));
    const names = rules.map((r) => r.name);
    expect(names.indexOf("Move B")).toBe(names.indexOf("Move A") - 1);
    expect(result).toEqual({ moved: true, priority: rules.find((r) => r.id === b.id)!.priority });
    const audit = await auditSince(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "classification_rule.reorder", resourceId: b.id, metadata: { direction: "up", from: b.priority, to: result.priority, swappedWith: a.id } });

    await moveRule(b.id, "down", CLI);
    const again = (await listRules()).map((r) => r.name);
    expect(again.indexOf("Move B")).toBe(again.indexOf("Move A") + 1);
    await deleteRule(a.id, CLI);
    await deleteRule(b.id, CLI);
  });

  it("changes the order ingestion applies", async () => {
    const hash = await createRule(input({ name: "Order hash", matchRegex: "ORD-\\d+", action: "hash" }), CLI);
    const drop = await createRule(input({ name: "Order redact", matchRegex: "ORD-\\d+", action: "redact" }), CLI);
    expect(await ingestNote("ORD-1")).toMatch(/^\[HASH:[0-9a-f]{12}\]$/);
    await moveRule(drop.id, "up", CLI);
    expect(await ingestNote("ORD-1")).toBe("[REDACTED]");
    await deleteRule(hash.id, CLI);
    await deleteRule(drop.id, CLI);
  });

  it("leaves the first rule first and the last rule last, without an audit row", async () => {
    const rules = await listRules();
    const before = await lastAuditId();
    expect(await moveRule(rules[0]!.id, "up", CLI)).toEqual({ moved: false, priority: rules[0]!.priority });
    expect(await moveRule(rules.at(-1)!.id, "down", CLI)).toEqual({ moved: false, priority: rules.at(-1)!.priority });
    expect(await auditSince(before)).toEqual([]);
  });

  it("keeps priorities unique under concurrent moves", async () => {
    const rules = await listRules();
    await Promise.all([moveRule(rules[3]!.id, "up", CLI), moveRule(rules[4]!.id, "up", CLI), moveRule(rules[2]!.id, "down", CLI), moveRule(rules[5]!.id, "up", CLI)]);
    const priorities = await expectUniquePriorities();
    expect(priorities).toHaveLength(rules.length);
  });
});

describe("deleteRule", () => {
  it("removes the rule with an audit row and says when it is already gone", async () => {
    const rule = await createRule(input({ name: "Delete me" }), CLI);
    const before = await lastAuditId();
    await deleteRule(rule.id, CLI);
    expect((await listRules()).some((r) => r.id === rule.id)).toBe(false);
    expect(await auditSince(before)).toMatchObject([{ action: "classification_rule.delete", resourceId: rule.id, metadata: { name: "Delete me", action: "redact", level: "internal" } }]);
    await expect(deleteRule(rule.id, CLI)).rejects.toThrow("That rule no longer exists.");
  });
});
