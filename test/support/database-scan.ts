import { gunzipSync } from "node:zlib";
import type pg from "pg";

// The full-database scan of the erasure tests (lib/privacy/erasure-scan.db.test.ts and the privacy
// e2e): every row of every table of every schema, pg_statistic included, searched for needles. Needs
// a superuser connection (pg_statistic is readable by superusers only).
type Client = Pick<pg.ClientBase, "query">;

/**
 * Every table of every schema, pg_catalog included (pg_statistic is one of its tables): ordinary
 * tables, each partition on its own (named after its parent) and materialized views. Left out, on
 * purpose: TOAST tables (pg_toast), which hold compressed slices of values that are read, whole,
 * through the tables they belong to; and partitioned parents, which hold no rows of their own.
 */
export async function everyTable(client: Client): Promise<{ schema: string; table: string; key: string }[]> {
  const { rows } = await client.query<{ schema: string; table: string; parent: string | null }>(
    `SELECT n.nspname AS schema, c.relname AS table, p.relname AS parent
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
      WHERE c.relkind IN ('r', 'm') AND n.nspname <> 'pg_toast' ORDER BY 1, 2`,
  );
  return rows.map((r) => ({ schema: r.schema, table: r.table, key: `${r.schema}.${r.parent ?? r.table}` }));
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * `schema.table` → number of rows whose text (the whole row cast to text, which spells out json,
 * arrays and pg_statistic's sampled values) contains any needle; for bytea columns, gzipped values
 * are decompressed first and reported as `schema.table.column`.
 */
export async function scanDatabase(client: Client, needles: string[]): Promise<Record<string, number>> {
  const hits: Record<string, number> = {};
  const add = (key: string, n: number) => {
    if (n > 0) hits[key] = (hits[key] ?? 0) + n;
  };
  for (const { schema, table, key } of await everyTable(client)) {
    const sql = `SELECT count(*)::int AS n FROM ONLY ${q(schema)}.${q(table)} t WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) x WHERE strpos(t::text, x) > 0)`;
    add(key, (await client.query<{ n: number }>(sql, [needles])).rows[0]!.n);
  }
  const { rows: byteaColumns } = await client.query<{ schema: string; table: string; column: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE a.atttypid = 'bytea'::regtype AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'm') AND n.nspname <> 'pg_toast'`,
  );
  for (const { schema, table, column } of byteaColumns) {
    const { rows } = await client.query<{ v: Buffer }>(`SELECT ${q(column)} AS v FROM ${q(schema)}.${q(table)} WHERE ${q(column)} IS NOT NULL`);
    const gzipped = rows.filter((r) => r.v[0] === 0x1f && r.v[1] === 0x8b).map((r) => gunzipSync(r.v).toString("utf8"));
    add(`${schema}.${table}.${column}`, gzipped.filter((text) => needles.some((x) => text.includes(x))).length);
  }
  return hits;
}
