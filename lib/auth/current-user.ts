import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { supabaseConfigured } from "../env";
import { ForbiddenError, NotAuthenticatedError } from "../errors";
import { requestCookies } from "./cookie-adapter";
import { SESSION_COOKIE, userForSessionToken } from "./local-sessions";
import { PORTAL_COOKIE, userForPortalToken } from "./portal-sessions";
import { REQUEST_PATH_HEADER } from "./request-path";
import { can, type Permission } from "./permissions";
import type { SessionUser } from "./session-user";
import { supabaseUser } from "./supabase-provider";

/** The signed-in user of this request, from whichever provider is configured; once per request. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const cookies = await requestCookies();
  const account = supabaseConfigured() ? await supabaseUser(cookies) : await userForSessionToken(cookies.get(SESSION_COOKIE));
  // A signed-in account wins; otherwise a portal session the application issued (no account).
  return account ?? userForPortalToken(cookies.get(PORTAL_COOKIE));
});

/** For pages and layouts: sends strangers to the login page and refuses a role without `permission` with a 403. */
export async function requirePageUser(permission: Permission): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) {
    // Set by proxy.ts; the login page only follows same-site paths.
    const from = (await headers()).get(REQUEST_PATH_HEADER) ?? "/";
    redirect(`/login?next=${encodeURIComponent(from)}`);
  }
  if (!can(user.role, permission)) forbidden();
  return user;
}

/** For server actions and route handlers: throws errors the caller turns into 401/403 answers. */
export async function requireUser(permission: Permission): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new NotAuthenticatedError();
  if (!can(user.role, permission)) throw new ForbiddenError();
  return user;
}
