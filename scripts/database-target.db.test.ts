import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { afterEach, describe, expect, it } from "vitest";
import { overrideEnv } from "../lib/env";
import { resolveDatabase, StartupError, type DatabaseTarget } from "./database-target";

// The embedded PostgreSQL as `npm start` and the CLI reach it (no DATABASE_URL): created in
// CLEARLOG_DATA_DIR on the first start, kept across restarts, joined by the CLI, and a real server.
const started: DatabaseTarget[] = [];
const dirs: string[] = [];
let restoreEnv: (() => void) | undefined;

afterEach(async () => {
  for (const t of started.splice(0)) await t.embedded?.stop();
  restoreEnv?.();
  restoreEnv = undefined;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A data directory of its own (reachable by the postgres user when running as root), and no DATABASE_URL. */
async function embeddedEnv(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "clearlog-target-test-"));
  await chmod(dir, 0o755);
  dirs.push(dir);
  restoreEnv = overrideEnv({ DATABASE_URL: "", CLEARLOG_DATA_DIR: dir, CLEARLOG_EMBEDDED_PG_PORT: String(await freePort()) });
  return dir;
}

async function resolve(joinRunning = false): Promise<DatabaseTarget> {
  const target = await resolveDatabase({ log: () => {}, joinRunning });
  started.push(target);
  return target;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe("the embedded PostgreSQL", () => {
  it("keeps its data across a restart: start, write, stop, start, read", async () => {
    const dir = await embeddedEnv();
    const first = await resolve();
    expect(first.embedded).not.toBeNull();
    expect(first.describe).toMatch(/^embedded PostgreSQL 18 on port \d+$/);
    await withClient(first.url, async (c) => {
      await c.query("CREATE TABLE kept (note text)");
      await c.query("INSERT INTO kept VALUES ('written before the restart')");
    });
    await first.embedded!.stop();
    // The password lives beside the cluster, readable by this user only.
    expect((await stat(path.join(dir, "pg-password"))).mode & 0o777).toBe(0o600);

    const second = await resolve();
    expect(second.url).toBe(first.url);
    const rows = await withClient(second.url, async (c) => (await c.query("SELECT note FROM kept")).rows);
    expect(rows).toEqual([{ note: "written before the restart" }]);
  });

  it("is joined by the CLI while it runs, with the password kept in the data directory", async () => {
    await embeddedEnv();
    const running = await resolve();
    const joined = await resolve(true);
    expect(joined.embedded).toBeNull();
    expect(joined.describe).toMatch(/already running/);
    expect(await withClient(joined.url, async (c) => (await c.query("SELECT 1 AS one")).rows)).toEqual([{ one: 1 }]);
    // npm start does not join: a second one is refused.
    await expect(resolve(false)).rejects.toThrow(/for the embedded PostgreSQL is in use/);
    expect(running.embedded).not.toBeNull();
  });

  it("is the production engine: COPY FROM STDIN, and advisory locks that exclude another session", async () => {
    await embeddedEnv();
    const { url } = await resolve();
    await withClient(url, async (a) => {
      await a.query("CREATE TABLE copied (n int, s text)");
      await pipeline(Readable.from(["1\tone\n2\ttwo\n"]), a.query(copyFrom("COPY copied (n, s) FROM STDIN")));
      expect((await a.query("SELECT count(*)::int AS n FROM copied")).rows[0]).toEqual({ n: 2 });
      expect((await a.query("SELECT version() AS v")).rows[0].v).toMatch(/^PostgreSQL 18\.\d+ .*64-bit$/);
      await a.query("SELECT pg_advisory_lock(4242)");
      await withClient(url, async (b) => {
        expect((await b.query("SELECT pg_try_advisory_lock(4242) AS got")).rows[0]).toEqual({ got: false });
      });
    });
  });

  it("refuses a PGlite data folder with a clear message, and leaves it exactly as it was", async () => {
    const dir = await embeddedEnv();
    const fixtures = path.resolve(__dirname, "../test/support/fixtures");
    const pgDir = path.join(dir, "pg");
    await mkdir(path.join(pgDir, "global"), { recursive: true });
    await writeFile(path.join(pgDir, "PG_VERSION"), await readFile(path.join(fixtures, "pglite-0.5.14-PG_VERSION")));
    await writeFile(path.join(pgDir, "global", "pg_control"), await readFile(path.join(fixtures, "pglite-0.5.14-pg_control")));
    const before = await snapshot(dir);

    const refusal = resolve().then(
      () => null,
      (error: unknown) => error,
    );
    const error = await refusal;
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(/pg holds a database made by PGlite, Clearlog's earlier embedded server/);
    expect((error as Error).message).toContain("Nothing was changed.");
    expect(await snapshot(dir)).toEqual(before);
  });

  it.skipIf(process.getuid?.() !== 0)("as root, says when the postgres user cannot reach the data directory", async () => {
    const dir = await embeddedEnv();
    await chmod(dir, 0o700);
    await expect(resolve()).rejects.toThrow(/PostgreSQL runs as the user postgres, which must be able to reach .*CLEARLOG_DATA_DIR/);
  });
});

/** Every file under dir with its size and modification time. */
async function snapshot(dir: string): Promise<Record<string, [number, number]>> {
  const out: Record<string, [number, number]> = {};
  for (const entry of await readdir(dir, { recursive: true })) {
    const s = await stat(path.join(dir, entry));
    out[entry] = [s.size, s.mtimeMs];
  }
  return out;
}
