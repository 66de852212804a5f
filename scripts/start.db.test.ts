import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, copyFile, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testServerUrl } from "@/test/support/test-database";
import { childEnv } from "../lib/env";

// `npm start`'s startup errors: each is one `[clearlog] error:` line, exit 1, no stack, and quick.
// Every case fails before migrations, so none reaches the build step; each gets a throwaway data
// directory and embedded-PG port so the real .data/ and port 54329 are never touched.
const root = path.resolve(__dirname, "..");
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
const GOOD_SECRET = "start-test-secret-0123456789abcdef01234567";
const TIME_LIMIT_MS = 20_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const dataDirs: string[] = [];
let occupied: net.Server | undefined;

async function start(overrides: Record<string, string>, dataDir?: string): Promise<Run & { dataDir: string }> {
  if (!dataDir) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "clearlog-start-test-"));
    // Reachable by the postgres user, which runs the embedded server when the tests run as root.
    await chmod(dataDir, 0o755);
    dataDirs.push(dataDir);
  }
  const env = childEnv({
    NEXT_TELEMETRY_DISABLED: "1",
    CLEARLOG_DATA_DIR: dataDir,
    CLEARLOG_EMBEDDED_PG_PORT: String(await freePort()),
    CLEARLOG_SECRET: GOOD_SECRET,
    HOSTNAME: "127.0.0.1",
    PORT: String(await freePort()),
    ...overrides,
  });
  delete env.TEST_DATABASE_URL;
  const began = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, "--conditions=react-server", "scripts/start.ts"], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // A hang (or a case that got further than it should) is stopped, and then fails the time check.
    const timer = setTimeout(() => child.kill("SIGKILL"), TIME_LIMIT_MS + 5_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - began, dataDir: dataDir! });
    });
  });
}

/** Exactly one stderr line, the given message, exit 1, in time, and nothing past the database check. */
function expectStartupError(run: Run, message: RegExp): string {
  // Stack frames are defanged in failure messages, or Vitest tries to source-map them.
  const shown = run.stderr.replace(/^(\s+)at /gm, "$1@ ");
  expect(/^\s+at /m.test(run.stderr), `stack trace on stderr:\n${shown}`).toBe(false);
  const lines = run.stderr.trim().split("\n");
  expect(lines, shown).toHaveLength(1);
  expect(lines[0]).toMatch(/^\[clearlog\] error: /);
  expect(lines[0]).toMatch(message);
  expect(run.code).toBe(1);
  expect(run.ms).toBeLessThan(TIME_LIMIT_MS);
  expect(run.stdout).not.toMatch(/migrations:|building the web app|serving http/);
  return lines[0]!;
}

/** A postgresql:// URL to 127.0.0.1 on a port nothing listens on. */
async function closedPortUrl(): Promise<{ url: string; port: number }> {
  const port = await freePort();
  return { url: `postgresql://postgres:hunter2-not-shown@127.0.0.1:${port}/clearlog`, port };
}

afterAll(async () => {
  await new Promise<void>((resolve) => (occupied ? occupied.close(() => resolve()) : resolve()));
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("npm start: startup errors", () => {
  it("(a) a DATABASE_URL that is not PostgreSQL names DATABASE_URL", async () => {
    const run = await start({ DATABASE_URL: "mysql://x" });
    expectStartupError(run, /DATABASE_URL must be a postgresql:\/\/ connection string/);
  });

  it("(b) a DATABASE_URL to a closed port says connection refused, without the password", async () => {
    const { url, port } = await closedPortUrl();
    const run = await start({ DATABASE_URL: url });
    const line = expectStartupError(run, new RegExp(`127\\.0\\.0\\.1:${port}/clearlog: connection refused`));
    expect(line).not.toContain("hunter2");
    expect(run.stdout).not.toContain("hunter2");
  });

  it("(c) a database that does not exist says so", async () => {
    const missing = new URL(testServerUrl()!);
    missing.pathname = `/clearlog_missing_${randomBytes(6).toString("hex")}`;
    const run = await start({ DATABASE_URL: missing.toString() });
    expectStartupError(run, /the database does not exist/);
  });

  it("(d) a PORT already in use says so before touching any database", async () => {
    occupied = net.createServer();
    await new Promise<void>((resolve) => occupied!.listen(0, "127.0.0.1", resolve));
    const { port } = occupied.address() as net.AddressInfo;
    // Were the port check skipped, the closed-port database would fail with another message.
    const { url } = await closedPortUrl();
    const run = await start({ PORT: String(port), HOSTNAME: "127.0.0.1", DATABASE_URL: url });
    expectStartupError(run, new RegExp(`^\\[clearlog\\] error: Port ${port} is in use`));
    expect(run.stdout).toBe("");
  });

  it("(e) a CLEARLOG_SECRET that is too short names CLEARLOG_SECRET", async () => {
    const { url } = await closedPortUrl();
    const run = await start({ CLEARLOG_SECRET: "too-short", DATABASE_URL: url });
    expectStartupError(run, /CLEARLOG_SECRET must be at least 32 characters/);
    // The short secret is rejected, not replaced by a generated one.
    expect(await readdir(run.dataDir)).toEqual([]);
  });

  it("without DATABASE_URL, a taken embedded-PG port is reported rather than joined", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const run = await start({ DATABASE_URL: "", CLEARLOG_EMBEDDED_PG_PORT: String(port) });
      expectStartupError(run, new RegExp(`Port ${port} for the embedded PostgreSQL is in use.*CLEARLOG_EMBEDDED_PG_PORT`));
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it("without DATABASE_URL, a data directory left by the PGlite embedded server is refused and left untouched", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "clearlog-start-test-"));
    await chmod(dataDir, 0o755);
    dataDirs.push(dataDir);
    const fixtures = path.join(root, "test", "support", "fixtures");
    await mkdir(path.join(dataDir, "pg", "global"), { recursive: true });
    await copyFile(path.join(fixtures, "pglite-0.5.14-PG_VERSION"), path.join(dataDir, "pg", "PG_VERSION"));
    await copyFile(path.join(fixtures, "pglite-0.5.14-pg_control"), path.join(dataDir, "pg", "global", "pg_control"));
    const run = await start({ DATABASE_URL: "" }, dataDir);
    expectStartupError(run, /pg holds a database made by PGlite.*Nothing was changed\. Move it aside to start afresh \(mv .*pg .*pg-pglite\)/);
    expect((await readdir(path.join(dataDir, "pg"), { recursive: true })).sort()).toEqual(["PG_VERSION", "global", "global/pg_control"]);
    // No password file, no cluster: nothing beside it either.
    expect((await readdir(dataDir)).sort()).toEqual(["pg"]);
  });
});
