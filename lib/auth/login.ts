import "server-only";
import { z } from "zod";
import { writeAudit } from "../audit/audit";
import { db } from "../db/client";
import { env } from "../env";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "./password";
import { createSession, SESSION_COOKIE } from "./local-sessions";
import type { CookieAdapter } from "./cookie-adapter";
import type { SessionUser } from "./session-user";
import { recordLoginRefusal, reserveAttempt, settleSuccess, throttleKey } from "./throttle";

export const loginSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address").max(320),
  password: z.string().min(1, "Enter your password").max(1024),
});
export type LoginInput = z.infer<typeof loginSchema>;

export type LoginResult = { ok: true; user: SessionUser } | { ok: false; message: string };

const BAD_CREDENTIALS = "Email or password is incorrect.";

export function sessionCookieOptions(expiresAt: Date, secure: boolean) {
  return { httpOnly: true, sameSite: "lax" as const, secure, path: "/", expires: expiresAt };
}

export function secureCookiesFor(forwardedProto: string | null): boolean {
  const setting = env().CLEARLOG_SECURE_COOKIES;
  if (setting !== "auto") return setting === "true";
  return forwardedProto === "https";
}

/** Local provider sign-in: throttled, audited without the email (failures counted), session cookie set on success. */
export async function loginWithPassword(
  input: LoginInput,
  context: { cookies: CookieAdapter; userAgent: string | null; secureCookies: boolean; ip?: string | null },
): Promise<LoginResult> {
  // The attempt is reserved (counted as a failure) before the password is checked: see throttle.ts.
  const reserved = await reserveAttempt(throttleKey(input.email), context.ip ?? null);
  if (!reserved.ok) return { ok: false, message: reserved.message };
  const user = await db().user.findUnique({ where: { email: input.email } });
  let valid = false;
  if (user?.passwordHash && !user.disabledAt) valid = await verifyPassword(input.password, user.passwordHash);
  else await burnPasswordCheck(input.password);
  if (valid) await settleSuccess(reserved.reservation);
  if (!user || !valid) {
    recordLoginRefusal(user?.disabledAt ? "account_disabled" : "bad_credentials", { userId: user?.id, address: context.ip ?? null });
    return { ok: false, message: BAD_CREDENTIALS };
  }
  // A hash made at a lower cost than today's is replaced now that the password is known.
  if (user.passwordHash && needsRehash(user.passwordHash)) {
    const passwordHash = await hashPassword(input.password);
    await db().user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash } });
  }
  const session = await createSession(user.id, context.userAgent);
  context.cookies.setAll([
    { name: SESSION_COOKIE, value: session.token, options: sessionCookieOptions(session.expiresAt, context.secureCookies) },
  ]);
  await writeAudit({ actor: { type: "user", id: user.id, role: user.role }, action: "auth.login", resourceType: "session", outcome: "success" });
  return {
    ok: true,
    user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role, provider: "local", subjectPseudonym: user.subjectPseudonym },
  };
}
