import { describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { database, db } from "../db/client";
import { ingestEvents } from "../ingest/ingest";
import { ruleInputSchema } from "./rule-schema";
import { DRAFT_SUFFIX, testSampleEvent } from "./rule-tester";
import { createRule, deleteRule, setRuleEnabled } from "./rules";

// The tester against the saved rules: enabled rules apply, disabled ones do not, the rule being
// edited replaces its saved version, hash tokens cannot be compared with stored ones, nothing is stored.

const CLI: Actor = { type: "cli" };
const rule = (over: Record<string, unknown>) => ruleInputSchema.parse({ name: "Ticket ids", matchRegex: "ZX-\\d+", level: "internal", categories: "business.ticket", action: "redact", ...over });
const sample = (message: string, id?: string) => JSON.stringify({ ...(id ? { id } : {}), type: "system", name: "note", message });

async function counts() {
  const { rows } = await database().pool.query<{ logs: number; audit: number; subjects: number }>(
    "SELECT (SELECT count(*)::int FROM system_logs) AS logs, (SELECT count(*)::int FROM audit_log) AS audit, (SELECT count(*)::int FROM subjects) AS subjects",
  );
  return rows[0];
}

describe("testSampleEvent", () => {
  it("applies the enabled rules only, and stores nothing", async () => {
    const saved = await createRule(rule({}), CLI);
    const before = await counts();
    const on = await testSampleEvent({ sample: JSON.stringify({ type: "system", name: "note", subject: "user-7", message: "ticket ZX-12" }) });
    expect(on).toMatchObject({ kind: "stored", rules: [{ rule: "Ticket ids", path: "message", action: "redact" }], stored: { message: "ticket [REDACTED]" } });
    await setRuleEnabled(saved.id, false, CLI);
    const afterToggle = await counts();
    const off = await testSampleEvent({ sample: sample("ticket ZX-12") });
    expect(off).toMatchObject({ kind: "stored", rules: [], stored: { message: "ticket ZX-12" } });
    expect(await counts()).toEqual(afterToggle);
    expect(afterToggle).toEqual({ ...before!, audit: before!.audit + 1 });
    await deleteRule(saved.id, CLI);
  });

  it("tests the rule being edited in place of its saved version, even if disabled", async () => {
    const saved = await createRule(rule({ name: "Tickets" }), CLI);
    await setRuleEnabled(saved.id, false, CLI);
    const result = await testSampleEvent({ sample: sample("ticket ZX-12"), draft: { ...rule({ name: "Tickets", action: "drop_event" }), id: saved.id } });
    expect(result).toMatchObject({ kind: "dropped", droppedBy: `Tickets${DRAFT_SUFFIX}`, notes: expect.arrayContaining([expect.stringContaining("at its saved place")]) });
    await deleteRule(saved.id, CLI);
  });

  it("runs a draft whose regex would backtrack catastrophically in JavaScript on a long sample, in linear time", async () => {
    const started = performance.now();
    const result = await testSampleEvent({ sample: sample(`${"a".repeat(10_000)}!`), draft: rule({ name: "Runs of a", matchRegex: "(a+)+$" }) });
    expect(result).toMatchObject({ kind: "stored", rules: [] });
    expect((await testSampleEvent({ sample: sample(`${"a".repeat(10_000)}`), draft: rule({ name: "Runs of a", matchRegex: "(a+)+$" }) })).kind).toBe("stored");
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("hashes with a throwaway key, so its tokens cannot be looked up among stored events", async () => {
    const id = `evt-${Date.now()}`;
    await ingestEvents([{ id, type: "system", timestamp: new Date().toISOString(), name: "note", message: "bob@example.org" }], { apiKeyId: null, ip: null, userAgent: null });
    const { rows } = await database().pool.query<{ message: string }>("SELECT message FROM system_logs WHERE event_id = $1", [id]);
    const storedToken = rows[0]!.message;
    expect(storedToken).toMatch(/^\[EMAIL:[0-9a-f]{12}\]$/);
    const first = await testSampleEvent({ sample: sample("bob@example.org and bob@example.org") });
    const second = await testSampleEvent({ sample: sample("bob@example.org") });
    if (first.kind !== "stored" || second.kind !== "stored") throw new Error("expected stored results");
    const [a, b] = String(first.stored!.message).split(" and ");
    expect(a).toMatch(/^\[EMAIL:[0-9a-f]{12}\]$/);
    expect(a).toBe(b);
    expect(a).not.toBe(storedToken);
    expect(second.stored!.message).not.toBe(a);
    expect(await db().systemLog.count({ where: { eventId: { startsWith: "test-" } } })).toBe(0);
  });
});
