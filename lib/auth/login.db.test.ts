import { createHash, scryptSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { flushRefusals } from "../audit/refusals";
import { database, db } from "../db/client";
import { overrideEnv } from "../env";
import { SafeError } from "../errors";
import { SESSION_COOKIE, userForSessionToken } from "./local-sessions";
import { loginWithPassword } from "./login";
import { hashPassword, verifyPassword } from "./password";
import type { Role } from "./roles";
import { throttleKey } from "./throttle";
import { createUser, setUserRole } from "./users";
import { CookieJar } from "./cookie-jar";

// The local auth provider against a real database: sessions, throttling, auditing, users.

const CLI: Actor = { type: "cli" };
const PASSWORD = "correct horse battery staple";
const BAD_CREDENTIALS = "Email or password is incorrect.";
let restoreEnv: (() => void) | undefined;

afterEach(() => {
  restoreEnv?.();
  restoreEnv = undefined;
});


const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

let userCount = 0;
async function newUser(role: Role = "admin", password = PASSWORD) {
  const email = `person${++userCount}.${role}@example.test`;
  const user = await createUser({ email, displayName: `Person ${userCount}`, role, password }, CLI);
  return { user, email };
}

async function login(email: string, password: string, secureCookies = false, ip: string | null = null) {
  const jar = new CookieJar();
  const result = await loginWithPassword({ email, password }, { cookies: jar, userAgent: "vitest-agent", secureCookies, ip });
  return { jar, result, token: jar.get(SESSION_COOKIE) };
}

/** A whole table as text, read with SQL so nothing Prisma maps or hides is missed. */
async function tableText(table: "auth_sessions" | "audit_log"): Promise<string> {
  const { rows } = await database().pool.query<{ t: string | null }>(`SELECT json_agg(x)::text AS t FROM ${table} x`);
  return rows[0]?.t ?? "";
}

async function lastAuditId(): Promise<bigint> {
  return (await db().auditLog.aggregate({ _max: { id: true } }))._max.id ?? 0n;
}

const loginAuditSince = (id: bigint) =>
  db().auditLog.findMany({ where: { id: { gt: id }, action: "auth.login" }, orderBy: { id: "asc" } });

/**
 * Counted refusals written since `id`, summed per `outcome reason source` (a run that straddles a
 * minute is counted in two rows); each written by no one (actor system, no id).
 */
async function refusalsSince(id: bigint): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const a of await loginAuditSince(id)) {
    if (a.outcome === "success") continue;
    expect([a.actorType, a.actorId]).toEqual(["system", null]);
    const m = a.metadata as { reason: string; source: string; count: number };
    const key = `${a.outcome} ${m.reason} ${m.source}`;
    sums[key] = (sums[key] ?? 0) + m.count;
  }
  return sums;
}

