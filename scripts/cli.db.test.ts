import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../lib/auth/password";
import { ensureLogPartitions } from "../lib/db/partitions";
import { pseudonymFor } from "../lib/privacy/pseudonym";
import { childEnv, databaseUrlFromEnv } from "../lib/env";

// The real operator CLI, run as `npm run cli` runs it, against this file's own database. The child
// is spawned asynchronously: in embedded mode this process serves the database it connects to.
const root = path.resolve(__dirname, "..");
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
const SECRET = "cli-test-secret-0123456789abcdef0123456789";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;

function cliWith(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, "--conditions=react-server", "scripts/cli.ts", ...args], {
      cwd: root,
      env: childEnv({ CLEARLOG_SECRET: SECRET, CLEARLOG_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1", ...env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** DATABASE_URL is inherited: test-setup points it at this file's database. */
const cli = (...args: string[]) => cliWith({}, ...args);

/** An expected error: its exit code, one `error:` line first on stderr, and no stack trace. */
function expectCleanError(run: Run, code: number, message: RegExp): string {
  // Stack frames are defanged in failure messages, or Vitest tries to source-map them.
  const shown = run.stderr.replace(/^(\s+)at /gm, "$1@ ");
  expect(/^\s+at /m.test(run.stderr), `stack trace on stderr:\n${shown}`).toBe(false);
  expect(run.code, shown).toBe(code);
  const first = run.stderr.trim().split("\n")[0]!;
  expect(first).toMatch(/^error: /);
  expect(first).toMatch(message);
  return first;
}

let client: pg.Client;
async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await client.query<T>(sql, params)).rows;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "clearlog-cli-test-"));
  client = new pg.Client({ connectionString: databaseUrlFromEnv() });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  // With DATABASE_URL and CLEARLOG_SECRET set, the CLI neither starts an embedded server nor writes a secret.
  expect(await readdir(dataDir)).toEqual([]);
  await rm(dataDir, { recursive: true, force: true });
});

let key: { id: string; prefix: string; secret: string } | undefined;

