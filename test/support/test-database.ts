import { randomBytes } from "node:crypto";
import pg from "pg";
import { env } from "@/lib/env";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrator";

// Database-test harness: every test file gets its own freshly migrated database, dropped afterwards.
// On a real server (TEST_DATABASE_URL or DATABASE_URL) that is a new database; otherwise an
// in-memory embedded PostgreSQL on a free port.
export interface TestDatabase {
  url: string;
  kind: "server" | "embedded";
  drop(): Promise<void>;
}

/** Read once at import, before the per-file setup points DATABASE_URL at the file's own database. */
const serverUrlAtStart = (() => {
  const e = env();
  return e.TEST_DATABASE_URL ?? e.DATABASE_URL;
})();

export function testServerUrl(): string | undefined {
  return serverUrlAtStart;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const STALE_AFTER_MS = 6 * 3_600_000;

/**
 * Drops databases `<prefix><base36 time>…` created over six hours ago: left behind by a test run or
 * an e2e server that was killed before it could clean up.
 */
export async function dropStaleDatabases(admin: pg.Client, prefix: "clearlog_test_" | "clearlog_e2e_", now = Date.now()): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
  const stale = staleDatabaseNames(rows.map((r) => r.datname), prefix, now);
  for (const name of stale) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  return stale;
}

export function staleDatabaseNames(names: string[], prefix: string, now: number): string[] {
  return names.filter((name) => {
    if (!name.startsWith(prefix)) return false;
    const created = parseInt(name.slice(prefix.length).split("_")[0] ?? "", 36);
    return Number.isFinite(created) && now - created > STALE_AFTER_MS;
  });
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  let result: TestDatabase;
  if (serverUrl) {
    const name = `clearlog_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await dropStaleDatabases(admin, "clearlog_test_");
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    result = {
      url: withDatabase(serverUrl, name),
      kind: "server",
      async drop() {
        const c = new pg.Client({ connectionString: serverUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  } else {
    const embedded = await startEmbeddedPostgres({ port: 0 });
    result = { url: embedded.url, kind: "embedded", drop: () => embedded.stop() };
  }
  if (options.migrate !== false) await migrate(result.url);
  return result;
}
