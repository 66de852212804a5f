import "server-only";
import type pg from "pg";
import { Prisma } from "./generated/client";

// The one way to compose raw SQL: Prisma's tagged template (sql-template-tag). Values are always bound
// parameters; fragments nest; identifiers and keywords come only from constants in code (`raw`), never
// from input. The same object runs through Prisma (`tx.$queryRaw(q)`, `db().$queryRaw(q)`) and through a
// pg client (`query(client, q)`), because it carries pg's `{ text, values }` too.
export const sql = Prisma.sql;
export const join = Prisma.join;
export const raw = Prisma.raw;
export const empty = Prisma.empty;
export type Sql = Prisma.Sql;

/** Anything that runs a pg query: the pool, a pooled client, a transaction's client. */
export type Queryable = Pick<pg.ClientBase, "query">;

/** Runs `q` on a pg client (the pool or a transaction's `tx.pg`) and returns pg's result. */
export function query<R extends pg.QueryResultRow = Record<string, unknown>>(on: Queryable, q: Sql): Promise<pg.QueryResult<R>> {
  return on.query<R>({ text: q.text, values: q.values });
}

/** Runs `q` and returns its rows. */
export async function rows<R extends pg.QueryResultRow = Record<string, unknown>>(on: Queryable, q: Sql): Promise<R[]> {
  return (await query<R>(on, q)).rows;
}

/** A list of identifiers known at compile time (column names from a table in code), quoted. */
export function identifiers(names: readonly string[]): Sql {
  return raw(names.map(quoteIdentifier).join(", "));
}

export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error("Identifiers come from code and are lower-case snake_case");
  return `"${name}"`;
}
