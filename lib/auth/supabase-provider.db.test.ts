import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { flushRefusals } from "../audit/refusals";
import { db } from "../db/client";
import { overrideEnv } from "../env";
import { pseudonymFor } from "../privacy/pseudonym";
import { supabaseSignIn, supabaseSignOut, supabaseUser } from "./supabase-provider";
import { startSupabaseStandIn, type StandInUser, type SupabaseStandIn } from "@/test/support/supabase-stand-in";
import { CookieJar } from "./cookie-jar";

// The Supabase provider against a local stand-in for the Auth server (lib/auth/supabase-stand-in.ts):
// real @supabase/ssr cookies, real auth-js verification against the stand-in's ES256 JWKS.

let restoreEnv: (() => void) | undefined;
/** @supabase/ssr's cookie: `sb-<first label of the URL's host>-auth-token`, here the host is 127.0.0.1. */
const AUTH_COOKIE = "sb-127-auth-token";
const PASSWORD = "correct horse battery staple";
let standIn: SupabaseStandIn;


type StoredSession = { access_token: string; refresh_token: string; expires_at: number; [k: string]: unknown };

const b64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/** The session @supabase/ssr stored: the cookie (or its .0, .1, ... chunks), `base64-` + base64url JSON. */
function readSession(jar: CookieJar): StoredSession {
  let raw = jar.get(AUTH_COOKIE);
  if (raw === undefined) {
    raw = "";
    for (let i = 0; jar.get(`${AUTH_COOKIE}.${i}`) !== undefined; i++) raw += jar.get(`${AUTH_COOKIE}.${i}`);
  }
  expect(raw).toMatch(/^base64-/);
  return JSON.parse(Buffer.from(raw.slice("base64-".length), "base64url").toString("utf8")) as StoredSession;
}

/** A jar holding the given session as @supabase/ssr would have stored it. */
function plant(session: StoredSession): CookieJar {
  return new CookieJar({ [AUTH_COOKIE]: `base64-${b64url(JSON.stringify(session))}` });
}

async function signIn(user: StandInUser, password = PASSWORD) {
  const jar = new CookieJar();
  const result = await supabaseSignIn({ email: user.email, password }, jar);
  return { jar, result };
}

async function lastAuditId(): Promise<bigint> {
  return (await db().auditLog.aggregate({ _max: { id: true } }))._max.id ?? 0n;
}

async function loginAuditSince(id: bigint) {
  return db().auditLog.findMany({ where: { id: { gt: id }, action: "auth.login" }, orderBy: { id: "asc" } });
}

const asJson = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
const nowSeconds = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  standIn = await startSupabaseStandIn({ anonKey: "test-anon-key" });
  restoreEnv = overrideEnv({ NEXT_PUBLIC_SUPABASE_URL: standIn.url, NEXT_PUBLIC_SUPABASE_ANON_KEY: standIn.anonKey });
});

afterAll(async () => {
  restoreEnv?.();
  await standIn?.close();
});

