import type pg from "pg";
import { database } from "../lib/db/client";
import { ensureLogPartitions } from "../lib/db/partitions";
import { decodeCursor, type Position } from "../lib/logs/cursor";
import { filtersSchema, type Filters } from "../lib/logs/filters";
import { listEvents } from "../lib/logs/query";
import { runRetention } from "../lib/retention/run";
import { benchDatabase, CHUNK, loadEvents, pseudonymOf, SEARCH_TEXT } from "./load-events";
import { median, percentile, printTable } from "./stats";

// npm run bench:explorer [events=5000000] [runs=30]
// The logs explorer's first page (listEvents, 50 rows) for typical filters and searches over `events`
// events spread over 30 days (budget: p95 under 100 ms), page 2 through the cursor for a few of them,
// three filters that match nothing in 7 days (not typical: the worst case for a filter; reported apart),
// EXPLAIN (ANALYZE, BUFFERS) of every view over budget, and a retention run over two expired days measured in the same run: one day dropped as a partition,
// the other (kept from the drop by one confidential event, whose policy anonymizes after 90 days)
// deleted row by row in batches of 5,000. Events are generated server-side (bench/load-events.ts,
// SEARCH_TEXT: words to search for); the cost of the search_vector column on the load is measured on a
// sample. Each view runs once to warm up, then `runs` timed times.
const N = Number(process.argv[2] ?? 5_000_000);
const RUNS = Number(process.argv[3] ?? 30);
const SUBJECTS = 20_000;
const DAYS = 30;
const DAY_MS = 86_400_000;
const BUDGET_MS = 100;
const DROP_AGE = 40;
const ROW_AGE = 41;
const KEEP_DAYS = 35;
const NO_HEAVY = Number.MAX_SAFE_INTEGER;
const SUBJECT_N = 20;

const ms = (v: number) => `${v.toFixed(1)} ms`;
const int = (v: number) => Math.round(v).toLocaleString("en");
const secs = (v: number) => `${(v / 1000).toFixed(1)} s`;
const utcDay = (t: number) => new Date(Math.floor(t / DAY_MS) * DAY_MS);
const partitionOf = (day: Date) => `system_logs_p${day.toISOString().slice(0, 10).replaceAll("-", "")}`;

interface Loaded {
  eventsMs: number;
  expiredMs: number;
  analyzeMs: number;
  perDay: number;
  dropDay: Date;
  rowDay: Date;
}

/** 30 days of events, then the two expired days (all internal; the row-by-row day starts with one confidential event). */
async function load(pool: pg.Pool, now: Date): Promise<Loaded> {
  const from = new Date(now.getTime() - DAYS * DAY_MS);
  await ensureLogPartitions(pool, from, now);
  const eventsMs = await loadEvents(pool, { events: N, subjects: SUBJECTS, from, spanMs: DAYS * DAY_MS, heavyEvery: Math.max(2, Math.floor(N / 5000)), text: SEARCH_TEXT });
  const perDay = Math.round(N / DAYS);
  const dropDay = utcDay(now.getTime() - DROP_AGE * DAY_MS);
  const rowDay = utcDay(now.getTime() - ROW_AGE * DAY_MS);
  const asInternal = { ...SEARCH_TEXT, classification: `'internal'::"Classification"`, categories: "ARRAY[]::text[]" };
  const started = performance.now();
  for (const day of [rowDay, dropDay]) {
    await ensureLogPartitions(pool, day, day);
    if (day === rowDay) {
      // First in the partition's heap, so the drop phase's "anything not expired?" check finds it at once.
      const text = { ...SEARCH_TEXT, classification: `'confidential'::"Classification"` };
      await loadEvents(pool, { events: 1, subjects: SUBJECTS, from: day, spanMs: DAY_MS / 2, heavyEvery: NO_HEAVY, text, label: null });
    }
    await loadEvents(pool, { events: perDay, subjects: SUBJECTS, from: day, spanMs: DAY_MS - 1000, heavyEvery: NO_HEAVY, text: asInternal, label: `expired day ${day.toISOString().slice(0, 10)}:` });
  }
  const expiredMs = performance.now() - started;
  // What autovacuum does to days that are no longer written (it may be off on a test server): hint bits,
  // the visibility map, the GIN pending lists merged into the index, statistics.
  const analyzeStart = performance.now();
  await pool.query("VACUUM (ANALYZE)");
  const analyzeMs = performance.now() - analyzeStart;
  console.log(`  VACUUM (ANALYZE): ${secs(analyzeMs)}`);
  return { eventsMs, expiredMs, analyzeMs, perDay, dropDay, rowDay };
}

