import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { writeAudit, type Actor } from "../audit/audit";
import { db } from "../db/client";
import { transaction, type PrismaTx } from "../db/transaction";
import { SafeError } from "../errors";
import { linkSubject as writeSubjectLink } from "../privacy/pseudonym";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password";
import { ROLES, type Role } from "./roles";
import { inviteUserSchema, subjectLinkSchema } from "./user-schemas";

// Accounts: created by the CLI or invited on the Users page, given a role, and (end users) linked to
// the application's user id so the privacy center finds their data. Every change is audited in its
// transaction; the audit never holds the e-mail or the application's user id.
export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().email("must be a valid email address"),
  displayName: z.string().trim().min(1, "is required").max(120),
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(", ")}` }),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
  /** the application's user id this person is known by (end users) */
  subject: subjectLinkSchema.shape.subject.optional(),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

async function linkFor(tx: PrismaTx, role: Role, subject: string | undefined) {
  if (!subject) return null;
  if (role !== "end_user") throw new SafeError("Only an end user's account can be linked to an application user id.", "invalid", { field: "subject" });
  const pseudonym = await writeSubjectLink(tx, subject);
  const other = await tx.user.findFirst({ where: { subjectPseudonym: pseudonym }, select: { id: true } });
  if (other) throw new SafeError("Another account is already linked to that application user id.", "conflict", { field: "subject" });
  return pseudonym;
}

export async function createUser(input: CreateUserInput, actor: Actor) {
  const passwordHash = await hashPassword(input.password);
  return transaction(async (tx) => {
    const taken = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (taken) throw new SafeError("A user with that email already exists.", "conflict", { field: "email" });
    const subjectPseudonym = await linkFor(tx, input.role, input.subject);
    const user = await tx.user.create({ data: { email: input.email, displayName: input.displayName, role: input.role, passwordHash, subjectPseudonym } });
    await writeAudit({ actor, action: "user.create", resourceType: "user", resourceId: user.id, outcome: "success", metadata: { role: input.role, linked: Boolean(subjectPseudonym) } }, tx);
    return user;
  });
}

/** Invites a local account: a one-time password, returned once, which the person changes by signing in and back. */
export async function inviteUser(input: z.infer<typeof inviteUserSchema>, actor: Actor) {
  const password = randomBytes(12).toString("base64url");
  const user = await createUser({ ...input, password, subject: input.subject || undefined }, actor);
  return { user, password };
}

export async function setUserRole(email: string, role: Role, actor: Actor) {
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
  if (!user) throw new SafeError("No user with that email.", "not_found");
  return setRoleById(user.id, role, actor);
}

export async function setRoleById(id: string, role: Role, actor: Actor) {
  if (actor.type === "user" && actor.id === id) throw new SafeError("You cannot change your own role; ask another admin.", "conflict", { field: "role" });
  return transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id } });
    if (!user) throw new SafeError("No such user.", "not_found");
    if (role !== "end_user" && user.subjectPseudonym) throw new SafeError("Unlink the application user id before giving this account a staff role.", "conflict", { field: "role" });
    const updated = await tx.user.update({ where: { id }, data: { role } });
    // A role change ends the user's sessions so the new role applies at once.
    await tx.authSession.deleteMany({ where: { userId: id } });
    await writeAudit({ actor, action: "user.set_role", resourceType: "user", resourceId: id, outcome: "success", metadata: { from: user.role, to: role } }, tx);
    return updated;
  });
}

/** Links an end user's account to the application's user id (replacing an earlier link). */
export async function linkSubject(id: string, subject: string, actor: Actor) {
  return transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id } });
    if (!user) throw new SafeError("No such user.", "not_found");
    const pseudonym = await writeSubjectLink(tx, subject);
    if (user.subjectPseudonym === pseudonym) return user;
    const subjectPseudonym = await linkFor(tx, user.role, subject);
    const updated = await tx.user.update({ where: { id }, data: { subjectPseudonym } });
    await writeAudit({ actor, action: "user.link_subject", resourceType: "user", resourceId: id, outcome: "success", metadata: { replaced: Boolean(user.subjectPseudonym) } }, tx);
    return updated;
  });
}

export async function unlinkSubject(id: string, actor: Actor) {
  return transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id } });
    if (!user) throw new SafeError("No such user.", "not_found");
    if (!user.subjectPseudonym) throw new SafeError("This account is not linked to an application user id.", "conflict");
    const updated = await tx.user.update({ where: { id }, data: { subjectPseudonym: null } });
    await writeAudit({ actor, action: "user.unlink_subject", resourceType: "user", resourceId: id, outcome: "success" }, tx);
    return updated;
  });
}

/** The Users page: every account, with the application user id it is linked to. */
export async function listUsers() {
  const users = await db().user.findMany({
    orderBy: [{ role: "asc" }, { email: "asc" }],
    take: 500,
    select: { id: true, email: true, displayName: true, role: true, provider: true, subjectPseudonym: true, disabledAt: true, createdAt: true },
  });
  const pseudonyms = users.map((u) => u.subjectPseudonym).filter((p): p is string => Boolean(p));
  const subjects = pseudonyms.length ? await db().subject.findMany({ where: { pseudonym: { in: pseudonyms } }, select: { pseudonym: true, externalId: true } }) : [];
  const ids = new Map(subjects.map((s) => [s.pseudonym, s.externalId]));
  return users.map(({ subjectPseudonym, ...u }) => ({ ...u, linked: Boolean(subjectPseudonym), subject: subjectPseudonym ? (ids.get(subjectPseudonym) ?? null) : null }));
}
