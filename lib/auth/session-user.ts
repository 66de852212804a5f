import type { Actor } from "../audit/audit";
import type { Role } from "./roles";

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  /** `portal`: a person in a portal session the application issued (lib/auth/portal-sessions.ts);
   *  then `id` is the portal session's id, not a users row, and there is no e-mail or name. */
  provider: "local" | "supabase" | "portal";
  subjectPseudonym: string | null;
  /** portal sessions: where the application wants the person sent back */
  returnUrl?: string | null;
}

/** The audit actor for a signed-in user or a person in a portal session. */
export function actorOf(user: SessionUser): Actor {
  return user.provider === "portal" ? { type: "subject", id: user.id } : { type: "user", id: user.id, role: user.role };
}

/** Whose requests and archives a person in the privacy center sees. */
export function ownerOf(user: SessionUser): { userId: string | null; portalSessionId: string | null; pseudonym: string | null } {
  return user.provider === "portal"
    ? { userId: null, portalSessionId: user.id, pseudonym: user.subjectPseudonym }
    : { userId: user.id, portalSessionId: null, pseudonym: user.subjectPseudonym };
}