// Each test runs the CLI a few times (about 1-3 s each), hence the longer timeout.
describe("operator CLI", { timeout: 120_000 }, () => {
  it("migrate reports nothing pending on the already-migrated database", async () => {
    const run = await cli("migrate");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Migrations: 0 applied \(none pending\), [1-9]\d* already in place$/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("user:create prints the id and a generated password once and stores only a scrypt hash", async () => {
    const run = await cli("user:create", "--email", "Grace@Example.test", "--name", "Grace Hopper", "--role", "data_scientist");
    expect(run.code, run.stderr).toBe(0);
    const created = /^Created data_scientist grace@example\.test \(([0-9a-f-]{36})\)$/m.exec(run.stdout);
    expect(created, run.stdout).not.toBeNull();
    const passwordLines = run.stdout.match(/^Password \(shown once\): (\S+)$/gm) ?? [];
    expect(passwordLines).toHaveLength(1);
    const password = passwordLines[0]!.split(": ")[1]!;
    expect(password.length).toBeGreaterThanOrEqual(10);

    const [user] = await query<{ id: string; role: string; display_name: string; password_hash: string }>(
      `SELECT id, role::text, display_name, password_hash FROM users WHERE email = $1`,
      ["grace@example.test"],
    );
    expect(user).toMatchObject({ id: created![1], role: "data_scientist", display_name: "Grace Hopper" });
    expect(user!.password_hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword(password, user!.password_hash)).toBe(true);
    const leaked = await query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM users u WHERE u::text LIKE '%' || $1 || '%') +
               (SELECT count(*) FROM audit_log a WHERE a::text LIKE '%' || $1 || '%'))::int AS n`,
      [password],
    );
    expect(leaked[0]!.n).toBe(0);
    const audit = await query<{ actor_type: string }>(
      `SELECT actor_type::text FROM audit_log WHERE action = 'user.create' AND resource_id = $1`,
      [user!.id],
    );
    expect(audit).toEqual([{ actor_type: "cli" }]);
  });

  it("user:create with an unknown role exits 2 naming --role", async () => {
    const run = await cli("user:create", "--email", "root@example.test", "--name", "Root", "--role", "superuser");
    expectCleanError(run, 2, /--role must be one of admin, data_scientist, end_user/);
    expect(run.stderr).toContain("Usage: npm run cli");
    expect(await query(`SELECT 1 FROM users WHERE email = 'root@example.test'`)).toHaveLength(0);
  });

  it("a duplicate email exits 1 with a one-line message", async () => {
    const run = await cli("user:create", "--email", "grace@example.test", "--name", "Grace Again", "--role", "end_user", "--password", "another-long-password");
    const line = expectCleanError(run, 1, /A user with that email already exists/);
    expect(run.stderr.trim()).toBe(line);
    const rows = await query<{ display_name: string }>(`SELECT display_name FROM users WHERE email = 'grace@example.test'`);
    expect(rows).toEqual([{ display_name: "Grace Hopper" }]);
  });

  it("user:create --subject links the end user to the application's user id; user:unlink and user:link change it, audited", async () => {
    const linkedTo = async (email: string) =>
      (await query<{ external_id: string | null }>(`SELECT s.external_id FROM users u LEFT JOIN subjects s ON s.pseudonym = u.subject_pseudonym WHERE u.email = $1`, [email]))[0]?.external_id;
    const run = await cli("user:create", "--email", "ada@example.test", "--name", "Ada", "--role", "end_user", "--subject", "app-user-42");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Created end_user ada@example\.test \([0-9a-f-]{36}\), linked to application user app-user-42$/m);
    expect(await linkedTo("ada@example.test")).toBe("app-user-42");

    const staff = await cli("user:create", "--email", "staff@example.test", "--name", "Staff", "--role", "admin", "--subject", "app-user-43");
    expectCleanError(staff, 1, /Only an end user's account can be linked/);
    expect(await query(`SELECT 1 FROM users WHERE email = 'staff@example.test'`)).toHaveLength(0);

    expect((await cli("user:unlink", "--email", "ada@example.test")).code).toBe(0);
    expect(await linkedTo("ada@example.test")).toBeNull();
    const relink = await cli("user:link", "--email", "ada@example.test", "--subject", "app-user-44");
    expect(relink.code, relink.stderr).toBe(0);
    expect(await linkedTo("ada@example.test")).toBe("app-user-44");
    const audit = await query<{ action: string; metadata: string }>(
      `SELECT a.action, a.metadata::text FROM audit_log a JOIN users u ON u.id::text = a.resource_id WHERE u.email = 'ada@example.test' ORDER BY a.id`,
    );
    expect(audit.map((a) => a.action)).toEqual(["user.create", "user.unlink_subject", "user.link_subject"]);
    // The audit names neither the e-mail nor the application user id.
    for (const a of audit) expect(a.metadata).not.toMatch(/app-user|ada@/);
  });

  it("user:set-role changes the role, ends sessions and is audited as cli", async () => {
    const [user] = await query<{ id: string }>(`SELECT id FROM users WHERE email = 'grace@example.test'`);
    await query(
      `INSERT INTO auth_sessions (id, user_id, token_hash, expires_at) VALUES (gen_random_uuid(), $1, $2, now() + interval '1 hour')`,
      [user!.id, createHash("sha256").update("a-session").digest("hex")],
    );
    expect(await query(`SELECT 1 FROM auth_sessions WHERE user_id = $1`, [user!.id])).toHaveLength(1);
    const run = await cli("user:set-role", "--email", "GRACE@example.test", "--role", "admin");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("grace@example.test is now admin");
    expect(await query(`SELECT role::text FROM users WHERE id = $1`, [user!.id])).toEqual([{ role: "admin" }]);
    expect(await query(`SELECT 1 FROM auth_sessions WHERE user_id = $1`, [user!.id])).toHaveLength(0);
    const audit = await query<{ actor_type: string; actor_id: string | null; metadata: unknown }>(
      `SELECT actor_type::text, actor_id, metadata FROM audit_log WHERE action = 'user.set_role' AND resource_id = $1`,
      [user!.id],
    );
    expect(audit).toEqual([{ actor_type: "cli", actor_id: null, metadata: { from: "data_scientist", to: "admin" } }]);

    const bad = await cli("user:set-role", "--email", "grace@example.test", "--role", "root");
    expectCleanError(bad, 2, /--role must be one of/);
    const missing = await cli("user:set-role", "--email", "nobody@example.test", "--role", "admin");
    expectCleanError(missing, 1, /No user with that email/);
  });

  it("api-key:create prints the secret once and stores only its sha256", async () => {
    const run = await cli("api-key:create", "--name", "Checkout service", "--scopes", "ingest, feedback,ingest");
    expect(run.code, run.stderr).toBe(0);
    const prefix = /^Created API key (clk_[0-9a-f]{8}) \(ingest, feedback\)$/m.exec(run.stdout)?.[1];
    expect(prefix, run.stdout).toBeDefined();
    const secrets = [...run.stdout.matchAll(/^Secret \(shown once, store it now\): (\S+)$/gm)].map((m) => m[1]!);
    expect(secrets).toHaveLength(1);
    const secret = secrets[0]!;
    expect(secret.startsWith(`${prefix}_`)).toBe(true);

    const [row] = await query<{ id: string; secret_hash: string; scopes: string[]; revoked_at: Date | null }>(
      `SELECT id, secret_hash, scopes::text[] AS scopes, revoked_at FROM api_keys WHERE prefix = $1`,
      [prefix],
    );
    expect(row!.secret_hash).toBe(createHash("sha256").update(secret, "utf8").digest("hex"));
    expect(row!.scopes).toEqual(["ingest", "feedback"]);
    expect(row!.revoked_at).toBeNull();
    expect(await query(`SELECT 1 FROM api_keys k WHERE k::text LIKE '%' || $1 || '%'`, [secret.slice(prefix!.length + 1)])).toHaveLength(0);
    expect(await query(`SELECT actor_type::text FROM audit_log WHERE action = 'api_key.create' AND resource_id = $1`, [row!.id])).toEqual([
      { actor_type: "cli" },
    ]);
    key = { id: row!.id, prefix: prefix!, secret };
  });

  it("api-key:list shows the prefix but never the secret", async () => {
    const { prefix, secret } = key!;
    const list = await cli("api-key:list");
    expect(list.code, list.stderr).toBe(0);
    const line = list.stdout.split("\n").find((l) => l.startsWith(prefix));
    expect(line).toMatch(/Checkout service\s+ingest,feedback\s+created \S+\s+last used never/);
    expect(list.stdout + list.stderr).not.toContain(secret.slice(prefix.length + 1));
  });

  it("api-key:revoke revokes by prefix, audited as cli, and refuses a second time", async () => {
    const { id, prefix } = key!;
    const revoke = await cli("api-key:revoke", "--prefix", prefix);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toContain(`Revoked ${prefix}`);
    const [revoked] = await query<{ revoked_at: Date | null }>(`SELECT revoked_at FROM api_keys WHERE id = $1`, [id]);
    expect(revoked!.revoked_at).toBeInstanceOf(Date);
    expect(await query(`SELECT actor_type::text FROM audit_log WHERE action = 'api_key.revoke' AND resource_id = $1`, [id])).toEqual([
      { actor_type: "cli" },
    ]);
    const after = await cli("api-key:list");
    expect(after.stdout.split("\n").find((l) => l.startsWith(prefix))).toMatch(/revoked \d{4}-\d\d-\d\dT/);

    expectCleanError(await cli("api-key:revoke", "--prefix", prefix), 1, /already revoked/);
    expectCleanError(await cli("api-key:revoke", "--prefix", "clk_00000000"), 2, /No API key with prefix clk_00000000/);
  });

  it("rejects unknown scopes and missing options with exit 2", async () => {
    const before = await query<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys`);
    expectCleanError(await cli("api-key:create", "--name", "Bad", "--scopes", "bogus"), 2, /--scopes .*scope/i);
    expectCleanError(await cli("api-key:create", "--name", "Bad"), 2, /--scopes is required/);
    expect(await query(`SELECT count(*)::int AS n FROM api_keys`)).toEqual(before);
  });

  it("an unknown command exits 2 with the usage text", async () => {
    const run = await cli("frobnicate");
    expectCleanError(run, 2, /Unknown command "frobnicate"/);
    expect(run.stderr).toContain("Usage: npm run cli -- <command> [options]");
    expect(run.stderr).toContain("api-key:revoke --prefix");
    const bare = await cli();
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain("Usage: npm run cli");
  });

  it("features:extract extracts a consent-clean set; subject:models names the versions trained on a person, never the person", async () => {
    const pseudonym = pseudonymFor("cli-person", SECRET);
    await query(`INSERT INTO subjects (id, external_id, pseudonym) VALUES (gen_random_uuid(), 'cli-person', $1)`, [pseudonym]);
    await query(
      `INSERT INTO consent_settings (id, subject_pseudonym, purpose, granted, method, notice_version) VALUES (gen_random_uuid(), $1, 'ai_training', true, 'explicit', '1')`,
      [pseudonym],
    );
    await ensureLogPartitions(client, new Date("2020-06-02T00:00:00Z"), new Date("2020-06-02T00:00:00Z"));
    await query(`INSERT INTO system_logs (event_id, occurred_at, type, name, subject_pseudonym) VALUES ('cli-e1', '2020-06-02T10:00:00Z', 'user_action', 'search', $1)`, [pseudonym]);

    const run = await cli("features:extract", "--type", "user_behavior", "--start", "2020-06-01", "--end", "2020-06-08");
    expect(run.code, run.stderr).toBe(0);
    const setId = /^Feature set ([0-9a-f-]{36}): 1 rows, 1 subjects included$/m.exec(run.stdout)?.[1];
    expect(setId, run.stdout).toBeDefined();
    expect(run.stdout).toMatch(/^digest sha256:[0-9a-f]{64}$/m);

    const [model] = await query<{ id: string }>(`INSERT INTO model_registry (id, name, model_type) VALUES (gen_random_uuid(), 'cli-model', 'classifier') RETURNING id`);
    const [version] = await query<{ id: string }>(`INSERT INTO model_versions (id, model_id, version) VALUES (gen_random_uuid(), $1, '1.0.0') RETURNING id`, [model!.id]);
    await query(`INSERT INTO model_version_feature_sets (model_version_id, feature_set_id) VALUES ($1, $2)`, [version!.id, setId]);
    const models = await cli("subject:models", "--subject", "cli-person");
    expect(models.code, models.stderr).toBe(0);
    expect(models.stdout.trim()).toBe(`cli-model 1.0.0\tfeature set ${setId}`);
    expect(models.stdout + models.stderr).not.toContain("cli-person");
    expect((await cli("subject:models", "--subject", "nobody")).stdout.trim()).toBe("No model version was trained on this person's data.");

    expectCleanError(await cli("features:extract", "--type", "everything", "--start", "2020-06-01", "--end", "2020-06-08"), 2, /--type must be one of user_behavior, ai_usage, error_patterns/);
    expectCleanError(await cli("features:extract", "--type", "ai_usage", "--start", "2020-06-08", "--end", "2020-06-01"), 1, /endDate must be after startDate/);
  });

  it("an invalid CLEARLOG_SECRET is one line, exit 1, without a stack trace", async () => {
    const run = await cliWith({ CLEARLOG_SECRET: "short" }, "api-key:list");
    const line = expectCleanError(run, 1, /CLEARLOG_SECRET must be at least 32 characters/);
    expect(run.stderr.trim()).toBe(line);
  });
});
