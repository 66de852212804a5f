// The roles people have. What each role may do is lib/auth/permissions.ts.
// Pure data: safe to import from client components.
export const ROLES = ["admin", "data_scientist", "end_user"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  data_scientist: "Data scientist",
  end_user: "End user",
};

/** Where a role lands after signing in. */
export function homeFor(role: Role): string {
  if (role === "admin") return "/admin";
  if (role === "data_scientist") return "/admin/models";
  return "/privacy";
}
