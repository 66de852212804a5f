import { describe, expect, it } from "vitest";
import { db } from "../lib/db/client";
import { overrideEnv } from "../lib/env";
import { hashPassword } from "../lib/auth/password";
import { DEMO_ACCOUNTS } from "../prisma/seed";
import { seedDemoOnFirstStart, warnAboutDemoPasswords } from "./demo-seed";

// `npm start`'s demo output (scripts/demo-seed.ts) on this file's empty database: credentials are
// printed when the workspace is created, and never on a later start.
/** What a start prints about the demo: the seed's output, or the password warning when it seeded nothing. */
async function startOutput(): Promise<string> {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  if (!(await seedDemoOnFirstStart(log))) await warnAboutDemoPasswords(log);
  return lines.join("\n");
}

describe("seedDemoOnFirstStart", () => {
  it("with CLEARLOG_SKIP_SEED=1 creates nothing and prints nothing", async () => {
    const restore = overrideEnv({ CLEARLOG_SKIP_SEED: "1" });
    try {
      expect(await seedDemoOnFirstStart(() => {})).toBe(false);
      expect(await startOutput()).toBe("");
      expect(await db().user.count()).toBe(0);
    } finally {
      restore();
    }
  });

  it("prints the API key and the demo logins on the first start, when it creates the workspace", async () => {
    const out = await startOutput();
    expect(out).toMatch(/seeded the demo workspace \(\d+ events\)/);
    expect(out).toMatch(/demo API key \(shown once, store it now\): clk_/);
    expect(out).toMatch(/demo logins \(shown on this first start only/);
    for (const a of DEMO_ACCOUNTS) expect(out).toContain(`${a.email.padEnd(26)} ${a.password}`);
  });

  it("prints no credential on a later start, only a warning while published passwords still work", async () => {
    const out = await startOutput();
    expect(out).not.toMatch(/seeded|API key|clk_/);
    for (const a of DEMO_ACCOUNTS) expect(out).not.toContain(a.password);
    expect(out).toBe(`${DEMO_ACCOUNTS.length} demo login(s) still use their published password: change them, or start from an empty database, before exposing this server`);

    // Once every demo password is changed, a start prints nothing at all.
    const changed = await hashPassword("a-password-nobody-published-1");
    await db().user.updateMany({ where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } }, data: { passwordHash: changed } });
    expect(await startOutput()).toBe("");
  });
});