/** The load's price for search: the same sample into copies of system_logs without and with the generated column and its GIN index. */
async function searchVectorCost(pool: pg.Pool, now: Date, sample: number): Promise<[string, string][]> {
  const variants = [
    { table: "bench_sv_none", like: "INCLUDING DEFAULTS INCLUDING INDEXES", gin: false, label: "no search_vector" },
    { table: "bench_sv_column", like: "INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING INDEXES", gin: false, label: "+ generated search_vector" },
    { table: "bench_sv_gin", like: "INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING INDEXES", gin: true, label: "+ its GIN index (as migrated)" },
  ];
  const rows: [string, string][] = [];
  let base = 0;
  for (const v of variants) {
    await pool.query(`CREATE TABLE ${v.table} (LIKE system_logs ${v.like})`);
    if (!v.gin) {
      const { rows: gins } = await pool.query<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE '%USING gin%'", [v.table]);
      for (const g of gins) await pool.query(`DROP INDEX "${g.name}"`);
    }
    const from = new Date(now.getTime() - DAY_MS);
    const took = await loadEvents(pool, { events: sample, subjects: SUBJECTS, from, spanMs: DAY_MS, heavyEvery: NO_HEAVY, text: SEARCH_TEXT, table: v.table, label: null });
    const { rows: size } = await pool.query<{ bytes: string }>("SELECT pg_total_relation_size($1::regclass)::text AS bytes", [v.table]);
    base ||= took;
    const overhead = took === base ? "" : `, +${(((took - base) / base) * 100).toFixed(0)}% time`;
    rows.push([`  ${v.label}`, `${secs(took)}, ${int((sample / took) * 1000)} rows/s, ${int(Number(size[0]!.bytes) / 1048576)} MB with indexes${overhead}`]);
    console.log(`  ${v.label}: ${rows.at(-1)![1]}`);
  }
  for (const v of variants) await pool.query(`DROP TABLE ${v.table}`);
  return rows;
}

interface Captured {
  on: boolean;
  last: { text: string; values: unknown[] } | null;
}

/** Remembers the SQL of pool.query calls while `on` (listEvents sends its page query that way). */
function captureQueries(pool: pg.Pool): Captured {
  const state: Captured = { on: false, last: null };
  const target = pool as unknown as { query: (...args: unknown[]) => unknown };
  const original = target.query.bind(pool);
  target.query = (...args: unknown[]) => {
    if (state.on && typeof args[0] === "string") state.last = { text: args[0], values: (args[1] as unknown[] | undefined) ?? [] };
    return original(...args);
  };
  return state;
}

interface View {
  label: string;
  filters: Filters;
}

interface Timed {
  view: View;
  times: number[];
  rows: number;
  cursor: Position | null;
  sql: { text: string; values: unknown[] };
}

async function timeView(view: View, cursor: Position | null, now: Date, capture: Captured): Promise<Timed> {
  capture.on = true;
  const warm = await listEvents(view.filters, cursor, 50, now);
  capture.on = false;
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    await listEvents(view.filters, cursor, 50, now);
    times.push(performance.now() - start);
  }
  return { view, times, rows: warm.events.length, cursor: decodeCursor(warm.nextCursor), sql: capture.last! };
}

const stat = (t: number[]) => `${ms(median(t)).padStart(9)} ${ms(percentile(t, 95)).padStart(9)} ${ms(Math.max(...t)).padStart(9)}`;
const row = (t: Timed): [string, string] => [`  ${t.view.label}`.padEnd(48), `${String(t.rows).padStart(4)} ${stat(t.times)}  ${percentile(t.times, 95) < BUDGET_MS ? "ok" : "OVER"}`];

