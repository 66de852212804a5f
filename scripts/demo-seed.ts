import { env } from "../lib/env";
import { DEMO_ACCOUNTS, demoAccountsInUse, seedDemoWorkspace } from "../prisma/seed";

// `npm start`'s demo workspace: created in an empty database (unless CLEARLOG_SKIP_SEED=1), with its
// API key and logins printed then, when they are created. Later starts never print a credential (their
// output is often kept in logs); they only warn while demo logins still use the published passwords.

/** Seeds an empty database and prints its credentials; false when the workspace was there already (or skipped). */
export async function seedDemoOnFirstStart(log: (line: string) => void): Promise<boolean> {
  if (env().CLEARLOG_SKIP_SEED === "1") return false;
  const seed = await seedDemoWorkspace();
  if (!seed.seeded) return false;
  log(`seeded the demo workspace (${seed.events} events)`);
  log(`demo API key (shown once, store it now): ${seed.apiKey}`);
  log("demo logins (shown on this first start only; also in the README):");
  for (const a of DEMO_ACCOUNTS) log(`  ${a.role.padEnd(15)} ${a.email.padEnd(26)} ${a.password}`);
  return true;
}

/** A warning, without any password, while demo logins still accept the published ones (a password hash each: run it aside). */
export async function warnAboutDemoPasswords(log: (line: string) => void): Promise<void> {
  const accounts = await demoAccountsInUse();
  if (accounts.length > 0) {
    log(`${accounts.length} demo login(s) still use their published password: change them, or start from an empty database, before exposing this server`);
  }
}
