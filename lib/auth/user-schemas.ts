import { z } from "zod";
import { ROLES } from "./roles";

// Pure definitions shared by the Users page (client) and lib/auth/users.ts (server).
export const subjectLinkSchema = z.object({
  id: z.string().uuid("Unknown user"),
  subject: z.string("Give the application user id").trim().min(1, "Give the application user id").max(256, "The application user id is at most 256 characters"),
});

export const inviteUserSchema = z.object({
  email: z.string().trim().toLowerCase().email("Give a valid e-mail address"),
  displayName: z.string().trim().min(1, "Give a name").max(120, "Keep the name under 120 characters"),
  role: z.enum(ROLES, "Choose a role"),
  subject: z.string().trim().max(256, "The application user id is at most 256 characters").optional(),
});

export const setRoleSchema = z.object({ id: z.string().uuid("Unknown user"), role: z.enum(ROLES, "Choose a role") });
export const userIdSchema = z.object({ id: z.string().uuid("Unknown user") });
