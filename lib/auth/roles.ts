// Who may see which part of the product. Used by the server guards and to draw the navigation,
// so the two cannot disagree. Pure data: safe to import from client components.
export const ROLES = ["admin", "data_scientist", "end_user"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  data_scientist: "Data scientist",
  end_user: "End user",
};

export const CONSOLE_ROLES: readonly Role[] = ["admin", "data_scientist"];

export interface ConsoleSection {
  href: string;
  label: string;
  roles: readonly Role[];
}

export const CONSOLE_SECTIONS: readonly ConsoleSection[] = [
  { href: "/admin", label: "Dashboard", roles: ["admin"] },
  { href: "/admin/logs", label: "Logs", roles: ["admin", "data_scientist"] },
  { href: "/admin/privacy-requests", label: "Privacy requests", roles: ["admin"] },
  { href: "/admin/consent", label: "Consent", roles: ["admin"] },
  { href: "/admin/rules", label: "Classification rules", roles: ["admin"] },
  { href: "/admin/retention", label: "Retention", roles: ["admin"] },
  { href: "/admin/prices", label: "Model prices", roles: ["admin"] },
  { href: "/admin/training", label: "Training data", roles: ["admin", "data_scientist"] },
  { href: "/admin/models", label: "Models", roles: ["admin", "data_scientist"] },
  { href: "/admin/api-keys", label: "API keys", roles: ["admin"] },
  { href: "/admin/audit", label: "Audit log", roles: ["admin"] },
];

export function sectionRoles(href: string): readonly Role[] {
  const section = CONSOLE_SECTIONS.find((s) => s.href === href);
  if (!section) throw new Error(`Unknown console section ${href}`);
  return section.roles;
}

/** Where a role lands after signing in. */
export function homeFor(role: Role): string {
  if (role === "admin") return "/admin";
  if (role === "data_scientist") return "/admin/models";
  return "/privacy";
}
