import "server-only";
import { quoteIdentifier, raw, rows, sql, type Queryable, type Sql } from "../db/sql";

// The planner's statistics (pg_statistic) keep sampled column values: most common values, histogram
// bounds, most common elements (tsvector lexemes, array elements). After an erasure they can still
// hold the person's pseudonym, id or words until the next ANALYZE. Erasure reads which ones hold the
// person in its transaction and refreshes them right after it commits (a few hundred ms for a typical
// person, seconds for one with events in every partition, which the erasure itself should not wait
// for: it is complete, and its receipt sent, at the commit). ANALYZE samples 30,000 rows
// per table (about 0.4 s for one day's partition of 5M events, and PostgreSQL before 18 cannot
// analyze a partitioned parent without all of its partitions), so only the statistics that hold the
// person are refreshed:
//   a column's statistics hold the person when one of their values (as text) is among its sampled
//   values and the person's rows make up at least half of what that value stands for (its frequency
//   × the table's rows; for a histogram bound, the rows per distinct value). A value everyone shares
//   (`type = user_action`) is not theirs; their pseudonym, id, session, e-mail token or words are.
// Only columns that can hold text are looked at (text, varchar, json(b), arrays, tsvector): numbers,
// times, booleans and enums say nothing about a person on their own.

/** Rows of the person in one table that erasure is about to delete or rewrite. */
export interface HeldRows {
  table: string;
  /** selects the person's rows (before erasure changes them) */
  where: Sql;
}

/** Statistics to refresh: of a table, a partition, or (inherited) a partitioned table's whole hierarchy. */
export interface StaleStatistics {
  relation: string;
  inherited: boolean;
  columns: string[];
}

const TEXT_TYPES = ["text", "character varying", "jsonb", "json", "tsvector", "\"char\""];

interface StatRow {
  rel: string;
  inherited: boolean;
  col: string;
  type: string;
  mcv: string | null;
  freqs: number[] | null;
  hist: string | null;
  elems: string | null;
  elem_freqs: number[] | null;
  n_distinct: number;
  null_frac: number;
  reltuples: number;
}

/** The elements of a PostgreSQL array literal as text, nested arrays flattened (`{a,"b c",{d}}` → a, b c, d). */
export function arrayElements(literal: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < literal.length) {
    const ch = literal[i]!;
    if (ch === "{" || ch === "}" || ch === ",") {
      i++;
    } else if (ch === '"') {
      let value = "";
      i++;
      while (i < literal.length && literal[i] !== '"') {
        if (literal[i] === "\\") i++;
        value += literal[i] ?? "";
        i++;
      }
      i++;
      out.push(value);
    } else {
      let end = i;
      while (end < literal.length && !"{},".includes(literal[end]!)) end++;
      const value = literal.slice(i, end);
      if (value !== "NULL") out.push(value);
      i = end;
    }
  }
  return out;
}

