import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { db } from "../db/client";
import { pseudonymFor } from "../privacy/pseudonym";
import { expectSafeError } from "@/test/support/errors";
import { verifyPassword } from "./password";
import { inviteUser, linkSubject, listUsers, setRoleById, unlinkSubject } from "./users";

// The Users page's operations: invite with a one-time password, role changes, links to subjects.
async function admin(): Promise<Actor & { type: "user" }> {
  const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: "Admin", role: "admin" } });
  return { type: "user", id: user.id, role: "admin" };
}

describe("users", () => {
  it("invites with a one-time password stored only as a hash, linked to the application user id, audited without either", async () => {
    const me = await admin();
    const email = `${randomUUID()}@example.test`;
    const { user, password } = await inviteUser({ email, displayName: "Pat", role: "end_user", subject: "app-user-900" }, me);
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(await verifyPassword(password, user.passwordHash!)).toBe(true);
    expect(user.subjectPseudonym).toBe(pseudonymFor("app-user-900"));
    const listed = (await listUsers()).find((u) => u.id === user.id);
    expect(listed).toMatchObject({ linked: true, subject: "app-user-900" });
    const audit = await db().auditLog.findMany({ where: { resourceId: user.id } });
    expect(audit.map((a) => a.action)).toEqual(["user.create"]);
    expect(JSON.stringify(audit.map((a) => a.metadata))).not.toMatch(/app-user|@|Pat/);
    // The same application user cannot be linked to a second account.
    await expectSafeError(inviteUser({ email: `${randomUUID()}@example.test`, displayName: "Twin", role: "end_user", subject: "app-user-900" }, me), "conflict");
  });

  it("changes roles (never one's own, never a linked end user's to staff) and ends the user's sessions", async () => {
    const me = await admin();
    const { user } = await inviteUser({ email: `${randomUUID()}@example.test`, displayName: "Sam", role: "end_user" }, me);
    await db().authSession.create({ data: { userId: user.id, tokenHash: randomUUID(), expiresAt: new Date(Date.now() + 3_600_000) } });
    await expectSafeError(setRoleById(me.id, "end_user", me), "conflict");
    expect((await setRoleById(user.id, "data_scientist", me)).role).toBe("data_scientist");
    expect(await db().authSession.count({ where: { userId: user.id } })).toBe(0);
    await expectSafeError(linkSubject(user.id, "app-user-901", me), "invalid");

    const linked = (await inviteUser({ email: `${randomUUID()}@example.test`, displayName: "Lin", role: "end_user", subject: "app-user-902" }, me)).user;
    await expectSafeError(setRoleById(linked.id, "admin", me), "conflict");
    await unlinkSubject(linked.id, me);
    await expectSafeError(unlinkSubject(linked.id, me), "conflict");
    await linkSubject(linked.id, "app-user-903", me);
    expect((await db().user.findUniqueOrThrow({ where: { id: linked.id } })).subjectPseudonym).toBe(pseudonymFor("app-user-903"));
    const actions = (await db().auditLog.findMany({ where: { resourceId: linked.id }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["user.create", "user.unlink_subject", "user.link_subject"]);
  });
});
