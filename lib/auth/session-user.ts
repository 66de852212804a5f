import type { Role } from "./roles";

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  provider: "local" | "supabase";
  subjectPseudonym: string | null;
}
