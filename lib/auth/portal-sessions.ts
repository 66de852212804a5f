import "server-only";
import { z } from "zod";
import { writeAudit } from "../audit/audit";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { env } from "../env";
import { parseInput } from "../errors";
import { linkSubject } from "../privacy/pseudonym";
import type { SessionUser } from "./session-user";
import { randomToken, sha256Hex } from "./tokens";

// Portal sessions issued by the application (as Stripe's billing-portal sessions are): the app, with a
// `privacy`-scoped key, asks for a session for one of its users and sends them to the returned URL.
// The link is single-use and short-lived; opening it sets a cookie bound to the subject, so the
// person uses their privacy center without a second account. Tokens are random and stored hashed.
export const PORTAL_COOKIE = "clearlog_portal";
export const PORTAL_LINK_MINUTES = 10;
export const PORTAL_SESSION_MINUTES = 60;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const MINUTE = 60_000;

export const portalSessionSchema = z.object({
  subject: z.string("subject is required").trim().min(1, "subject must not be empty").max(256, "subject is at most 256 characters"),
  returnUrl: z
    .string("returnUrl must be a URL")
    .max(2000, "returnUrl is at most 2,000 characters")
    .url("returnUrl must be an absolute http(s) URL")
    .refine((u) => /^https?:\/\//i.test(u), "returnUrl must be an absolute http(s) URL")
    .optional(),
});

/** Issues a session link for `subject` (the application's user id); `origin` is where Clearlog is served. */
export async function issuePortalSession(body: unknown, keyId: string, origin: string) {
  const input = parseInput(portalSessionSchema, body);
  const pseudonym = await linkSubject(db(), input.subject);
  const token = randomToken(32);
  const linkExpiresAt = new Date(Date.now() + PORTAL_LINK_MINUTES * MINUTE);
  const session = await transaction(async (tx) => {
    const created = await tx.portalSession.create({
      data: { linkTokenHash: sha256Hex(token), subjectPseudonym: pseudonym, apiKeyId: keyId, returnUrl: input.returnUrl ?? null, linkExpiresAt, expiresAt: linkExpiresAt },
    });
    await writeAudit({ actor: { type: "api_key", id: keyId }, action: "portal_session.create", resourceType: "portal_session", resourceId: created.id, outcome: "success" }, tx);
    return created;
  });
  const base = (env().CLEARLOG_PUBLIC_URL ?? origin).replace(/\/+$/, "");
  return { id: session.id, url: `${base}/privacy/session/${token}`, expiresAt: linkExpiresAt.toISOString() };
}

/** Opens a link once: the cookie token for the session, or null for an unknown, used or expired link. */
export async function openPortalSession(linkToken: string): Promise<{ token: string; expiresAt: Date } | null> {
  if (!TOKEN_SHAPE.test(linkToken)) return null;
  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + PORTAL_SESSION_MINUTES * MINUTE);
  return transaction(async (tx) => {
    // Single use: only the first opening within the link's lifetime finds the row unopened.
    const opened = await tx.portalSession.updateManyAndReturn({
      where: { linkTokenHash: sha256Hex(linkToken), openedAt: null, linkExpiresAt: { gt: new Date() } },
      data: { openedAt: new Date(), sessionTokenHash: sha256Hex(token), expiresAt },
      select: { id: true },
    });
    if (opened.length === 0) return null;
    await writeAudit({ actor: { type: "subject", id: opened[0]!.id }, action: "portal_session.open", resourceType: "portal_session", resourceId: opened[0]!.id, outcome: "success" }, tx);
    return { token, expiresAt };
  });
}

/** The person of a portal session cookie, or null for a missing, malformed, unknown or expired one. */
export async function userForPortalToken(token: string | undefined): Promise<SessionUser | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const session = await db().portalSession.findUnique({ where: { sessionTokenHash: sha256Hex(token) } });
  if (!session || session.expiresAt <= new Date()) return null;
  return {
    id: session.id,
    email: "",
    displayName: "",
    role: "end_user",
    provider: "portal",
    subjectPseudonym: session.subjectPseudonym,
    returnUrl: session.returnUrl,
  };
}

/** Signing out of a portal session ends it; the link cannot be opened again either. */
export async function endPortalSession(token: string): Promise<void> {
  if (!TOKEN_SHAPE.test(token)) return;
  await db().portalSession.updateMany({ where: { sessionTokenHash: sha256Hex(token) }, data: { expiresAt: new Date() } });
}

export async function deleteExpiredPortalSessions(now = new Date()): Promise<number> {
  return (await db().portalSession.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}
