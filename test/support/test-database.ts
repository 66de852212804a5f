import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { env } from "@/lib/env";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrator";

// Database-test harness: every test file gets its own freshly migrated database, dropped afterwards,
// on the server in TEST_DATABASE_URL or DATABASE_URL. Without either, the db project's global setup
// (test/support/db-global-setup.ts) starts one embedded PostgreSQL for the run and sets
// TEST_DATABASE_URL to it; outside Vitest (benchmarks) each call starts a throwaway one.
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
    const cluster = await startThrowawayPostgres();
    result = { url: cluster.url, kind: "embedded", drop: cluster.stop };
  }
  if (options.migrate !== false) await migrate(result.url);
  return result;
}

/**
 * An embedded PostgreSQL in a temporary folder, without fsync, removed when stopped. The folder is
 * readable by others so that, as root, the postgres user can reach the cluster inside it.
 */
export async function startThrowawayPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "clearlog-pg-"));
  await chmod(dir, 0o755);
  try {
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: 0, durable: false });
    return {
      url: server.url,
      async stop() {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