function counts(values: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** Whether the person's values make up at least half of what one of the statistics' values stands for. */
function holdsPerson(s: StatRow, mine: Map<string, number>, myElements: Map<string, number>): boolean {
  const tuples = Math.max(1, s.reltuples);
  const theirs = (count: number | undefined, estimate: number) => count !== undefined && count >= 0.5 * Math.max(1, estimate);
  const mcv = s.mcv ? arrayElements(s.mcv) : [];
  const freqs = s.freqs ?? [];
  if (mcv.some((v, i) => theirs(mine.get(v), (freqs[i] ?? 0) * tuples))) return true;
  if (s.hist) {
    const distinct = s.n_distinct >= 0 ? s.n_distinct : -s.n_distinct * tuples;
    const rest = tuples * Math.max(0, 1 - s.null_frac - freqs.reduce((a, b) => a + b, 0));
    const perValue = rest / Math.max(1, distinct - mcv.length);
    if (arrayElements(s.hist).some((v) => theirs(mine.get(v), perValue))) return true;
  }
  if (s.elems) {
    const elemFreqs = s.elem_freqs ?? [];
    if (arrayElements(s.elems).some((v, i) => theirs(myElements.get(v), (elemFreqs[i] ?? 0) * tuples))) return true;
  }
  return false;
}

/** Which statistics hold the person; read before erasure changes their rows. */
export async function staleStatistics(client: Queryable, held: readonly HeldRows[]): Promise<StaleStatistics[]> {
  if (held.length === 0) return [];
  const tables = [...new Set(held.map((h) => h.table))];
  // The tables' own statistics, and for a partitioned table its inherited ones and its partitions'.
  const stats = await rows<StatRow & { parent: string | null }>(
    client,
    sql`WITH rels AS (
          SELECT c.oid, c.relname, c.relkind, p.relname AS parent
            FROM pg_class c LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
           WHERE c.relnamespace = current_schema()::regnamespace AND (c.relname = ANY(${tables}::text[]) OR p.relname = ANY(${tables}::text[])))
        SELECT s.tablename AS rel, s.inherited, s.attname AS col, format_type(a.atttypid, NULL) AS type, r.parent,
               s.most_common_vals::text AS mcv, s.most_common_freqs::float8[] AS freqs, s.histogram_bounds::text AS hist,
               s.most_common_elems::text AS elems, s.most_common_elem_freqs::float8[] AS elem_freqs,
               s.n_distinct::float8 AS n_distinct, s.null_frac::float8 AS null_frac,
               CASE WHEN r.relkind = 'p' THEN (SELECT coalesce(sum(greatest(k.reltuples, 0)), 0) FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid WHERE i.inhparent = r.oid)
                    ELSE (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = r.oid) END::float8 AS reltuples
          FROM rels r
          JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
           AND (format_type(a.atttypid, NULL) = ANY(${TEXT_TYPES}::text[]) OR format_type(a.atttypid, NULL) LIKE '%[]')
          JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = r.relname AND s.attname = a.attname`,
  );
  const stale: StaleStatistics[] = [];
  for (const h of held) {
    const ofTable = stats.filter((s) => s.rel === h.table || s.parent === h.table);
    if (ofTable.length === 0) continue;
    const columns = [...new Set(ofTable.map((s) => s.col))];
    const typeOf = new Map(ofTable.map((s) => [s.col, s.type]));
    const select = columns.map((c, i) => (typeOf.get(c) === "tsvector" ? `tsvector_to_array(${quoteIdentifier(c)})::text AS c${i}` : `${quoteIdentifier(c)}::text AS c${i}`));
    // One read of the person's rows, each with the partition it sits in (the table itself if not partitioned).
    const values = await rows<Record<string, string | null>>(
      client,
      sql`SELECT tableoid::regclass::text AS "relation", ${raw(select.join(", "))} FROM ${raw(quoteIdentifier(h.table))} WHERE ${h.where}`,
    );
    if (values.length === 0) continue;
    const relations = new Map<string, { inherited: boolean; rows: typeof values }>([[h.table, { inherited: ofTable.some((s) => s.rel === h.table && s.inherited), rows: values }]]);
    for (const v of values) {
      const part = v.relation!.replace(/^"|"$/g, "");
      if (part === h.table) continue;
      const entry = relations.get(part) ?? { inherited: false, rows: [] };
      entry.rows.push(v);
      relations.set(part, entry);
    }
    for (const [relation, { inherited, rows: mineRows }] of relations) {
      const flagged = columns.filter((c, i) => {
        const relStats = ofTable.filter((s) => s.rel === relation && s.col === c && s.inherited === inherited);
        if (relStats.length === 0) return false;
        const type = typeOf.get(c)!;
        const texts = mineRows.map((v) => v[`c${i}`]).filter((v): v is string => v !== null && v !== undefined);
        const elements = type === "tsvector" || type.endsWith("[]") ? texts.flatMap((t) => [...new Set(arrayElements(t))]) : [];
        const mine = counts(texts);
        const mineElements = counts(elements);
        return relStats.some((s) => holdsPerson(s, mine, mineElements));
      });
      if (flagged.length > 0) stale.push({ relation, inherited, columns: flagged });
    }
  }
  return stale;
}

/**
 * ANALYZE of what `staleStatistics` found, once the erasure committed (ANALYZE then no longer sees
 * the rows it deleted). A partitioned parent's statistics come only from ANALYZE of the parent, which
 * before PostgreSQL 18 analyzes every partition too (18 has ANALYZE ONLY); its partitions then need
 * nothing more.
 */
export async function refreshStatistics(client: Queryable, stale: readonly StaleStatistics[]): Promise<string[]> {
  if (stale.length === 0) return [];
  const { rows: server } = await client.query<{ version: number }>("SELECT current_setting('server_version_num')::int AS version");
  const version = server[0]!.version;
  const done: string[] = [];
  // Partitions whose parent is analyzed as a whole (before PostgreSQL 18) → that parent.
  const parentOf = new Map<string, StaleStatistics>();
  const parents = stale.filter((s) => s.inherited).map((s) => ({ ...s, columns: [...s.columns] }));
  if (version < 180000 && parents.length > 0) {
    const { rows: parts } = await client.query<{ name: string; parent: string }>(
      "SELECT k.relname AS name, p.relname AS parent FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhparent = ANY($1::text[]::regclass[])",
      [parents.map((p) => p.relation)],
    );
    for (const part of parts) parentOf.set(part.name, parents.find((p) => p.relation === part.parent)!);
  }
  for (const s of stale) {
    const parent = s.inherited ? undefined : parentOf.get(s.relation);
    if (parent) parent.columns = [...new Set([...parent.columns, ...s.columns])];
  }
  // In name order, so two erasures take the relations' ANALYZE locks in the same order.
  const order = [...stale.filter((x) => !x.inherited && !parentOf.has(x.relation)), ...parents].sort((x, y) => (x.relation < y.relation ? -1 : x.relation > y.relation ? 1 : 0));
  for (const s of order) {
    const only = s.inherited && version >= 180000 ? "ONLY " : "";
    await client.query(`ANALYZE ${only}${quoteIdentifier(s.relation)} (${s.columns.map(quoteIdentifier).join(", ")})`);
    done.push(s.inherited ? `${s.relation} (all partitions)` : s.relation);
  }
  return done;
}