/** What would let PostgreSQL stop after 50 rows: an index for the filters that have none (checked by hand, see the report). */
function indexHint(f: Filters): string {
  const hints: string[] = [];
  if (f.classification?.length) hints.push(`(classification, occurred_at DESC)`);
  if (f.severity?.length) hints.push(`(severity, occurred_at DESC)`);
  if (f.component) hints.push(`(component, occurred_at DESC)`);
  if (f.model) hints.push(`(gen_ai_request_model, occurred_at DESC)`);
  if (f.status && !f.type?.length) hints.push(`(http_response_status_code, occurred_at DESC)`);
  if (f.q) {
    hints.push(
      "for the search, no index: the GIN index exists, but filterClauses builds the tsquery in a sub-select (InitPlan $0), so the " +
        "planner cannot see the words, assumes 0.5% of rows match, and for a rare word walks occurred_at_idx backwards through the " +
        "whole range. Making the tsquery a plan-time constant (computed first, or an IMMUTABLE SQL function of the parameter) lets it " +
        "use the column's statistics and take the GIN bitmap for rare words (lib/logs/query.ts)",
    );
  }
  return hints.length ? hints.join("; ") : "none of the filters lacks an index; see the plan";
}

interface RetentionOutcome {
  rows: [string, string][];
}

