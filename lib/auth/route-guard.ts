import "server-only";
import { NextResponse } from "next/server";
import { SafeError } from "../errors";
import { requireUser } from "./current-user";
import type { Permission } from "./permissions";
import type { SessionUser } from "./session-user";

/** For session routes (app/api/admin, downloads): the signed-in user holding `permission`, or the 401/403 answer. */
export async function routeUser(permission: Permission): Promise<{ user: SessionUser } | { response: NextResponse }> {
  try {
    return { user: await requireUser(permission) };
  } catch (error) {
    if (!(error instanceof SafeError)) throw error;
    return { response: NextResponse.json({ error: error.message }, { status: error.code === "unauthenticated" ? 401 : 403 }) };
  }
}

/** A 400 naming the first invalid parameter. */
export function badRequest(issue: { path: PropertyKey[]; message: string }): NextResponse {
  return NextResponse.json({ error: `${issue.path.map(String).join(".") || "request"}: ${issue.message}` }, { status: 400 });
}
