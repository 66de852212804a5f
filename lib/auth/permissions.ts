import type { Role } from "./roles";

// The one permission map: which role may do what. Pages, the console navigation, server actions,
// route handlers and the CLI all ask `can(role, permission)`; nothing else lists roles.
// Pure data: safe to import from client components (the server still checks every request).
export const PERMISSIONS = {
  /** the console's shell: navigation and the pages below */
  "console.enter": ["admin", "data_scientist"],
  "dashboard.view": ["admin"],
  "logs.read": ["admin", "data_scientist"],
  "privacy_requests.manage": ["admin"],
  "consent.manage": ["admin"],
  "rules.manage": ["admin"],
  "retention.manage": ["admin"],
  "prices.manage": ["admin"],
  "training.use": ["admin", "data_scientist"],
  "models.manage": ["admin", "data_scientist"],
  "api_keys.manage": ["admin"],
  /** webhook endpoints for the application, their delivery log and replays */
  "webhooks.manage": ["admin"],
  "users.manage": ["admin"],
  "audit.read": ["admin"],
  /** the person's own privacy center: their consent, requests and data */
  "portal.use": ["end_user"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role != null && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export interface ConsoleSection {
  href: string;
  label: string;
  permission: Permission;
}

export const CONSOLE_SECTIONS: readonly ConsoleSection[] = [
  { href: "/admin", label: "Dashboard", permission: "dashboard.view" },
  { href: "/admin/logs", label: "Logs", permission: "logs.read" },
  { href: "/admin/privacy-requests", label: "Privacy requests", permission: "privacy_requests.manage" },
  { href: "/admin/consent", label: "Consent", permission: "consent.manage" },
  { href: "/admin/rules", label: "Classification rules", permission: "rules.manage" },
  { href: "/admin/retention", label: "Retention", permission: "retention.manage" },
  { href: "/admin/prices", label: "Model prices", permission: "prices.manage" },
  { href: "/admin/training", label: "Training data", permission: "training.use" },
  { href: "/admin/models", label: "Models", permission: "models.manage" },
  { href: "/admin/api-keys", label: "API keys", permission: "api_keys.manage" },
  { href: "/admin/webhooks", label: "Webhooks", permission: "webhooks.manage" },
  { href: "/admin/users", label: "Users", permission: "users.manage" },
  { href: "/admin/audit", label: "Audit log", permission: "audit.read" },
];

/** The console sections a role sees in the navigation. */
export function sectionsFor(role: Role): ConsoleSection[] {
  return CONSOLE_SECTIONS.filter((s) => can(role, s.permission));
}
