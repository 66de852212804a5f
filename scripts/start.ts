import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { database } from "../lib/db/client";
import { migrate, MigrationError } from "../lib/db/migrator";
import { childEnv, env, EnvError } from "../lib/env";
import { seedDemoOnFirstStart, warnAboutDemoPasswords } from "./demo-seed";
import { ensureSecret, portInUse, resolveDatabase, StartupError, pointAtDatabase, type DatabaseTarget } from "./database-target";

// `npm start`: database (embedded unless DATABASE_URL), migrations, demo data once, build if the
// sources changed, then the Next.js server. Ctrl-C stops everything cleanly.
const dev = process.argv.includes("--dev");
const log = (line: string) => console.log(`[clearlog] ${line}`);
const nextBin = path.join(path.dirname(require.resolve("next/package.json")), "dist", "bin", "next");

const SOURCES = ["app", "components", "lib", "prisma", "public", "next.config.ts", "package.json", "tailwind.config.ts", "postcss.config.mjs"];

async function newestMtime(entry: string): Promise<number> {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  if (entry.endsWith(path.join("lib", "db", "generated"))) return 0;
  let newest = 0;
  for (const child of await readdir(entry)) newest = Math.max(newest, await newestMtime(path.join(entry, child)));
  return newest;
}

async function buildIsStale(): Promise<boolean> {
  const buildId = path.join(".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  for (const source of SOURCES) if ((await newestMtime(source)) > built) return true;
  return false;
}

/** Children in a process group of their own, stopped as a whole: next build leaves workers behind otherwise. */
const grouped = new WeakSet<ChildProcess>();

function run(args: string[], extraEnv: Record<string, string>, group = false): ChildProcess {
  const child = spawn(process.execPath, [nextBin, ...args], { stdio: "inherit", env: childEnv(extraEnv), detached: group });
  if (group) grouped.add(child);
  return child;
}

function terminate(child: ChildProcess): void {
  if (grouped.has(child) && child.pid) {
    try {
      process.kill(-child.pid, "SIGTERM");
      return;
    } catch {
      // The group is gone already; the child itself is signalled below.
    }
  }
  child.kill("SIGTERM");
}

function waitFor(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<void> {
  let target: DatabaseTarget | undefined;
  let server: ChildProcess | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (server && server.exitCode === null) {
      terminate(server);
      await waitFor(server);
    }
    // database() itself throws when the configuration is invalid; that was already reported.
    await Promise.resolve().then(() => database().close()).catch(() => {});
    if (target?.embedded) {
      log("stopping the embedded PostgreSQL");
      await target.embedded.stop();
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    const { PORT: port, HOSTNAME: host } = env();
    if (await portInUse(port, host === "0.0.0.0" ? "0.0.0.0" : host)) {
      throw new StartupError(`Port ${port} is in use. Stop what is using it, or set PORT to another port.`);
    }
    await ensureSecret(log);
    target = await resolveDatabase({ log, joinRunning: false });
    pointAtDatabase(target.url);
    log(`database: ${target.describe}`);
    const migrated = await migrate(target.url, { log: (line) => log(`migrations: ${line}`) });
    log(`migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied} already in place`);

    // Checking the demo passwords costs a password hash each: it runs while the web server starts.
    if (!(await seedDemoOnFirstStart(log))) void warnAboutDemoPasswords(log).catch(() => {});

    const serverEnv = { NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: target.url, CLEARLOG_SECRET: env().CLEARLOG_SECRET!, PORT: String(port) };
    if (dev) {
      server = run(["dev", "-p", String(port), "-H", host], serverEnv);
    } else {
      if (await buildIsStale()) {
        log("building the web app (first start or sources changed; this takes a minute or two)");
        // Kept in `server` while it runs, so that a stop also stops the build.
        server = run(["build"], { ...serverEnv, NODE_ENV: "production" }, true);
        const code = await waitFor(server);
        if (stopping) return;
        if (code !== 0) throw new StartupError("The build failed; see the output above.");
      }
      server = run(["start", "-p", String(port), "-H", host], { ...serverEnv, NODE_ENV: "production" });
    }
    log(`serving http://localhost:${port} (Ctrl-C to stop)`);
    const code = await waitFor(server);
    if (!stopping) {
      log(`the web server exited with code ${code}`);
      await stop(code === 0 ? 0 : 1);
    }
  } catch (error) {
    const known = error instanceof StartupError || error instanceof EnvError || error instanceof MigrationError;
    console.error(`[clearlog] error: ${known ? (error as Error).message : String(error)}`);
    if (!known) console.error(error);
    await stop(1);
  }
}

void main();
