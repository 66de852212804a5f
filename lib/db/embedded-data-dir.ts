import "server-only";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

// What is in the embedded server's data folder, read from the files alone, before any server opens it:
// nothing yet, a cluster this PostgreSQL can open, or something it must not touch.
export const EMBEDDED_PG_MAJOR = "18";

export type DataDirState =
  | { kind: "empty" }
  | { kind: "cluster" }
  | { kind: "pglite" }
  | { kind: "other-version"; version: string }
  | { kind: "not-a-cluster" };

// pg_control stores the float format check value 1234567.0; eight uint32 fields after it comes
// float8ByVal, false only in 32-bit builds such as PGlite's WebAssembly one.
const FLOAT_FORMAT = 1234567.0;
const FLOAT8_BYVAL_AFTER_FORMAT = 8 + 8 * 4;

/** Whether pg_control says the cluster stores float8 by reference (a 32-bit build); null when unreadable. */
export function float8ByReference(control: Buffer): boolean | null {
  for (let offset = 0; offset + FLOAT8_BYVAL_AFTER_FORMAT < Math.min(control.length, 1024); offset += 4) {
    if (control.readDoubleLE(offset) === FLOAT_FORMAT) return control[offset + FLOAT8_BYVAL_AFTER_FORMAT] === 0;
  }
  return null;
}

const SIXTY_FOUR_BIT = new Set(["x64", "arm64", "ppc64", "s390x", "riscv64", "loong64"]);

export async function inspectDataDir(dir: string, arch: string = process.arch): Promise<DataDirState> {
  if (!existsSync(dir) || (await readdir(dir)).length === 0) return { kind: "empty" };
  const versionFile = path.join(dir, "PG_VERSION");
  if (!existsSync(versionFile)) return { kind: "not-a-cluster" };
  const version = (await readFile(versionFile, "utf8")).trim();
  // PGlite (Clearlog's embedded server before PostgreSQL 18 binaries) writes a real PostgreSQL data
  // folder, but from a 32-bit WebAssembly build that a 64-bit server refuses to open.
  const control = await readFile(path.join(dir, "global", "pg_control")).catch(() => null);
  if (control && SIXTY_FOUR_BIT.has(arch) && float8ByReference(control) === true) return { kind: "pglite" };
  if (version !== EMBEDDED_PG_MAJOR) return { kind: "other-version", version };
  return { kind: "cluster" };
}

/** A folder as the user knows it: relative to the working directory when inside it, else absolute. */
export function shownPath(folder: string): string {
  const relative = path.relative(process.cwd(), folder);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : path.resolve(folder);
}

/** Why the folder cannot be used, and what to do; null when it can. `shown` is the folder as the user knows it. */
export function dataDirProblem(state: DataDirState, shown: string): string | null {
  switch (state.kind) {
    case "empty":
    case "cluster":
      return null;
    case "pglite":
      return (
        `${shown} holds a database made by PGlite, Clearlog's earlier embedded server, which PostgreSQL ${EMBEDDED_PG_MAJOR} cannot open. ` +
        `Nothing was changed. Move it aside to start afresh (mv ${shown} ${shown}-pglite), or carry its data over as ` +
        `docs/database.md describes ("Data from the PGlite embedded server").`
      );
    case "other-version":
      return (
        `${shown} holds a PostgreSQL ${state.version} database; the embedded server is PostgreSQL ${EMBEDDED_PG_MAJOR}. ` +
        `Nothing was changed. Dump it with PostgreSQL ${state.version} and restore it, or move it aside to start afresh.`
      );
    case "not-a-cluster":
      return `${shown} is not empty and holds no PostgreSQL data. Nothing was changed. Move it aside, or set CLEARLOG_DATA_DIR to another folder.`;
  }
}
