import "server-only";
import { z } from "zod";
import { writeAudit, type Actor } from "../audit/audit";
import { transaction } from "../db/transaction";
import { SafeError } from "../errors";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password";
import { ROLES } from "./roles";

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().email("must be a valid email address"),
  displayName: z.string().trim().min(1, "is required").max(120),
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(", ")}` }),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
  subjectPseudonym: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export async function createUser(input: CreateUserInput, actor: Actor) {
  const passwordHash = await hashPassword(input.password);
  return transaction(async (tx) => {
    const taken = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (taken) throw new SafeError("A user with that email already exists.", "conflict");
    const user = await tx.user.create({
      data: {
        email: input.email,
        displayName: input.displayName,
        role: input.role,
        passwordHash,
        subjectPseudonym: input.subjectPseudonym ?? null,
      },
    });
    await writeAudit({ actor, action: "user.create", resourceType: "user", resourceId: user.id, outcome: "success", metadata: { role: input.role } }, tx);
    return user;
  });
}

export async function setUserRole(email: string, role: (typeof ROLES)[number], actor: Actor) {
  return transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: email.trim().toLowerCase() } });
    if (!user) throw new SafeError("No user with that email.", "not_found");
    const updated = await tx.user.update({ where: { id: user.id }, data: { role } });
    // A role change ends the user's sessions so the new role applies at once.
    await tx.authSession.deleteMany({ where: { userId: user.id } });
    await writeAudit({ actor, action: "user.set_role", resourceType: "user", resourceId: user.id, outcome: "success", metadata: { from: user.role, to: role } }, tx);
    return updated;
  });
}