describe("loginWithPassword and sessions", () => {
  it("sets an HttpOnly SameSite=lax session cookie and stores only the token's sha256", async () => {
    const { user, email } = await newUser("data_scientist");
    const before = Date.now();
    const { jar, result, token } = await login(email, PASSWORD, true);

    expect(result).toEqual({
      ok: true,
      user: { id: user.id, email, displayName: user.displayName, role: "data_scientist", provider: "local", subjectPseudonym: null },
    });
    expect(jar.writes).toHaveLength(1);
    const cookie = jar.writes[0]!;
    expect(cookie.name).toBe("clearlog_session");
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure: true, path: "/" });
    const expires = cookie.options?.expires?.getTime() ?? 0;
    expect(expires - before).toBeGreaterThan(11.9 * 3_600_000);
    expect(expires - before).toBeLessThan(12.1 * 3_600_000);

    const sessions = await db().authSession.findMany({ where: { userId: user.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ tokenHash: sha256(token!), userAgent: "vitest-agent" });
    expect(await tableText("auth_sessions")).not.toContain(token!);

    const insecure = await login(email, PASSWORD, false);
    expect(insecure.jar.writes[0]?.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false });
    expect(insecure.token).not.toBe(token);
  });

  it("userForSessionToken resolves a live token and refuses malformed, unknown, expired and disabled ones", async () => {
    const { user, email } = await newUser("admin");
    const { token } = await login(email, PASSWORD);
    expect(await userForSessionToken(token)).toEqual({
      id: user.id, email, displayName: user.displayName, role: "admin", provider: "local", subjectPseudonym: null,
    });

    for (const bad of [undefined, "", "short", `${token}x`, `${token!.slice(0, 42)}!`]) {
      expect(await userForSessionToken(bad), String(bad)).toBeNull();
    }
    expect(await userForSessionToken("A".repeat(43))).toBeNull();

    const expired = await login(email, PASSWORD);
    await db().authSession.update({ where: { tokenHash: sha256(expired.token!) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await userForSessionToken(expired.token)).toBeNull();
    expect(await userForSessionToken(token)).not.toBeNull();

    await db().user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await userForSessionToken(token)).toBeNull();
  });

  it("gives the same message for a wrong password and an unknown email, and audits without the email or password", async () => {
    const { user, email } = await newUser("admin");
    const before = await lastAuditId();

    const wrong = await login(email, "not the password at all", false, "203.0.113.20");
    const unknown = await login("nobody.here@example.test", "some other secret", false, "203.0.113.21");
    const unknownAgain = await login("nobody.else@example.test", "a third secret", false, "203.0.113.22");
    expect(wrong.result).toEqual({ ok: false, message: BAD_CREDENTIALS });
    expect(unknown.result).toEqual({ ok: false, message: BAD_CREDENTIALS });
    expect(unknownAgain.result).toEqual({ ok: false, message: BAD_CREDENTIALS });
    expect(wrong.jar.writes).toEqual([]);
    expect(unknown.jar.writes).toEqual([]);
    expect(await db().authSession.count({ where: { userId: user.id } })).toBe(0);

    await db().user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    const disabled = await login(email, PASSWORD);
    expect(disabled.result).toEqual({ ok: false, message: BAD_CREDENTIALS });
    await db().user.update({ where: { id: user.id }, data: { disabledAt: null } });
    const ok = await login(email, PASSWORD);
    expect(ok.result.ok).toBe(true);

    // The success is written at once; failures are counted into one row per source, reason and minute:
    // the account when one was found, else the network (both unknown emails came from 203.0.113.0/24).
    const success = await loginAuditSince(before);
    expect(success.map((a) => [a.outcome, a.actorType, a.actorId, a.metadata])).toEqual([["success", "user", user.id, {}]]);
    expect(success[0]).toMatchObject({ actorRole: "admin", resourceType: "session" });
    await flushRefusals();
    expect(await refusalsSince(before)).toEqual({
      [`failure bad_credentials account:${user.id}`]: 1,
      "failure bad_credentials net:203.0.113.0/24": 2,
      [`failure account_disabled account:${user.id}`]: 1,
    });

    const all = (await tableText("audit_log")).toLowerCase();
    for (const secret of [email, email.split("@")[0]!, "nobody.here", "@example.test", PASSWORD, "not the password", "some other secret"]) {
      expect(all).not.toContain(secret.toLowerCase());
    }
  });

  it("refuses even the right password after the maximum failures, audited as denied", async () => {
    const { user, email } = await newUser("end_user");
    const before = await lastAuditId();
    for (let i = 0; i < 5; i++) expect((await login(email, `wrong-${i}`)).result).toEqual({ ok: false, message: BAD_CREDENTIALS });

    const blocked = await login(email, PASSWORD);
    expect(blocked.result).toEqual({ ok: false, message: "Too many failed sign-in attempts. Try again in 15 minutes." });
    expect(blocked.jar.writes).toEqual([]);
    // The same email in other case and with spaces is the same account.
    const variant = await loginWithPassword({ email: email.toUpperCase(), password: PASSWORD }, { cookies: new CookieJar(), userAgent: null, secureCookies: false });
    expect(variant).toMatchObject({ ok: false, message: expect.stringContaining("Too many failed sign-in attempts") });

    await flushRefusals();
    expect(await refusalsSince(before)).toMatchObject({ [`failure bad_credentials account:${user.id}`]: 5, "denied throttled net:unknown": 2 });
    // A throttled attempt is not itself counted, and other accounts are unaffected.
    const other = await newUser("end_user");
    expect((await login(other.email, PASSWORD)).result.ok).toBe(true);
  });

  it("a success resets the failure count", async () => {
    const { email } = await newUser("admin");
    for (let i = 0; i < 3; i++) await login(email, `wrong-${i}`);
    expect((await login(email, PASSWORD)).result.ok).toBe(true);
    // Without the reset these would make 7 failures in the window.
    for (let i = 0; i < 4; i++) expect((await login(email, `again-${i}`)).result).toEqual({ ok: false, message: BAD_CREDENTIALS });
    expect((await login(email, PASSWORD)).result.ok).toBe(true);

    for (let i = 0; i < 5; i++) await login(email, `more-${i}`);
    expect((await login(email, PASSWORD)).result).toMatchObject({ ok: false, message: expect.stringContaining("Too many failed sign-in attempts") });
  });

  it("honours CLEARLOG_LOGIN_MAX_FAILURES", async () => {
    restoreEnv = overrideEnv({ CLEARLOG_LOGIN_MAX_FAILURES: "2" });
    const { email } = await newUser("admin");
    await login(email, "wrong-1");
    expect((await login(email, "wrong-2")).result).toEqual({ ok: false, message: BAD_CREDENTIALS });
    expect((await login(email, PASSWORD)).result).toMatchObject({ ok: false, message: expect.stringContaining("Too many failed sign-in attempts") });
  });
});

