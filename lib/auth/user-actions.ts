"use server";

import { defineAction } from "./define-action";
import { inviteUserSchema, setRoleSchema, subjectLinkSchema, userIdSchema } from "./user-schemas";
import { inviteUser, linkSubject, setRoleById, unlinkSubject } from "./users";

export const inviteUserAction = defineAction(
  { name: "user.invite", permission: "users.manage", schema: inviteUserSchema, resourceType: "user" },
  async (input, { actor }) => {
    const { user, password } = await inviteUser(input, actor);
    // Shown once on the page that invited them; never stored in the clear.
    return { id: user.id, email: user.email, password };
  },
);

export const setUserRoleAction = defineAction(
  { name: "user.set_role", permission: "users.manage", schema: setRoleSchema, resourceType: "user" },
  async ({ id, role }, { actor }) => (await setRoleById(id, role, actor)).role,
);

export const linkSubjectAction = defineAction(
  { name: "user.link_subject", permission: "users.manage", schema: subjectLinkSchema, resourceType: "user" },
  async ({ id, subject }, { actor }) => {
    await linkSubject(id, subject, actor);
    return true;
  },
);

export const unlinkSubjectAction = defineAction(
  { name: "user.unlink_subject", permission: "users.manage", schema: userIdSchema, resourceType: "user" },
  async ({ id }, { actor }) => {
    await unlinkSubject(id, actor);
    return true;
  },
);