async function retention(pool: pg.Pool, now: Date, loaded: Loaded): Promise<RetentionOutcome> {
  await pool.query(`UPDATE retention_policies SET keep_days = $1 WHERE classification = 'internal' AND event_type IS NULL AND action = 'delete'`, [KEEP_DAYS]);
  const { rows: policies } = await pool.query<{ name: string; classification: string; keep_days: number; action: string }>(
    "SELECT name, classification::text, keep_days, action::text FROM retention_policies WHERE enabled ORDER BY classification",
  );
  const internal = policies.find((p) => p.classification === "internal")!;
  const dropName = partitionOf(loaded.dropDay);
  const rowName = partitionOf(loaded.rowDay);
  const countIn = async (table: string) => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`)).rows[0]!.n);
  const dropRows = await countIn(dropName);
  const rowRows = await countIn(rowName);
  const recentBefore = Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM system_logs WHERE occurred_at > $1", [new Date(now.getTime() - DAYS * DAY_MS)])).rows[0]!.n);
  console.log(`\nretention: policies ${policies.map((p) => `${p.classification} ${p.action} after ${p.keep_days} d`).join(", ")}`);
  console.log(`  ${dropName}: ${int(dropRows)} rows, all internal (expired); ${rowName}: ${int(rowRows)} rows, one of them confidential (not expired)`);

  const marks: { label: string; at: number }[] = [];
  const start = performance.now();
  const result = await runRetention({ now, progress: async (_done, _steps, label) => void marks.push({ label: label ?? "", at: performance.now() }) });
  const totalMs = performance.now() - start;
  const dropMs = marks[1]!.at - marks[0]!.at;
  const k = marks.findIndex((m) => m.label === internal.name);
  const rowMs = marks[k + 1]!.at - marks[k]!.at;

  const gone = (await pool.query<{ r: string | null }>("SELECT to_regclass($1)::text AS r", [dropName])).rows[0]!.r === null;
  const left = await countIn(rowName);
  const recentAfter = Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM system_logs WHERE occurred_at > $1", [new Date(now.getTime() - DAYS * DAY_MS)])).rows[0]!.n);
  const deleted = result.policies.find((p) => p.name === internal.name)!.deleted;
  const problems = [
    result.partitionsDropped.join(",") !== dropName && `dropped ${JSON.stringify(result.partitionsDropped)}, expected [${dropName}]`,
    !gone && `${dropName} still exists`,
    left !== 1 && `${rowName} holds ${left} rows, expected 1 (the confidential one)`,
    deleted !== dropRows + rowRows - 1 && `the internal policy reports ${deleted} deleted, expected ${dropRows + rowRows - 1}`,
    result.rowsInDroppedPartitions !== dropRows && `rowsInDroppedPartitions ${result.rowsInDroppedPartitions}, expected ${dropRows}`,
    recentAfter !== recentBefore && `the last ${DAYS} days went from ${recentBefore} to ${recentAfter} rows`,
  ].filter(Boolean);
  if (problems.length) throw new Error(`retention: ${problems.join("; ")}`);
  console.log(`  checked: ${dropName} is gone, ${rowName} keeps only its confidential event, the last ${DAYS} days are untouched`);
  return {
    rows: [
      [`retention: drop of ${dropName} (${int(dropRows)} rows)`, `${ms(dropMs)}  (check that every row is expired, count per policy, DETACH + DROP)`],
      [`retention: row by row, ${rowName} (${int(rowRows - 1)} rows)`, `${ms(rowMs)}  (DELETE … IN (SELECT … LIMIT 5000) in a loop, ${int(((rowRows - 1) / rowMs) * 1000)} rows/s)`],
      ["retention: row by row / partition drop", `×${(rowMs / dropMs).toFixed(0)}`],
      ["retention: runRetention in all", `${ms(totalMs)} (${policies.length} policies, the run record and its audit entry included)`],
    ],
  };
}

async function main() {
  if (![N, RUNS].every((v) => Number.isInteger(v) && v > 0) || N < DAYS * 100) throw new Error(`usage: bench/explorer.ts [events=5000000, at least ${DAYS * 100}] [runs=30]`);
  const target = await benchDatabase();
  const { pool } = database();
  const capture = captureQueries(pool);
  const kind = target.kind === "server" ? "PostgreSQL server" : "embedded PostgreSQL";
  try {
    const now = new Date();
    console.log(`database: ${kind}; ${int(N)} events over ${DAYS} days and two expired days of ${int(N / DAYS)}, ${RUNS} timed runs per view`);
    console.log(`loading: server-side INSERT … SELECT generate_series in chunks of ${int(CHUNK)} instead of COPY (the same rows, none generated or sent by the client):`);
    const loaded = await load(pool, now);
    const { rows: size } = await pool.query<{ size: string; sv: number; payload: number }>(
      `SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) AS size,
              (SELECT avg(pg_column_size(search_vector))::int FROM (SELECT search_vector FROM system_logs LIMIT 10000) s) AS sv,
              (SELECT avg(pg_column_size(payload))::int FROM (SELECT payload FROM system_logs LIMIT 10000) s) AS payload
       FROM pg_inherits WHERE inhparent = 'system_logs'::regclass`,
    );
    const autovacuum = (await pool.query<{ v: string }>("SELECT current_setting('autovacuum') AS v")).rows[0]!.v;
    const sample = Math.min(CHUNK, Math.max(10_000, Math.round(N / 20)));
    console.log(`search_vector's cost, ${int(sample)} events into unpartitioned copies of system_logs:`);
    const svRows = await searchVectorCost(pool, now, sample);

    const orderId = (
      await pool.query<{ id: string }>(
        `SELECT substring(message FROM 'ORD-[0-9]{6}') AS id FROM system_logs WHERE occurred_at > $1 AND occurred_at < $2 AND name = 'checkout.completed' LIMIT 1`,
        [new Date(now.getTime() - 3 * DAY_MS), new Date(now.getTime() - 2 * DAY_MS)],
      )
    ).rows[0]!.id;
    const subject = pseudonymOf(SUBJECT_N);
    const view = (label: string, params: Record<string, string>): View => ({ label, filters: filtersSchema.parse(params) });
    const views: View[] = [
      view("no filter, 24h", {}),
      view("no filter, 7d", { range: "7d" }),
      view("type=error", { type: "error" }),
      view("severity=error,fatal", { severity: "error,fatal" }),
      view("classification=restricted", { classification: "restricted" }),
      view("component=checkout", { component: "checkout" }),
      view("model=claude-sonnet-4", { model: "claude-sonnet-4" }),
      view("status=5xx", { status: "5xx" }),
      view("status=404", { status: "404" }),
      view(`subject=<subject ${SUBJECT_N}>, 30d`, { subject, range: "30d" }),
      view(`session=sess-${SUBJECT_N}-3, 30d`, { session: `sess-${SUBJECT_N}-3`, range: "30d" }),
      view("q=checkout (common word)", { q: "checkout" }),
      view("q=chargeback (rare word)", { q: "chargeback" }),
      view("q=checkout timeout (two words)", { q: "checkout timeout" }),
      view(`q=${orderId} (an order id), 7d`, { q: orderId, range: "7d" }),
      view("type=api_request, status=5xx, 7d", { type: "api_request", status: "5xx", range: "7d" }),
      view("q=timeout, type=error", { q: "timeout", type: "error" }),
    ];
    // Not typical, the worst case for a filter: nothing in the range matches, so every row of it is read.
    const empty: View[] = [
      view("classification=public, 7d", { classification: "public", range: "7d" }),
      view("component=billing, 7d", { component: "billing", range: "7d" }),
      view("status=503, 7d", { status: "503", range: "7d" }),
    ];
    console.log(`\nfirst page (50 rows), 1 warm-up + ${RUNS} timed runs per view:`);
    const timeAll = async (list: View[]) => {
      const timed: Timed[] = [];
      for (const v of list) {
        timed.push(await timeView(v, null, now, capture));
        console.log(row(timed.at(-1)!).join(" "));
      }
      return timed;
    };
    const firsts = await timeAll(views);
    console.log("no matching events (not typical: the worst case for a filter):");
    const empties = await timeAll(empty);
    const seconds: Timed[] = [];
    for (const i of [0, 4, 11, 12]) {
      const first = firsts[i]!;
      if (!first.cursor) continue;
      seconds.push(await timeView({ ...first.view, label: `${first.view.label}, page 2` }, first.cursor, now, capture));
    }

    const all = firsts.flatMap((t) => t.times);
    const over = firsts.filter((t) => percentile(t.times, 95) >= BUDGET_MS);
    printTable([
      ["database", `${kind}, ${int(N)} events over ${DAYS} days (+ ${int(loaded.perDay)} on each of 2 expired days), ${size[0]!.size} with indexes`],
      ["load: events", `${secs(loaded.eventsMs)}, ${int((N / loaded.eventsMs) * 1000)} rows/s (server-side generate_series, not COPY: the same rows, nothing generated or sent by the client)`],
      ["load: the 2 expired days; VACUUM (ANALYZE)", `${secs(loaded.expiredMs)}; ${secs(loaded.analyzeMs)} (autovacuum on this server: ${autovacuum})`],
      ["per event", `payload ≈ ${size[0]!.payload} bytes, search_vector ≈ ${size[0]!.sv} bytes`],
      [`search_vector's cost on loading ${int(sample)} events`, ""],
      ...svRows,
      ["", ""],
      ["first page, 50 rows", `rows       p50       p95       max  (${RUNS} runs, after 1 warm-up)`],
      ...firsts.map(row),
      ["page 2 (cursor)", ""],
      ...seconds.map(row),
      ["all first pages", `     ${stat(all)}`],
      ["budget", `p95 < ${BUDGET_MS} ms per view`],
      ["verdict", over.length ? `OVER BUDGET: ${over.length} of ${firsts.length} views (${over.map((t) => t.view.label).join("; ")})` : `within budget: all ${firsts.length} views`],
      ["no matching events (worst case)", ""],
      ...empties.map(row),
      ["verdict (worst case)", `${empties.filter((t) => percentile(t.times, 95) >= BUDGET_MS).length} of ${empties.length} over budget`],
    ]);

    const slow = [...firsts, ...seconds, ...empties].filter((t) => percentile(t.times, 95) >= BUDGET_MS);
    for (const t of slow) {
      console.log(`\nover budget: ${t.view.label} (p95 ${ms(percentile(t.times, 95))})`);
      console.log(`  query: ${t.sql.text.replace(/\s+/g, " ")}`);
      console.log(`  parameters: ${JSON.stringify(t.sql.values)}`);
      const { rows: plan } = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${t.sql.text}`, t.sql.values);
      for (const p of plan) console.log(`    ${p["QUERY PLAN"]}`);
      console.log(`  would help: ${indexHint(t.view.filters)}`);
    }

    const kept = await retention(pool, now, loaded);
    printTable(kept.rows);
  } finally {
    await database().close();
    await target.drop();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
