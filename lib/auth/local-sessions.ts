import "server-only";
import { db } from "../db/client";
import { env } from "../env";
import { randomToken, sha256Hex } from "./tokens";
import type { SessionUser } from "./session-user";

export const SESSION_COOKIE = "clearlog_session";
const TOUCH_INTERVAL_MS = 5 * 60_000;
// A token is 43 base64url characters; anything else is refused before touching the database.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export async function createSession(userId: string, userAgent: string | null): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + env().CLEARLOG_SESSION_TTL_HOURS * 3_600_000);
  await db().authSession.create({
    data: { userId, tokenHash: sha256Hex(token), expiresAt, userAgent: userAgent?.slice(0, 300) ?? null },
  });
  return { token, expiresAt };
}

/** The signed-in user for a cookie token, or null for a missing, malformed, unknown or expired one. */
export async function userForSessionToken(token: string | undefined): Promise<SessionUser | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const session = await db().authSession.findUnique({
    where: { tokenHash: sha256Hex(token) },
    include: { user: true },
  });
  const now = new Date();
  if (!session || session.expiresAt <= now || session.user.disabledAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db().authSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  const { user } = session;
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    provider: "local",
    subjectPseudonym: user.subjectPseudonym,
  };
}

export async function deleteSession(token: string): Promise<void> {
  if (!TOKEN_SHAPE.test(token)) return;
  await db().authSession.deleteMany({ where: { tokenHash: sha256Hex(token) } });
}

export async function deleteExpiredSessions(): Promise<number> {
  const { count } = await db().authSession.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  return count;
}
