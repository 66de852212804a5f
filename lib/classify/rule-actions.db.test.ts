import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "../auth/session-user";
import { db } from "../db/client";

// The server actions through the real action chain (defineAction): admins only, input validated by
// the shared schema before anything runs, refusals audited, refused input writing nothing.
// Only the session lookup is replaced; everything behind it is real.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("../auth/current-user", () => ({ getCurrentUser: async () => session.user }));

const { createRuleAction, deleteRuleAction, moveRuleAction, previewRuleAction, setRuleEnabledAction, testEventAction } = await import("./rule-actions");

const person = (role: SessionUser["role"], id: string): SessionUser => ({ id, email: `${role}@example.test`, displayName: role, role, provider: "local", subjectPseudonym: null });
let admin: SessionUser;
let scientist: SessionUser;

const form = (over: Record<string, unknown> = {}) => ({ name: "Ticket ids", description: "", matchEventType: "", matchFieldPath: "", matchRegex: "ZX-\\d+", matchDetector: "", level: "internal", categories: "business.ticket", action: "redact", ...over });
const lastAuditId = async () => (await db().auditLog.aggregate({ _max: { id: true } }))._max.id ?? 0n;
const auditSince = (id: bigint) => db().auditLog.findMany({ where: { id: { gt: id } }, orderBy: { id: "asc" } });

beforeAll(async () => {
  const a = await db().user.create({ data: { email: "rules-admin@example.test", displayName: "Rules Admin", role: "admin" } });
  const s = await db().user.create({ data: { email: "rules-ds@example.test", displayName: "Data Scientist", role: "data_scientist" } });
  admin = person("admin", a.id);
  scientist = person("data_scientist", s.id);
});
beforeEach(() => {
  session.user = admin;
});

describe("rule actions", () => {
  it("refuses other roles, audits the refusal and writes nothing else", async () => {
    session.user = scientist;
    const [rules, before] = [await db().classificationRule.count(), await lastAuditId()];
    expect(await createRuleAction(form())).toEqual({ ok: false, error: "You do not have access to this." });
    expect(await testEventAction({ sample: "{}" })).toEqual({ ok: false, error: "You do not have access to this." });
    expect(await db().classificationRule.count()).toBe(rules);
    expect((await auditSince(before)).map((a) => [a.action, a.outcome, a.actorId])).toEqual([
      ["classification_rule.create", "denied", scientist.id],
      ["classification_rule.test", "denied", scientist.id],
    ]);
  });

  it("asks strangers to sign in", async () => {
    session.user = null;
    expect(await deleteRuleAction({ id: "00000000-0000-4000-8000-000000000000" })).toEqual({ ok: false, error: "Your session has ended. Sign in again." });
  });

  it("validates with the shared schema before anything runs: field errors, nothing written", async () => {
    const [rules, before] = [await db().classificationRule.count(), await lastAuditId()];
    const result = await createRuleAction(form({ matchRegex: "ZX-(?=\\d)", categories: "Bad Category" }));
    expect(result).toMatchObject({ ok: false, fieldErrors: { matchRegex: expect.stringContaining("uses a lookahead `(?=…)`"), categories: expect.stringContaining('"Bad Category"') } });
    expect(await db().classificationRule.count()).toBe(rules);
    expect(await auditSince(before)).toEqual([]);
  });

  it("creates, reorders, disables and deletes for an admin, each audited under the admin", async () => {
    const before = await lastAuditId();
    const created = await createRuleAction(form({ name: "Action rule" }));
    if (!created.ok) throw new Error(created.error);
    expect(await moveRuleAction({ id: created.data.id, direction: "up" })).toMatchObject({ ok: true, data: { moved: true } });
    expect(await setRuleEnabledAction({ id: created.data.id, enabled: false })).toEqual({ ok: true, data: { changed: true } });
    expect(await deleteRuleAction({ id: created.data.id })).toEqual({ ok: true, data: { id: created.data.id } });
    expect((await auditSince(before)).map((a) => [a.action, a.outcome, a.actorId, a.resourceId])).toEqual(
      ["create", "reorder", "disable", "delete"].map((action) => [`classification_rule.${action}`, "success", admin.id, created.data.id]),
    );
  });

  it("reports a refused change as a message, audited as a failure", async () => {
    // Written into the database by hand, so no schema saw it: enabling it compiles it first.
    const row = await db().classificationRule.create({ data: { name: "Hand-made", priority: 9999, enabled: false, matchRegex: "(a)\\1", level: "internal", action: "redact" } });
    const before = await lastAuditId();
    expect(await setRuleEnabledAction({ id: row.id, enabled: true })).toEqual({ ok: false, error: expect.stringMatching(/^The regex uses a backreference `\\1`, which RE2 does not support/) });
    expect(await auditSince(before)).toMatchObject([{ action: "classification_rule.set_enabled", outcome: "failure", metadata: { error: "invalid" } }]);
    await db().classificationRule.delete({ where: { id: row.id } });
  });

  it("runs the tester and the preview as reads, without audit rows", async () => {
    const before = await lastAuditId();
    expect(await testEventAction({ sample: '{"type": "system", "name": "n", "message": "ticket ZX-1"}', draft: form() })).toMatchObject({ ok: true, data: { kind: "stored", stored: { message: "ticket [REDACTED]" } } });
    expect(await testEventAction({ sample: "{" })).toMatchObject({ ok: true, data: { kind: "invalid" } });
    expect(await previewRuleAction(form())).toMatchObject({ ok: true, data: { kind: "ok" } });
    expect(await auditSince(before)).toEqual([]);
  });
});