describe("the throttle holds under concurrency, per account and per address", () => {
  const attemptsFor = async (email: string) =>
    (await database().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM login_attempts WHERE key_hash = $1", [throttleKey(email)])).rows[0]!.n;

  it("40 concurrent wrong passwords against a limit of 5: 5 are checked, 35 throttled", async () => {
    const { user, email } = await newUser("end_user");
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => login(email, `wrong-${i}`, false, "203.0.113.7")));
    const checked = results.filter((r) => !r.result.ok && r.result.message === BAD_CREDENTIALS).length;
    const throttled = results.filter((r) => !r.result.ok && r.result.message.startsWith("Too many failed sign-in attempts")).length;
    expect(checked).toBe(5);
    expect(throttled).toBe(35);
    expect(await attemptsFor(email)).toBe(5);
    // And the right password is refused too until the window passes.
    expect((await login(email, PASSWORD)).result).toMatchObject({ ok: false, message: expect.stringContaining("Too many failed sign-in attempts") });
    // 40 refusals, two audit rows: the audit log does not grow by a row per attempt.
    const before = await lastAuditId();
    await flushRefusals();
    expect(await refusalsSince(before)).toMatchObject({ [`failure bad_credentials account:${user.id}`]: 5, "denied throttled net:203.0.113.0/24": 35 });
  });

  it("spraying many accounts from one address is throttled by CLEARLOG_LOGIN_MAX_FAILURES_PER_IP; other addresses are not", async () => {
    restoreEnv = overrideEnv({ CLEARLOG_LOGIN_MAX_FAILURES_PER_IP: "6" });
    const accounts = await Promise.all(Array.from({ length: 4 }, () => newUser("end_user")));
    const outcomes: string[] = [];
    for (const { email } of accounts) {
      for (let i = 0; i < 2; i++) {
        const { result } = await login(email, `spray-${i}`, false, "198.51.100.9");
        outcomes.push(result.ok ? "ok" : result.message === BAD_CREDENTIALS ? "checked" : "throttled");
      }
    }
    // 6 failures from the address, each account only 2 (under its own limit of 5): then the address is refused.
    expect(outcomes).toEqual(["checked", "checked", "checked", "checked", "checked", "checked", "throttled", "throttled"]);
    expect((await login(accounts[3]!.email, PASSWORD, false, "198.51.100.9")).result.ok).toBe(false);
    expect((await login(accounts[3]!.email, PASSWORD, false, "192.0.2.44")).result.ok).toBe(true);
  });

  it("a hash made at the old cost is replaced by one at today's cost on a successful sign-in", async () => {
    const { user, email } = await newUser("admin");
    const salt = Buffer.alloc(16, 7);
    const old = ["scrypt", 16384, 8, 1, salt.toString("base64"), scryptSync(PASSWORD, salt, 64, { N: 16384, r: 8, p: 1 }).toString("base64")].join("$");
    await db().user.update({ where: { id: user.id }, data: { passwordHash: old } });
    expect((await login(email, "not it at all")).result.ok).toBe(false);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(old);
    expect((await login(email, PASSWORD)).result.ok).toBe(true);
    const rehashed = (await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash!;
    expect(rehashed).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword(PASSWORD, rehashed)).toBe(true);
    expect((await login(email, PASSWORD)).result.ok).toBe(true);
  });
});

