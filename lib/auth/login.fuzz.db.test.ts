import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { database } from "../db/client";
import { overrideEnv } from "../env";
import { FUZZ_SECONDS, FUZZ_TIMEOUT_MS, fuzzParameters, hostileString, NASTY_STRINGS, wrongType } from "@/test/support/fuzz";
import { CookieJar } from "./cookie-jar";
import { loginSchema, loginWithPassword } from "./login";
import { createUser } from "./users";

// Fuzz tier: the sign-in form's path (the login action validates with loginSchema, then calls
// loginWithPassword) with hostile emails, passwords and client addresses. Nothing throws (the action
// would answer 500), nothing signs in, no session is written, and the throttle bounds how many
// passwords are checked; afterwards a real sign-in still works.
const RUNS = 2000;
const CLI: Actor = { type: "cli" };
const PASSWORD = "correct horse battery staple";
const ADDRESSES = ["203.0.113.1", "2001:db8::1", "203.0.113.1, 10.0.0.1", "not an address \u00ff"];
let restore: () => void;
let email: string;

beforeAll(async () => {
  // Each address may fail 3 times: the fuzz checks a handful of passwords (scrypt at full cost), then
  // exercises the throttle.
  restore = overrideEnv({ CLEARLOG_LOGIN_MAX_FAILURES_PER_IP: "3" });
  email = "fuzz.person@example.test";
  await createUser({ email, displayName: "Fuzz Person", role: "end_user", password: PASSWORD }, CLI);
});

afterAll(() => restore?.());

const count = async (table: "auth_sessions" | "login_attempts") => (await database().pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

const field = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileString.map((s) => `${s}@example.test`) },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY_STRINGS.map((s) => `fuzz.person${s}@example.test`)) },
  { weight: 1, arbitrary: fc.constant("fuzz.person@example.test") },
  { weight: 1, arbitrary: wrongType },
);

describe("sign-in under fuzzing", () => {
  it(`${RUNS} hostile sign-ins: none throws, none signs in, and the throttle bounds the passwords checked`, async () => {
    const sessionsBefore = await count("auth_sessions");
    const attemptsBefore = await count("login_attempts");
    let sent = 0;
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(field, fc.oneof(hostileString, wrongType), fc.constantFrom(...ADDRESSES), async (rawEmail, rawPassword, ip) => {
        sent++;
        const parsed = loginSchema.safeParse({ email: rawEmail, password: rawPassword });
        if (!parsed.success) return; // the action answers with the field errors
        if (parsed.data.email === email && parsed.data.password === PASSWORD) return;
        const result = await loginWithPassword(parsed.data, { cookies: new CookieJar(), userAgent: "fuzz", secureCookies: false, ip });
        expect(result.ok).toBe(false);
        if (!result.ok && !result.message.startsWith("Too many")) checked++;
      }),
      fuzzParameters(RUNS, FUZZ_SECONDS),
    );
    expect(sent).toBe(RUNS);
    expect(await count("auth_sessions")).toBe(sessionsBefore);
    // At most 3 failures per address were checked; every other attempt was refused before scrypt ran.
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(3 * ADDRESSES.length);
    expect(await count("login_attempts") - attemptsBefore).toBeLessThanOrEqual(2 * 3 * ADDRESSES.length);
  }, FUZZ_TIMEOUT_MS);

  it("sign-in still works afterwards (another account, from an address that did not fail)", async () => {
    // The fuzzed account itself may be throttled now: that is the throttle doing its work.
    await createUser({ email: "after.fuzz@example.test", displayName: "After Fuzz", role: "end_user", password: PASSWORD }, CLI);
    const result = await loginWithPassword({ email: "after.fuzz@example.test", password: PASSWORD }, { cookies: new CookieJar(), userAgent: "fuzz", secureCookies: false, ip: "192.0.2.200" });
    expect(result.ok).toBe(true);
  });
});
