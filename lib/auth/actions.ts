"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientIp } from "../api/client-ip";
import { writeAudit } from "../audit/audit";
import { supabaseConfigured } from "../env";
import { requestCookies } from "./cookie-adapter";
import { getCurrentUser } from "./current-user";
import { definePublicAction } from "./define-action";
import { deleteSession, SESSION_COOKIE } from "./local-sessions";
import { loginSchema, loginWithPassword, secureCookiesFor } from "./login";
import { endPortalSession, PORTAL_COOKIE } from "./portal-sessions";
import { homeFor } from "./roles";
import { actorOf } from "./session-user";
import { safeNext } from "./safe-next";
import { supabaseSignIn, supabaseSignOut } from "./supabase-provider";

export interface LoginState {
  /** echoed back so the form keeps what was typed after a refusal */
  email?: string;
  error?: string;
  fieldErrors?: Partial<Record<"email" | "password", string>>;
}

export const loginAction = definePublicAction("auth.login", async (_prev: LoginState, form: FormData): Promise<LoginState> => {
  // Anyone can post to an action with any arguments: only the login form's FormData is read.
  if (!(form instanceof FormData)) return { error: "Send the sign-in form." };
  const parsed = loginSchema.safeParse({ email: form.get("email"), password: form.get("password") });
  if (!parsed.success) {
    const fieldErrors: LoginState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as "email" | "password";
      fieldErrors[key] ??= issue.message;
    }
    return { fieldErrors, email: String(form.get("email") ?? "") };
  }
  const cookies = await requestCookies();
  const h = await headers();
  const ip = clientIp(h);
  const result = supabaseConfigured()
    ? await supabaseSignIn(parsed.data, cookies, ip)
    : await loginWithPassword(parsed.data, {
        cookies,
        userAgent: h.get("user-agent"),
        secureCookies: secureCookiesFor(h.get("x-forwarded-proto")),
        ip,
      });
  if (!result.ok) return { error: result.message, email: parsed.data.email };
  const next = safeNext(form.get("next"));
  redirect(next ?? homeFor(result.user.role));
});

export const logoutAction = definePublicAction("auth.logout", async (): Promise<void> => {
  const user = await getCurrentUser();
  const cookies = await requestCookies();
  if (user?.provider === "portal") {
    // A portal session has no login page to go back to: end it and return to the application.
    const token = cookies.get(PORTAL_COOKIE);
    if (token) await endPortalSession(token);
    cookies.setAll([{ name: PORTAL_COOKIE, value: "", options: { path: "/", maxAge: 0 } }]);
    await writeAudit({ actor: actorOf(user), action: "auth.logout", resourceType: "portal_session", resourceId: user.id, outcome: "success" });
    redirect(user.returnUrl ?? "/privacy/session/ended");
  }
  if (supabaseConfigured()) {
    await supabaseSignOut(cookies);
  } else {
    const token = cookies.get(SESSION_COOKIE);
    if (token) await deleteSession(token);
    cookies.setAll([{ name: SESSION_COOKIE, value: "", options: { path: "/", maxAge: 0 } }]);
  }
  if (user) {
    await writeAudit({ actor: { type: "user", id: user.id, role: user.role }, action: "auth.logout", resourceType: "session", outcome: "success" });
  }
  redirect("/login");
});
