import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { embeddedUrl, EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedPostgres } from "../lib/db/embedded";
import { dataDirProblem, inspectDataDir, shownPath } from "../lib/db/embedded-data-dir";
import { env, overrideEnv } from "../lib/env";

// Shared by `npm start` and the CLI: which PostgreSQL to use, and the server secret.
export class StartupError extends Error {}

export interface DatabaseTarget {
  url: string;
  embedded: EmbeddedPostgres | null;
  describe: string;
}

export function portInUse(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(true));
    server.once("listening", () => server.close(() => resolve(false)));
    server.listen(port, host);
  });
}

function describeUrl(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** One line for what went wrong reaching PostgreSQL; never the password. */
export function explainDbError(error: unknown, url: string): string {
  const where = describeUrl(url);
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case "ECONNREFUSED":
      return `Cannot reach PostgreSQL at ${where}: connection refused. Is the server running?`;
    case "ENOTFOUND":
      return `Cannot reach PostgreSQL at ${where}: unknown host.`;
    case "ETIMEDOUT":
      return `Cannot reach PostgreSQL at ${where}: timed out.`;
    case "3D000":
      return `PostgreSQL at ${where}: the database does not exist. Create it first (createdb).`;
    case "28P01":
    case "28000":
      return `PostgreSQL at ${where} refused the credentials in DATABASE_URL.`;
    default:
      return `Cannot use PostgreSQL at ${where}: ${e.message ?? String(error)}`;
  }
}

export async function checkConnection(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new StartupError(explainDbError(error, url));
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The embedded server's password for the role postgres: generated with the cluster, kept beside it in
 * the data directory (readable by this user only), and read again by the CLI when it joins.
 */
async function embeddedPassword(file: string, clusterExists: boolean): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  if (clusterExists) {
    throw new StartupError(
      `${shownPath(file)} is missing: it holds the embedded PostgreSQL's password. Restore it from your backup of the data directory.`,
    );
  }
  const password = randomBytes(24).toString("base64url");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, password, { mode: 0o600 });
  return password;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL under .data/. When an embedded server is
 * already listening (npm start is running), the CLI joins it instead of opening the data twice.
 */
export async function resolveDatabase(options: { log: (line: string) => void; joinRunning: boolean }): Promise<DatabaseTarget> {
  const e = env();
  if (e.DATABASE_URL) {
    await checkConnection(e.DATABASE_URL);
    return { url: e.DATABASE_URL, embedded: null, describe: describeUrl(e.DATABASE_URL) };
  }
  const port = e.CLEARLOG_EMBEDDED_PG_PORT;
  const dataDir = path.resolve(e.CLEARLOG_DATA_DIR, "pg");
  const passwordFile = path.resolve(e.CLEARLOG_DATA_DIR, "pg-password");
  if (await portInUse(port)) {
    if (options.joinRunning && existsSync(passwordFile)) {
      const url = embeddedUrl(port, await embeddedPassword(passwordFile, true));
      await checkConnection(url);
      return { url, embedded: null, describe: `embedded PostgreSQL already running on port ${port}` };
    }
    throw new StartupError(
      `Port ${port} for the embedded PostgreSQL is in use: another Clearlog is running, or a PostgreSQL left behind by one that was killed (docs/database.md). Stop it, or set CLEARLOG_EMBEDDED_PG_PORT.`,
    );
  }
  options.log(`starting embedded PostgreSQL (data in ${shownPath(dataDir)})`);
  try {
    const state = await inspectDataDir(dataDir);
    const problem = dataDirProblem(state, shownPath(dataDir));
    if (problem) throw new StartupError(problem);
    const password = await embeddedPassword(passwordFile, state.kind !== "empty");
    const embedded = await startEmbeddedPostgres({ dataDir, port, password, log: options.log });
    return { url: embedded.url, embedded, describe: `embedded PostgreSQL 18 on port ${port}` };
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw new StartupError(error.message);
    throw error;
  }
}

/** CLEARLOG_SECRET, or one generated once and kept in the data directory. */
export async function ensureSecret(log: (line: string) => void): Promise<void> {
  if (env().CLEARLOG_SECRET) return;
  const dir = path.resolve(env().CLEARLOG_DATA_DIR);
  const file = path.join(dir, "secret.key");
  if (!existsSync(file)) {
    await mkdir(dir, { recursive: true });
    await writeFile(file, randomBytes(32).toString("hex"), { mode: 0o600 });
    log(`generated the server secret in ${shownPath(file)} (back it up: pseudonyms depend on it)`);
  }
  overrideEnv({ CLEARLOG_SECRET: (await readFile(file, "utf8")).trim() });
}

export function pointAtDatabase(url: string): void {
  overrideEnv({ DATABASE_URL: url });
}
