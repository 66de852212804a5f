import "server-only";
import { createServerClient } from "@supabase/ssr";
import type { WebSocketLikeConstructor } from "@supabase/supabase-js";
import { writeAudit } from "../audit/audit";
import { db } from "../db/client";
import { env } from "../env";
import { linkSubject } from "../privacy/pseudonym";
import type { CookieAdapter } from "./cookie-adapter";
import type { LoginInput, LoginResult } from "./login";
import { ROLES, type Role } from "./roles";
import type { SessionUser } from "./session-user";
import { recordLoginRefusal, reserveAttempt, settleSuccess, throttleKey } from "./throttle";

// supabase-js builds a Realtime client eagerly, which throws on Node < 22 (no global WebSocket) and so
// broke every Supabase sign-in there. The server never opens a socket: give it a transport that refuses.
class NoServerRealtime {
  constructor() {
    throw new Error("Supabase Realtime is not used on the server");
  }
}

// Used instead of the local provider when NEXT_PUBLIC_SUPABASE_URL and _ANON_KEY are set.
// Sessions live in @supabase/ssr cookies and are verified on every request with getClaims():
// locally against the project's JWKS for asymmetric keys, by the Auth server for symmetric ones.
export function supabaseClient(cookies: CookieAdapter) {
  const e = env();
  if (!e.NEXT_PUBLIC_SUPABASE_URL || !e.NEXT_PUBLIC_SUPABASE_ANON_KEY) {
    throw new Error("Supabase is not configured");
  }
  return createServerClient(e.NEXT_PUBLIC_SUPABASE_URL, e.NEXT_PUBLIC_SUPABASE_ANON_KEY, {
    cookies: { getAll: () => cookies.getAll(), setAll: (list) => cookies.setAll(list) },
    realtime: { transport: NoServerRealtime as unknown as WebSocketLikeConstructor },
  });
}

interface VerifiedClaims {
  sub: string;
  email?: string;
  app_metadata?: { role?: unknown };
  user_metadata?: { full_name?: unknown; name?: unknown };
}

/** The application's user id in the claims: CLEARLOG_SUPABASE_SUBJECT_CLAIM, a name or a dotted path. */
export function subjectFromClaims(claims: object, path: string = env().CLEARLOG_SUPABASE_SUBJECT_CLAIM): string | null {
  let value: unknown = claims;
  for (const part of path.split(".")) value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" && value.length > 0 && value.length <= 256 ? value : null;
}

function roleFromClaims(claims: VerifiedClaims): Role | null {
  const role = claims.app_metadata?.role;
  return typeof role === "string" && (ROLES as readonly string[]).includes(role) ? (role as Role) : null;
}

/**
 * Maps verified claims to a Clearlog user. The role comes from app_metadata (only the project's
 * service role can write it), else from the users table, else the least privilege: end user.
 */
export async function userFromClaims(claims: VerifiedClaims): Promise<SessionUser | null> {
  if (!claims.sub || !claims.email) return null;
  const email = claims.email.toLowerCase();
  const claimedRole = roleFromClaims(claims);
  const existing =
    (await db().user.findUnique({ where: { externalId: claims.sub } })) ??
    (await db().user.findFirst({ where: { email, provider: "supabase", externalId: null } }));
  const displayName =
    String(claims.user_metadata?.full_name ?? claims.user_metadata?.name ?? "") || email.split("@")[0]!;
  // An end user is linked to their subject by the configured claim (by default their Supabase user
  // id, which is the application's user id when the app uses the same Supabase project).
  const role = claimedRole ?? existing?.role ?? "end_user";
  const subject = role === "end_user" && !existing?.subjectPseudonym ? subjectFromClaims(claims) : null;
  const link = subject ? { subjectPseudonym: await linkSubject(db(), subject) } : {};
  const user = existing
    ? await db().user.update({
        where: { id: existing.id },
        data: { externalId: claims.sub, email, ...(claimedRole ? { role: claimedRole } : {}), ...link },
      })
    : await db().user.create({
        data: { email, displayName, role, provider: "supabase", externalId: claims.sub, ...link },
      });
  if (subject) {
    await writeAudit({ actor: { type: "system" }, action: "user.link_subject", resourceType: "user", resourceId: user.id, outcome: "success", metadata: { via: "supabase_claim" } });
  }
  if (user.disabledAt) return null;
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    provider: "supabase",
    subjectPseudonym: user.subjectPseudonym,
  };
}

export async function supabaseUser(cookies: CookieAdapter): Promise<SessionUser | null> {
  try {
    const { data, error } = await supabaseClient(cookies).auth.getClaims();
    if (error || !data?.claims) return null;
    return await userFromClaims(data.claims as unknown as VerifiedClaims);
  } catch {
    // A forged, malformed or expired token, or an unreachable Auth server: not signed in.
    return null;
  }
}

export async function supabaseSignIn(input: LoginInput, cookies: CookieAdapter, ip: string | null = null): Promise<LoginResult> {
  const reserved = await reserveAttempt(throttleKey(input.email), ip);
  if (!reserved.ok) return { ok: false, message: reserved.message };
  const { error } = await supabaseClient(cookies).auth.signInWithPassword(input);
  const user = error ? null : await supabaseUser(cookies);
  if (user) await settleSuccess(reserved.reservation);
  if (!user) {
    // Valid at Supabase but refused here (disabled account): do not leave its session behind.
    if (!error) await supabaseSignOut(cookies);
    recordLoginRefusal("bad_credentials", { address: ip });
    return { ok: false, message: "Email or password is incorrect." };
  }
  await writeAudit({ actor: { type: "user", id: user.id, role: user.role }, action: "auth.login", resourceType: "session", outcome: "success", metadata: { provider: "supabase" } });
  return { ok: true, user };
}

export async function supabaseSignOut(cookies: CookieAdapter): Promise<void> {
  let cleared = false;
  try {
    cleared = !(await supabaseClient(cookies).auth.signOut()).error;
  } catch {
    /* cleared below */
  }
  // auth-js keeps the session cookies when the Auth server cannot revoke the session (unreachable,
  // 5xx) and only returns the error; the still-valid token would keep the user signed in. Drop them.
  if (!cleared) {
    const stale = cookies.getAll().filter((c) => /^sb-[^.]+-auth-token(?:$|[.-])/.test(c.name));
    cookies.setAll(stale.map((c) => ({ name: c.name, value: "", options: { path: "/", sameSite: "lax" as const, maxAge: 0 } })));
  }
}
