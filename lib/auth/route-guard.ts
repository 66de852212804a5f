import "server-only";
import { NextResponse } from "next/server";
import { SafeError } from "../errors";
import { requireUser } from "./current-user";
import type { Role } from "./roles";
import type { SessionUser } from "./session-user";

/** For JSON routes under app/api/admin: the signed-in user with one of `roles`, or the 401/403 answer. */
export async function routeUser(roles: readonly Role[]): Promise<{ user: SessionUser } | { response: NextResponse }> {
  try {
    return { user: await requireUser(roles) };
  } catch (error) {
    if (!(error instanceof SafeError)) throw error;
    return { response: NextResponse.json({ error: error.message }, { status: error.code === "unauthenticated" ? 401 : 403 }) };
  }
}

/** A 400 naming the first invalid parameter. */
export function badRequest(issue: { path: PropertyKey[]; message: string }): NextResponse {
  return NextResponse.json({ error: `${issue.path.map(String).join(".") || "request"}: ${issue.message}` }, { status: 400 });
}
