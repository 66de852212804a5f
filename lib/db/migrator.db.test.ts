import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { checksum, migrate, MigrationError } from "./migrator";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "clearlog-migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe("migrator", () => {
  let bare: TestDatabase | undefined;
  afterEach(async () => {
    await bare?.drop();
    bare = undefined;
  });

  it("applies migrations in order and records them as Prisma Migrate does", async () => {
    bare = await createTestDatabase({ migrate: false });
    const dir = await migrationsDir({
      "20260101000000_a": "CREATE TABLE t (id int);",
      "20260102000000_b": "ALTER TABLE t ADD COLUMN name text;",
    });
    const result = await migrate(bare.url, { migrationsDir: dir });
    expect(result.applied).toEqual(["20260101000000_a", "20260102000000_b"]);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      bare.url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(["20260101000000_a", "20260102000000_b"]);
    expect(rows[0]!.checksum).toBe(checksum("CREATE TABLE t (id int);"));
    expect(rows[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    const again = await migrate(bare.url, { migrationsDir: dir });
    expect(again).toEqual({ applied: [], alreadyApplied: 2 });
  });

  it("refuses to run when an applied migration's file changed", async () => {
    bare = await createTestDatabase({ migrate: false });
    const dir = await migrationsDir({ "20260101000000_a": "CREATE TABLE t (id int);" });
    await migrate(bare.url, { migrationsDir: dir });
    await writeFile(path.join(dir, "20260101000000_a", "migration.sql"), "CREATE TABLE t (id bigint);");
    await expect(migrate(bare.url, { migrationsDir: dir })).rejects.toThrow(/changed after it was applied/);
  });

  it("rolls back a failing migration completely and leaves no record of it", async () => {
    bare = await createTestDatabase({ migrate: false });
    const dir = await migrationsDir({
      "20260101000000_a": "CREATE TABLE t (id int);",
      "20260102000000_b": "CREATE TABLE half (id int); SELECT no_such_function();",
    });
    await expect(migrate(bare.url, { migrationsDir: dir })).rejects.toBeInstanceOf(MigrationError);
    const names = await query<{ migration_name: string }>(bare.url, "SELECT migration_name FROM _prisma_migrations");
    expect(names.map((r) => r.migration_name)).toEqual(["20260101000000_a"]);
    const half = await query<{ exists: string | null }>(bare.url, "SELECT to_regclass('half')::text AS exists");
    expect(half[0]!.exists).toBeNull();
  });

  it("lets two processes start at once without applying anything twice", async () => {
    bare = await createTestDatabase({ migrate: false });
    const results = await Promise.all([migrate(bare.url), migrate(bare.url), migrate(bare.url)]);
    const appliedCounts = results.map((r) => r.applied.length).sort();
    expect(appliedCounts.filter((n) => n > 0)).toHaveLength(1);
    const rows = await query<{ n: string }>(bare.url, "SELECT count(*) AS n FROM _prisma_migrations");
    expect(Number(rows[0]!.n)).toBe(results.find((r) => r.applied.length > 0)!.applied.length);
  });
});
