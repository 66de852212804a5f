import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dataDirProblem, float8ByReference, inspectDataDir } from "./embedded-data-dir";

// What the embedded server finds in its data folder, from the files alone: PGlite's folder (a 32-bit
// WebAssembly build) must be told apart from a PostgreSQL 18 cluster before any server opens it.
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function folder(files: Record<string, string | Buffer> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "clearlog-datadir-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

/** A pg_control laid out as PostgreSQL writes it: the float format value at 208, float8ByVal 40 bytes on. */
function control(float8ByVal: boolean, formatAt = 208): Buffer {
  const b = Buffer.alloc(8192);
  b.writeBigUInt64LE(7446129583457169962n, 0);
  b.writeUInt32LE(1800, 8);
  b.writeUInt32LE(8192, 200);
  b.writeDoubleLE(1234567.0, formatAt);
  b.writeUInt32LE(8192, formatAt + 8);
  b[formatAt + 40] = float8ByVal ? 1 : 0;
  return b;
}

describe("inspectDataDir", () => {
  it("a missing or empty folder is empty: initdb may create the cluster there", async () => {
    const dir = await folder();
    expect(await inspectDataDir(dir)).toEqual({ kind: "empty" });
    expect(await inspectDataDir(path.join(dir, "not-there"))).toEqual({ kind: "empty" });
  });

  it("a PostgreSQL 18 cluster of a 64-bit build is a cluster", async () => {
    const dir = await folder({ PG_VERSION: "18\n", "global/pg_control": control(true) });
    expect(await inspectDataDir(dir, "x64")).toEqual({ kind: "cluster" });
  });

  it("PGlite's folder (PG_VERSION 18, float8 by reference) is recognized on a 64-bit machine", async () => {
    const dir = await folder({ PG_VERSION: "18\n", "global/pg_control": control(false), "postgresql.conf": "lc_messages = C\n" });
    expect(await inspectDataDir(dir, "x64")).toEqual({ kind: "pglite" });
    expect(await inspectDataDir(dir, "arm64")).toEqual({ kind: "pglite" });
    // A 32-bit machine's own PostgreSQL stores float8 by reference too: there it is a cluster.
    expect(await inspectDataDir(dir, "ia32")).toEqual({ kind: "cluster" });
  });

  it("recognizes the folder PGlite 0.5.14 really wrote (its PG_VERSION and pg_control, kept as fixtures)", async () => {
    const fixtures = path.resolve(__dirname, "../../test/support/fixtures");
    const dir = await folder({
      PG_VERSION: await readFile(path.join(fixtures, "pglite-0.5.14-PG_VERSION")),
      "global/pg_control": await readFile(path.join(fixtures, "pglite-0.5.14-pg_control")),
    });
    expect(await inspectDataDir(dir, "x64")).toEqual({ kind: "pglite" });
  });

  it("finds the float format wherever the layout puts it", () => {
    expect(float8ByReference(control(false, 200))).toBe(true);
    expect(float8ByReference(control(true, 216))).toBe(false);
    expect(float8ByReference(Buffer.alloc(512))).toBeNull();
  });

  it("another major version, and a folder without PG_VERSION, are not used", async () => {
    expect(await inspectDataDir(await folder({ PG_VERSION: "17\n", "global/pg_control": control(true) }), "x64")).toEqual({
      kind: "other-version",
      version: "17",
    });
    expect(await inspectDataDir(await folder({ "notes.txt": "mine" }))).toEqual({ kind: "not-a-cluster" });
  });
});

describe("dataDirProblem", () => {
  it("has nothing to say about an empty folder or a cluster", () => {
    expect(dataDirProblem({ kind: "empty" }, ".data/pg")).toBeNull();
    expect(dataDirProblem({ kind: "cluster" }, ".data/pg")).toBeNull();
  });

  it("names PGlite, says nothing changed, and gives both ways forward", () => {
    const message = dataDirProblem({ kind: "pglite" }, ".data/pg")!;
    expect(message).toMatch(/^\.data\/pg holds a database made by PGlite/);
    expect(message).toContain("Nothing was changed.");
    expect(message).toContain("mv .data/pg .data/pg-pglite");
    expect(message).toContain("docs/database.md");
  });

  it("names the version of a cluster from another PostgreSQL", () => {
    expect(dataDirProblem({ kind: "other-version", version: "16" }, "x/pg")).toMatch(/PostgreSQL 16 database; the embedded server is PostgreSQL 18/);
    expect(dataDirProblem({ kind: "not-a-cluster" }, "x/pg")).toMatch(/not empty and holds no PostgreSQL data/);
  });
});