describe("Supabase provider", () => {
  it("signs in, sets the session cookie, maps app_metadata.role and audits without the email", async () => {
    const ada = standIn.addUser({ email: "ada.admin@example.test", password: PASSWORD, appMetadata: { role: "admin" }, userMetadata: { full_name: "Ada Admin" } });
    const before = await lastAuditId();
    const { jar, result } = await signIn(ada);

    expect(result).toMatchObject({ ok: true, user: { role: "admin", provider: "supabase", email: ada.email } });
    expect(standIn.requests).toContainEqual(expect.objectContaining({ method: "POST", path: "/auth/v1/token", query: { grant_type: "password" } }));
    expect(jar.namesStartingWith(AUTH_COOKIE).length).toBeGreaterThan(0);
    const session = readSession(jar);
    expect(decodeJwt(session.access_token).sub).toBe(ada.id);
    expect(session.refresh_token).toEqual(expect.any(String));

    const user = await supabaseUser(jar);
    expect(user).toEqual({ id: result.ok ? result.user.id : "", email: ada.email, displayName: "Ada Admin", role: "admin", provider: "supabase", subjectPseudonym: null });
    const rows = await db().user.findMany({ where: { email: ada.email } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: user?.id, provider: "supabase", externalId: ada.id, role: "admin", passwordHash: null });

    const audit = await loginAuditSince(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: "success", actorType: "user", actorId: user?.id, actorRole: "admin", metadata: { provider: "supabase" } });
    const json = asJson(audit[0]).toLowerCase();
    expect(json).not.toContain("ada.admin");
    expect(json).not.toContain("@");
  });

  it("links an end user to their subject by the configured claim: the Supabase user id by default, or a claim path", async () => {
    const eve = standIn.addUser({ email: "eve.end@example.test", password: PASSWORD });
    const { result } = await signIn(eve);
    expect(result).toMatchObject({ ok: true, user: { role: "end_user", subjectPseudonym: pseudonymFor(eve.id) } });
    expect(await db().subject.findUnique({ where: { pseudonym: pseudonymFor(eve.id) } })).toMatchObject({ externalId: eve.id });
    expect(await db().auditLog.count({ where: { action: "user.link_subject", resourceId: result.ok ? result.user.id : "" } })).toBe(1);

    // An app whose own user id lives in app_metadata: CLEARLOG_SUPABASE_SUBJECT_CLAIM names the path.
    const restore = overrideEnv({ CLEARLOG_SUPABASE_SUBJECT_CLAIM: "app_metadata.app_user_id" });
    try {
      const finn = standIn.addUser({ email: "finn.end@example.test", password: PASSWORD, appMetadata: { app_user_id: "shop-user-9" } });
      const signed = await signIn(finn);
      expect(signed.result).toMatchObject({ ok: true, user: { subjectPseudonym: pseudonymFor("shop-user-9") } });
      // Staff are never linked, and a missing claim links nothing.
      const ops = standIn.addUser({ email: "ops.admin@example.test", password: PASSWORD, appMetadata: { role: "admin", app_user_id: "shop-user-10" } });
      expect((await signIn(ops)).result).toMatchObject({ ok: true, user: { role: "admin", subjectPseudonym: null } });
      const gus = standIn.addUser({ email: "gus.end@example.test", password: PASSWORD });
      expect((await signIn(gus)).result).toMatchObject({ ok: true, user: { role: "end_user", subjectPseudonym: null } });
    } finally {
      restore();
    }
  });

  it("refuses a wrong password with a clear message, sets no cookie and audits the failure without the email", async () => {
    const bob = standIn.addUser({ email: "bob.wrong@example.test", password: PASSWORD });
    const before = await lastAuditId();
    const { jar, result } = await signIn(bob, "not the password");

    expect(result).toEqual({ ok: false, message: "Email or password is incorrect." });
    expect(jar.namesStartingWith(AUTH_COOKIE)).toEqual([]);
    expect(await supabaseUser(jar)).toBeNull();
    expect(await db().user.count({ where: { OR: [{ email: bob.email }, { externalId: bob.id }] } })).toBe(0);
    expect(await loginAuditSince(before)).toHaveLength(0); // counted, written at the minute's flush
    await flushRefusals();
    const audit = await loginAuditSince(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: "failure", actorId: null, metadata: { reason: "bad_credentials", source: "net:unknown", count: 1 } });
    const json = asJson(audit[0]).toLowerCase();
    expect(json).not.toContain("bob.wrong");
    expect(json).not.toContain("@");
    expect(json).not.toContain("not the password");
  });

  it("without a role claim uses the users row matched by external_id, else end_user; ignores unknown roles", async () => {
    const carol = standIn.addUser({ email: "carol.new@example.test", password: PASSWORD });
    const row = await db().user.create({
      data: { email: "carol.old@example.test", displayName: "Carol", role: "data_scientist", provider: "supabase", externalId: carol.id },
    });
    const signedIn = await signIn(carol);
    expect(signedIn.result).toMatchObject({ ok: true, user: { id: row.id, role: "data_scientist" } });
    expect(await supabaseUser(signedIn.jar)).toMatchObject({ id: row.id, role: "data_scientist", email: carol.email });
    expect(await db().user.findUnique({ where: { id: row.id } })).toMatchObject({ role: "data_scientist", email: carol.email });
    expect(await db().user.count({ where: { externalId: carol.id } })).toBe(1);

    const dave = standIn.addUser({ email: "dave@example.test", password: PASSWORD });
    const eve = standIn.addUser({ email: "eve@example.test", password: PASSWORD, appMetadata: { role: "superuser" } });
    for (const fresh of [dave, eve]) {
      const { jar, result } = await signIn(fresh);
      expect(result).toMatchObject({ ok: true, user: { role: "end_user" } });
      expect(await supabaseUser(jar)).toMatchObject({ role: "end_user" });
      expect(await db().user.findUnique({ where: { externalId: fresh.id } })).toMatchObject({ role: "end_user", provider: "supabase", email: fresh.email });
    }
  });

  it("refuses an account disabled in Clearlog even with a valid Supabase session", async () => {
    const ivan = standIn.addUser({ email: "ivan@example.test", password: PASSWORD, appMetadata: { role: "admin" } });
    await db().user.create({ data: { email: ivan.email, displayName: "Ivan", role: "admin", provider: "supabase", externalId: ivan.id, disabledAt: new Date() } });
    const { jar, result } = await signIn(ivan);
    expect(result).toEqual({ ok: false, message: "Email or password is incorrect." });
    expect(await supabaseUser(jar)).toBeNull();
  });

  it("rejects forged, tampered and unsigned access tokens without throwing", async () => {
    const mallory = standIn.addUser({ email: "mallory@example.test", password: PASSWORD });
    const victim = standIn.addUser({ email: "root@example.test", password: PASSWORD, appMetadata: { role: "admin" } });
    const { jar } = await signIn(mallory);
    const session = readSession(jar);
    const sessionId = String(decodeJwt(session.access_token).session_id);

    // Control: a token the stand-in signed, planted the same way, is accepted.
    const genuine = await standIn.accessToken(mallory, { sessionId });
    expect(await supabaseUser(plant({ ...session, access_token: genuine }))).toMatchObject({ role: "end_user" });

    const { privateKey: otherKey } = await generateKeyPair("ES256");
    const [header, , signature] = session.access_token.split(".");
    const tamperedPayload = b64url(JSON.stringify({ ...decodeJwt(session.access_token), app_metadata: { provider: "email", role: "admin" } }));
    const forgedPayload = { sub: victim.id, email: victim.email, aud: "authenticated", role: "authenticated", exp: nowSeconds() + 3600, app_metadata: { role: "admin" } };
    const forgeries: Record<string, string> = {
      "other key, same kid": await standIn.accessToken(victim, { signingKey: otherKey, sessionId }),
      "other key, other kid": await standIn.accessToken(victim, { signingKey: otherKey, kid: "attacker-kid", sessionId }),
      "payload edited, signature kept": `${header}.${tamperedPayload}.${signature}`,
      "HS256 with the anon key": await new SignJWT(forgedPayload).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(standIn.anonKey)),
      "alg none": `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify(forgedPayload))}.`,
      "RS256 header on the ES256 kid": `${b64url(JSON.stringify({ alg: "RS256", kid: standIn.kid }))}.${b64url(JSON.stringify(forgedPayload))}.${signature}`,
    };
    for (const [name, token] of Object.entries(forgeries)) {
      const userRequests = standIn.requests.filter((r) => r.path === "/auth/v1/user").length;
      await expect(supabaseUser(plant({ ...session, access_token: token })), name).resolves.toBeNull();
      if (name === "other key, other kid") {
        // Unknown kid: auth-js asks the Auth server, which must refuse it.
        expect(standIn.requests.filter((r) => r.path === "/auth/v1/user")).toHaveLength(userRequests + 1);
      }
    }
    expect(await db().user.findUnique({ where: { externalId: victim.id } })).toBeNull();
    expect(await db().user.findUnique({ where: { externalId: mallory.id } })).toMatchObject({ role: "end_user" });
  });

  it("refreshes an expired token when the Auth server allows it and returns null when it refuses", async () => {
    const erin = standIn.addUser({ email: "erin@example.test", password: PASSWORD, appMetadata: { role: "data_scientist" } });
    const { jar } = await signIn(erin);
    const session = readSession(jar);
    const sessionId = String(decodeJwt(session.access_token).session_id);
    const expired: StoredSession = { ...session, access_token: await standIn.accessToken(erin, { expiresIn: -120, sessionId }), expires_at: nowSeconds() - 120 };
    const refreshes = () => standIn.requests.filter((r) => r.query.grant_type === "refresh_token").length;

    // Control: the refresh is accepted, the user is back and the cookie holds the new tokens.
    const accepted = plant(expired);
    expect(await supabaseUser(accepted)).toMatchObject({ role: "data_scientist", email: erin.email });
    const renewed = readSession(accepted);
    expect(renewed.refresh_token).not.toBe(session.refresh_token);
    expect(decodeJwt(renewed.access_token).exp).toBeGreaterThan(nowSeconds());

    // The same refresh token again: the stand-in refuses a used one.
    const before = refreshes();
    const refused = plant(expired);
    await expect(supabaseUser(refused)).resolves.toBeNull();
    expect(refreshes()).toBe(before + 1);
    expect(refused.namesStartingWith(AUTH_COOKIE)).toEqual([]);

    // A cookie claiming a later expires_at does not make an expired token valid.
    await expect(supabaseUser(plant({ ...expired, expires_at: nowSeconds() + 3600 }))).resolves.toBeNull();
  });

  it("treats garbage cookie values as signed out", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const future = nowSeconds() + 3600;
      const json = (v: unknown) => `base64-${b64url(JSON.stringify(v))}`;
      const values: Record<string, string>[] = [
        { [AUTH_COOKIE]: "garbage" },
        { [AUTH_COOKIE]: "base64-%%%not base64%%%" },
        { [AUTH_COOKIE]: `base64-${b64url("{not json")}` },
        { [AUTH_COOKIE]: json(null) },
        { [AUTH_COOKIE]: json([]) },
        { [AUTH_COOKIE]: json("a string") },
        { [AUTH_COOKIE]: json({ access_token: "not.a.jwt", refresh_token: "r", expires_at: future }) },
        { [AUTH_COOKIE]: json({ access_token: "only.two", refresh_token: "r", expires_at: future }) },
        { [AUTH_COOKIE]: json({ access_token: 42, refresh_token: "r", expires_at: future }) },
        { [AUTH_COOKIE]: json({ access_token: `${b64url("{}")}.${b64url("[]")}.x`, refresh_token: "r", expires_at: future }) },
        { [AUTH_COOKIE]: JSON.stringify({ access_token: "x.y.z", refresh_token: "r", expires_at: future }) },
        { [AUTH_COOKIE]: json({ access_token: "x.y.z", refresh_token: "unknown", expires_at: 1 }) },
        { [`${AUTH_COOKIE}.0`]: json({ access_token: "x" }).slice(0, 20), [`${AUTH_COOKIE}.1`]: "\u0000\uFFFF" },
      ];
      // Control: a genuine session planted the same way is accepted, so the nulls below mean rejection.
      const { jar } = await signIn(standIn.addUser({ email: "henry@example.test", password: PASSWORD }));
      expect(await supabaseUser(plant(readSession(jar)))).toMatchObject({ email: "henry@example.test" });
      for (const cookies of values) {
        await expect(supabaseUser(new CookieJar(cookies)), asJson(cookies)).resolves.toBeNull();
      }
    } finally {
      warn.mockRestore();
    }
  });

  it("signs out through the logout endpoint and clears the session cookies", async () => {
    const frank = standIn.addUser({ email: "frank@example.test", password: PASSWORD });
    const { jar } = await signIn(frank);
    const session = readSession(jar);
    expect(await supabaseUser(jar)).not.toBeNull();

    await supabaseSignOut(jar);
    expect(standIn.requests).toContainEqual({ method: "POST", path: "/auth/v1/logout", query: { scope: "global" }, authorization: `Bearer ${session.access_token}` });
    expect(jar.namesStartingWith(AUTH_COOKIE)).toEqual([]);
    expect(jar.writes).toContainEqual(expect.objectContaining({ name: AUTH_COOKIE, value: "", options: expect.objectContaining({ maxAge: 0 }) }));
    expect(await supabaseUser(jar)).toBeNull();
    // The server-side session is gone too: its refresh token no longer works.
    await expect(supabaseUser(plant({ ...session, expires_at: nowSeconds() - 120 }))).resolves.toBeNull();
  });

  it("clears the session cookies even when the Auth server cannot revoke the session", async () => {
    const gina = standIn.addUser({ email: "gina@example.test", password: PASSWORD });
    const { jar } = await signIn(gina);
    expect(await supabaseUser(jar)).not.toBeNull();
    const logouts = () => standIn.requests.filter((r) => r.path === "/auth/v1/logout").length;
    const before = logouts();
    standIn.setUnavailable(true);
    try {
      // The token is verified locally against the cached JWKS: during the outage it still signs in.
      expect(await supabaseUser(jar)).toMatchObject({ email: gina.email });
      await supabaseSignOut(jar);
    } finally {
      standIn.setUnavailable(false);
    }
    expect(logouts()).toBe(before + 1);
    expect(jar.namesStartingWith(AUTH_COOKIE)).toEqual([]);
    expect(await supabaseUser(jar)).toBeNull();
  });
});
