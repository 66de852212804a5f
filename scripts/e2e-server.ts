import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { e2eDatabaseUrlFile } from "@/test/support/e2e-database";
import { e2eSinkPorts } from "@/test/support/e2e-sink-ports";
import { embeddedUrl } from "../lib/db/embedded";
import { dropStaleDatabases } from "@/test/support/test-database";
import { childEnv, env } from "../lib/env";

// The server Playwright tests run against: `npm start` on its own fresh database (a new database on
// TEST_DATABASE_URL/DATABASE_URL's server, or the embedded PostgreSQL in a temporary folder), on
// CLEARLOG_E2E_PORT (3100). E-mail goes to the SMTP sink Playwright starts beside it
// (test/support/e2e-sinks.ts), and webhooks may reach that local receiver. The database's URL is
// written for specs that look at storage itself (test/support/e2e-database.ts).

async function main() {
  const e = env();
  const serverUrl = e.TEST_DATABASE_URL ?? e.DATABASE_URL;
  const extraEnv: Record<string, string> = {
    PORT: String(e.CLEARLOG_E2E_PORT),
    HOSTNAME: "127.0.0.1",
    CLEARLOG_SECRET: randomBytes(32).toString("hex"),
    NEXT_TELEMETRY_DISABLED: "1",
    CLEARLOG_SMTP_URL: `smtp://127.0.0.1:${e2eSinkPorts().smtp}`,
    CLEARLOG_MAIL_FROM: "Clearlog e2e <privacy@clearlog.test>",
    CLEARLOG_WEBHOOK_ALLOW_PRIVATE: "1",
  };
  let cleanup: () => Promise<void>;
  let databaseUrl: string;
  if (serverUrl) {
    const name = `clearlog_e2e_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await dropStaleDatabases(admin, "clearlog_e2e_");
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    extraEnv.DATABASE_URL = databaseUrl = url.toString();
    cleanup = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), "clearlog-e2e-"));
    // Reachable by the postgres user, which runs the embedded server when this runs as root.
    await chmod(dir, 0o755);
    extraEnv.CLEARLOG_DATA_DIR = dir;
    extraEnv.CLEARLOG_EMBEDDED_PG_PORT = "54339";
    // The embedded server's password is made here, so that its URL is known to the specs too.
    const password = randomBytes(24).toString("base64url");
    await writeFile(path.join(dir, "pg-password"), password, { mode: 0o600 });
    databaseUrl = embeddedUrl(54339, password);
    cleanup = () => rm(dir, { recursive: true, force: true });
  }
  const urlFile = e2eDatabaseUrlFile(e.CLEARLOG_E2E_PORT);
  await writeFile(urlFile, databaseUrl, { mode: 0o600 });
  const tsx = require.resolve("tsx/cli");
  const child = spawn(process.execPath, [tsx, "--conditions=react-server", "scripts/start.ts"], {
    stdio: "inherit",
    env: childEnv({ ...extraEnv, DATABASE_URL: extraEnv.DATABASE_URL ?? "" }),
  });
  const stop = () => child.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const code = await new Promise<number>((resolve) => child.once("exit", (c) => resolve(c ?? 0)));
  await Promise.all([cleanup().catch(() => {}), rm(urlFile, { force: true })]);
  process.exit(code);
}

void main();