describe("users", () => {
  it("setUserRole changes the role and ends the user's sessions, leaving others alone", async () => {
    const { user, email } = await newUser("end_user");
    const other = await newUser("end_user");
    const first = await login(email, PASSWORD);
    const second = await login(email, PASSWORD);
    const kept = await login(other.email, PASSWORD);
    expect(await db().authSession.count({ where: { userId: user.id } })).toBe(2);

    const updated = await setUserRole(`  ${email.toUpperCase()} `, "admin", CLI);
    expect(updated.role).toBe("admin");
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ role: "admin" });
    expect(await db().authSession.count({ where: { userId: user.id } })).toBe(0);
    expect(await userForSessionToken(first.token)).toBeNull();
    expect(await userForSessionToken(second.token)).toBeNull();
    expect(await userForSessionToken(kept.token)).toMatchObject({ id: other.user.id });
    expect(await db().auditLog.findFirst({ where: { action: "user.set_role", resourceId: user.id } })).toMatchObject({
      actorType: "cli", outcome: "success", metadata: { from: "end_user", to: "admin" },
    });

    const relogin = await login(email, PASSWORD);
    expect(await userForSessionToken(relogin.token)).toMatchObject({ role: "admin" });
    await expect(setUserRole("missing@example.test", "admin", CLI)).rejects.toMatchObject({ code: "not_found" });
  });

  it("createUser refuses a duplicate email with a SafeError and writes nothing", async () => {
    const { email } = await newUser("admin");
    const users = await db().user.count();
    const audits = await db().auditLog.count();
    const attempt = createUser({ email, displayName: "Impostor", role: "end_user", password: "another password" }, CLI);
    await expect(attempt).rejects.toBeInstanceOf(SafeError);
    await expect(attempt).rejects.toMatchObject({ code: "conflict", message: "A user with that email already exists." });
    expect(await db().user.count()).toBe(users);
    expect(await db().auditLog.count()).toBe(audits);
    expect(await db().user.findUniqueOrThrow({ where: { email } })).toMatchObject({ role: "admin" });
  });
});

describe("password hashes", () => {
  it("stores scrypt hashes with a fresh salt, and verifyPassword accepts only the right password", async () => {
    const { user } = await newUser("admin");
    const stored = user.passwordHash!;
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/);
    const [, , , , salt, key] = stored.split("$");
    expect(Buffer.from(salt!, "base64")).toHaveLength(16);
    expect(Buffer.from(key!, "base64")).toHaveLength(64);
    expect(stored).not.toContain(PASSWORD);

    const again = await hashPassword(PASSWORD);
    expect(again).not.toBe(stored);
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword(PASSWORD, again)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("verifyPassword returns false, never true or a throw, for malformed hashes", async () => {
    const [, n, r, p, salt, key] = (await hashPassword(PASSWORD)).split("$") as string[];
    const malformed = {
      empty: "",
      plain: PASSWORD,
      "other scheme": ["bcrypt", n, r, p, salt, key].join("$"),
      "too few parts": ["scrypt", n, r, p, key].join("$"),
      "too many parts": ["scrypt", n, r, p, salt, key, ""].join("$"),
      "empty key": ["scrypt", n, r, p, salt, ""].join("$"),
      "key not base64": ["scrypt", n, r, p, salt, "!!!!"].join("$"),
      "empty salt": ["scrypt", n, r, p, "", key].join("$"),
      "N not a number": ["scrypt", "abc", r, p, salt, key].join("$"),
      "N not a power of two": ["scrypt", "1000", r, p, salt, key].join("$"),
      "N beyond the memory limit": ["scrypt", "1048576", r, p, salt, key].join("$"),
      "truncated key": ["scrypt", n, r, p, salt, key!.slice(0, 8)].join("$"),
    };
    for (const [name, stored] of Object.entries(malformed)) {
      await expect(verifyPassword(PASSWORD, stored), name).resolves.toBe(false);
    }
  });
});
