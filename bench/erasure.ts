import type pg from "pg";
import type { Actor } from "../lib/audit/audit";
import { database, db } from "../lib/db/client";
import { ensureLogPartitions } from "../lib/db/partitions";
import { stopJobQueue } from "../lib/jobs/queue";
import { eraseSubject, type ErasureReceipt } from "../lib/privacy/erasure";
import { refreshStatistics } from "../lib/privacy/statistics";
import { createRequest, transitionRequest } from "../lib/privacy/requests";
import { SUBJECT_COLUMNS } from "../lib/privacy/subject-data";
import { benchDatabase, HEAVY_BASELINE, HEAVY_ERASE, loadEvents, PSEUDONYM_SQL, pseudonymOf } from "./load-events";
import { median, percentile, printTable } from "./stats";

// npm run bench:erasure [events=5000000] [runs=5] [subjects=20000]
// Erasure of one subject among `events` events (budget: under 2 s). Loads realistic events
// server-side (bench/load-events.ts: generate_series, 30 days of daily partitions) and the subject's
// other data (sessions, consent, feedback, a feature set), then times the erasure (eraseSubject, to its
// commit: when the request is completed) for `runs` typical subjects (≈ events/subjects events each)
// and one heavy subject (≈ 5,000 events), and apart from it the statistics refresh that follows. As a baseline, a
// bare `DELETE FROM system_logs WHERE subject_pseudonym = $1` for a comparable subject, same run.
const N = Number(process.argv[2] ?? 5_000_000);
const RUNS = Number(process.argv[3] ?? 5);
const SUBJECTS = Number(process.argv[4] ?? 20_000);
const BUDGET_MS = 2000;
const DAYS = 30;
const HEAVY_EVENTS = 5000;
const DAY_MS = 86_400_000;

// Subjects are numbered 1..SUBJECTS; every table's membership rule is a multiple of 2, 4, 10 or 20, so
// multiples of 20 are in all of them (portal account, consent, feedback, the feature set). Targets are
// taken from those; the two heavy subjects get negative multiples of 20 (bench/load-events.ts) and every
// (N / 5000)th event.
const SUBJECT_RANGE = `(n BETWEEN 1 AND $1::int OR n IN (${HEAVY_ERASE}, ${HEAVY_BASELINE}))`;

// The rest of a subject's data, in plausible proportions: 8 sessions each, consent from 60% (3
// purposes, a history row each and a second one when withdrawn), feedback from 10%, a portal account
// for 5%, and one feature set (with a model version trained on it) holding a quarter of the subjects.
// Parameters: $1 the number of subjects, $2 the start of the loaded range, $3 the number of events.
const SUBJECT_DATA_SQL: string[] = [
  `INSERT INTO subjects (id, external_id, pseudonym, created_at)
   SELECT gen_random_uuid(), 'user-' || n, ${PSEUDONYM_SQL("n")}, $2::timestamptz
   FROM generate_series(${HEAVY_BASELINE}, $1::int) n WHERE ${SUBJECT_RANGE}`,
  `INSERT INTO logging_sessions (id, session_key, subject_pseudonym, first_seen_at, last_seen_at, ended_at, event_count, user_agent, ip_prefix)
   SELECT gen_random_uuid(), 'sess-' || n || '-' || k, ${PSEUDONYM_SQL("n")}, $2::timestamptz + k * interval '3 days',
          $2::timestamptz + k * interval '3 days' + interval '40 minutes', $2::timestamptz + k * interval '3 days' + interval '70 minutes',
          $3::int / $1::int / 8, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15', '203.0.113.0/24'
   FROM generate_series(${HEAVY_BASELINE}, $1::int) n, generate_series(0, 7) k WHERE ${SUBJECT_RANGE}`,
  `INSERT INTO consent_settings (id, subject_pseudonym, purpose, granted, method, notice_version, updated_at)
   SELECT gen_random_uuid(), ${PSEUDONYM_SQL("n")}, p, (hashint4(n) + k) % 3 <> 0,
          CASE WHEN (hashint4(n) + k) % 3 <> 0 THEN 'explicit' ELSE 'withdrawal' END::"ConsentMethod", '2026-11', $2::timestamptz + interval '1 day'
   FROM generate_series(${HEAVY_BASELINE}, $1::int) n, unnest(ARRAY['analytics', 'ai_training', 'marketing']) WITH ORDINALITY AS x(p, k)
   WHERE ${SUBJECT_RANGE} AND n % 10 < 6`,
  `INSERT INTO consent_history (subject_pseudonym, purpose, granted, method, notice_version, recorded_at, user_agent, ip_prefix)
   SELECT subject_pseudonym, purpose, true, 'explicit'::"ConsentMethod", notice_version, updated_at - interval '1 hour', 'Mozilla/5.0', '203.0.113.0/24' FROM consent_settings
   UNION ALL
   SELECT subject_pseudonym, purpose, false, 'withdrawal'::"ConsentMethod", notice_version, updated_at, 'Mozilla/5.0', '203.0.113.0/24' FROM consent_settings WHERE NOT granted`,
  `INSERT INTO model_registry (id, name, model_type, description) VALUES (gen_random_uuid(), 'ticket-summariser', 'llm', 'Summarises support tickets')`,
  `INSERT INTO model_versions (id, model_id, version, metrics, is_active)
   SELECT gen_random_uuid(), id, v, '{"accuracy": 0.91}', v = '2' FROM model_registry, unnest(ARRAY['1', '2']) v`,
  `INSERT INTO model_feedback (id, model_version_id, event_id, subject_pseudonym, rating, label, comment, source, training_eligible, created_at)
   SELECT gen_random_uuid(), (SELECT id FROM model_versions WHERE version = '2'), gen_random_uuid()::text, ${PSEUDONYM_SQL("n")},
          CASE WHEN k % 2 = 0 THEN 1 ELSE -1 END, 'summary', 'The summary missed the deadline.', 'end_user', true, $2::timestamptz + k * interval '5 days'
   FROM generate_series(${HEAVY_BASELINE}, $1::int) n, generate_series(1, 3) k WHERE ${SUBJECT_RANGE} AND n % 10 = 0`,
  `INSERT INTO feature_sets (id, feature_type, start_date, end_date, definition_version, row_count, subject_count, digest, completed_at)
   SELECT gen_random_uuid(), 'ai_usage', $2::timestamptz, $2::timestamptz + interval '30 days', 1, count(*), count(*), md5('bench'), $2::timestamptz + interval '30 days'
   FROM generate_series(${HEAVY_BASELINE}, $1::int) n WHERE ${SUBJECT_RANGE} AND n % 4 = 0`,
  // Membership is one row per included subject (feature_set_subjects), as the extraction job writes it.
  `INSERT INTO feature_set_subjects (feature_set_id, subject_pseudonym)
   SELECT fs.id, ${PSEUDONYM_SQL("n")} FROM feature_sets fs, generate_series(${HEAVY_BASELINE}, $1::int) n WHERE ${SUBJECT_RANGE} AND n % 4 = 0`,
  `INSERT INTO extracted_features (id, feature_set_id, entity_key, subject_pseudonym, features)
   SELECT gen_random_uuid(), feature_set_id, p, p, jsonb_build_object('ai_calls', 12 + ord % 30, 'input_tokens', 9000 + ord % 5000, 'output_tokens', 2100 + ord % 700, 'errors', ord % 4)
   FROM (SELECT feature_set_id, subject_pseudonym AS p, row_number() OVER (PARTITION BY feature_set_id ORDER BY subject_pseudonym) AS ord FROM feature_set_subjects) m`,
  `INSERT INTO model_version_feature_sets (model_version_id, feature_set_id)
   SELECT (SELECT id FROM model_versions WHERE version = '2'), id FROM feature_sets`,
  `INSERT INTO users (id, email, display_name, role, provider, subject_pseudonym)
   SELECT gen_random_uuid(), 'user-' || n || '@example.com', 'User ' || n, 'end_user', 'local', ${PSEUDONYM_SQL("n")}
   FROM generate_series(${HEAVY_BASELINE}, $1::int) n WHERE ${SUBJECT_RANGE} AND n % 20 = 0`,
];

// ───────────────────────────── statement timing ─────────────────────────────

interface Recorder {
  on: boolean;
  statements: { sql: string; ms: number }[];
}

/** Times every statement sent on the pool's connections while `on` (Prisma's adapter uses this pool). */
function recordStatements(pool: pg.Pool): Recorder {
  const recorder: Recorder = { on: false, statements: [] };
  const wrapped = new WeakSet<object>();
  pool.on("acquire", (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const target = client as unknown as { query: (...args: unknown[]) => unknown };
    const original = target.query.bind(client);
    target.query = (...args: unknown[]) => {
      const start = performance.now();
      const result = original(...args);
      if (!recorder.on || !(result instanceof Promise)) return result;
      const first = args[0];
      const sql = typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "");
      return result.then((value: unknown) => {
        recorder.statements.push({ sql, ms: performance.now() - start });
        return value;
      });
    };
  });
  return recorder;
}

function shortSql(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}

// ───────────────────────────── the benchmark ─────────────────────────────

const ms = (v: number) => `${v.toFixed(1)} ms`;
const int = (v: number) => Math.round(v).toLocaleString("en");

async function count(pool: pg.Pool, pseudonym: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM system_logs WHERE subject_pseudonym = $1", [pseudonym]);
  return rows[0]!.n;
}

/** Nothing of the subject may remain in any table that can hold them (lib/privacy/subject-data.ts). */
async function leftovers(pool: pg.Pool, pseudonym: string): Promise<string[]> {
  const found: string[] = [];
  for (const c of SUBJECT_COLUMNS) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${c.table}" WHERE "${c.column}" = $1`, [pseudonym]);
    if (rows[0]!.n > 0) found.push(`${c.table}: ${rows[0]!.n}`);
  }
  return found;
}

async function erasureRequestFor(n: number, admin: Actor): Promise<string> {
  const pseudonym = pseudonymOf(n);
  const email = `user-${n}@example.com`;
  const user =
    (await db().user.findUnique({ where: { email } })) ??
    (await db().user.create({ data: { email, displayName: `User ${n}`, role: "end_user", subjectPseudonym: pseudonym } }));
  const request = await createRequest(
    { pseudonym, userId: user.id },
    { type: "erasure", details: "Please delete my account and everything you have about me." },
    { type: "user", id: user.id, role: "end_user" },
  );
  await transitionRequest({ id: request.id, to: "verified" }, admin);
  await transitionRequest({ id: request.id, to: "in_progress" }, admin);
  return request.id;
}

interface Measured {
  ms: number;
  events: number;
  /** after the erasure committed: the refresh of the statistics that sampled the person */
  refreshMs?: number;
}

async function timeErasure(pool: pg.Pool, recorder: Recorder, admin: Actor, n: number, expected: number): Promise<Measured> {
  const pseudonym = pseudonymOf(n);
  const requestId = await erasureRequestFor(n, admin);
  recorder.on = true;
  const start = performance.now();
  let receipt: ErasureReceipt;
  let stale: Awaited<ReturnType<typeof eraseSubject>>["staleStatistics"];
  try {
    ({ receipt, staleStatistics: stale } = await eraseSubject(requestId));
  } finally {
    recorder.on = false;
  }
  const elapsed = performance.now() - start;
  const refreshStart = performance.now();
  await refreshStatistics(pool, stale);
  const refreshMs = performance.now() - refreshStart;
  const remaining = await count(pool, pseudonym);
  if (remaining !== 0) throw new Error(`erasure of subject ${n} left ${remaining} of its ${expected} events in system_logs`);
  if (receipt.tables.system_logs !== expected) {
    throw new Error(`erasure of subject ${n}: the receipt counts ${receipt.tables.system_logs} system_logs rows, but ${expected} were there before`);
  }
  const left = await leftovers(pool, pseudonym);
  if (left.length) throw new Error(`erasure of subject ${n} left rows behind: ${left.join(", ")}`);
  return { ms: elapsed, events: expected, refreshMs };
}

async function timeBareDelete(pool: pg.Pool, n: number, expected: number): Promise<Measured> {
  const start = performance.now();
  const result = await pool.query("DELETE FROM system_logs WHERE subject_pseudonym = $1", [pseudonymOf(n)]);
  const elapsed = performance.now() - start;
  if (result.rowCount !== expected) throw new Error(`the bare DELETE of subject ${n} removed ${result.rowCount} rows, expected ${expected}`);
  return { ms: elapsed, events: expected };
}

async function load(pool: pg.Pool, now: Date): Promise<{ eventsMs: number; totalMs: number }> {
  const from = new Date(now.getTime() - DAYS * DAY_MS);
  await ensureLogPartitions(pool, from, now);
  const heavyEvery = Math.max(2, Math.floor(N / HEAVY_EVENTS));
  const started = performance.now();
  const eventsMs = await loadEvents(pool, { events: N, subjects: SUBJECTS, from, spanMs: DAYS * DAY_MS, heavyEvery });
  for (const sql of SUBJECT_DATA_SQL) {
    // Each statement is sent with as many of the parameters as it uses.
    const used = Math.max(0, ...[...sql.matchAll(/\$(\d)/g)].map((m) => Number(m[1])));
    await pool.query(sql, [SUBJECTS, from.toISOString(), N].slice(0, used));
  }
  console.log(`  subjects, sessions, consent, feedback, feature set: ${((performance.now() - started - eventsMs) / 1000).toFixed(1)} s`);
  const analyzeStart = performance.now();
  await pool.query("ANALYZE");
  console.log(`  ANALYZE: ${((performance.now() - analyzeStart) / 1000).toFixed(1)} s`);
  return { eventsMs, totalMs: performance.now() - started };
}

async function main() {
  if (![N, RUNS, SUBJECTS].every((v) => Number.isInteger(v) && v > 0)) throw new Error("usage: bench/erasure.ts [events=5000000] [runs=5] [subjects=20000]");
  if (SUBJECTS < 40 * RUNS) throw new Error(`need at least ${40 * RUNS} subjects for ${RUNS} runs`);
  const target = await benchDatabase();
  const { pool } = database();
  const recorder = recordStatements(pool);
  try {
    console.log(`database: ${target.kind === "server" ? "PostgreSQL server" : "embedded PostgreSQL"}; ${int(N)} events over ${DAYS} days, ${int(SUBJECTS)} subjects, ${RUNS} runs`);
    console.log("loading:");
    const loaded = await load(pool, new Date());
    const { rows: size } = await pool.query<{ rows: string; size: string; payload: number; partitions: number }>(
      `SELECT (SELECT count(*) FROM system_logs)::text AS rows, count(*)::int AS partitions,
              pg_size_pretty(sum(pg_total_relation_size(inhrelid))) AS size,
              (SELECT avg(pg_column_size(payload))::int FROM (SELECT payload FROM system_logs LIMIT 10000) s) AS payload
       FROM pg_inherits WHERE inhparent = 'system_logs'::regclass`,
    );
    if (Number(size[0]!.rows) !== N) throw new Error(`loaded ${size[0]!.rows} events, expected ${N}`);
    console.log(`  system_logs: ${int(N)} rows, ${size[0]!.size} with indexes, payload ≈ ${size[0]!.payload} bytes`);

    const adminUser = await db().user.create({ data: { email: "bench-admin@example.com", displayName: "Bench admin", role: "admin" } });
    const admin: Actor = { type: "user", id: adminUser.id, role: "admin" };

    // Typical subjects are multiples of 20 (in every table); the baseline takes the next ones along.
    const erased = Array.from({ length: RUNS }, (_, i) => 20 * (i + 1));
    const bare = Array.from({ length: RUNS }, (_, i) => 20 * (RUNS + i + 1));
    const expected = new Map<number, number>();
    const everyone = [...erased, ...bare, HEAVY_ERASE, HEAVY_BASELINE];
    const { rows: counts } = await pool.query<{ p: string; n: number }>(
      "SELECT subject_pseudonym AS p, count(*)::int AS n FROM system_logs WHERE subject_pseudonym = ANY($1) GROUP BY 1",
      [everyone.map(pseudonymOf)],
    );
    for (const n of everyone) expected.set(n, counts.find((c) => c.p === pseudonymOf(n))?.n ?? 0);

    const autovacuum = async () =>
      (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()")).rows[0]!.n;
    const vacuumingBefore = await autovacuum();
    const erasures: Measured[] = [];
    const sqlMs: number[] = [];
    let statementCount = 0;
    const deletes: Measured[] = [];
    const perStatement = new Map<string, number[]>();
    for (let run = 0; run < RUNS; run++) {
      recorder.statements = [];
      erasures.push(await timeErasure(pool, recorder, admin, erased[run]!, expected.get(erased[run]!)!));
      for (const s of recorder.statements) perStatement.set(shortSql(s.sql), [...(perStatement.get(shortSql(s.sql)) ?? []), s.ms]);
      sqlMs.push(recorder.statements.reduce((sum, s) => sum + s.ms, 0));
      statementCount = recorder.statements.length;
      deletes.push(await timeBareDelete(pool, bare[run]!, expected.get(bare[run]!)!));
      console.log(`run ${run + 1}: erasure of ${erasures.at(-1)!.events} events ${ms(erasures.at(-1)!.ms)}; bare DELETE of ${deletes.at(-1)!.events} events ${ms(deletes.at(-1)!.ms)}`);
    }
    recorder.statements = [];
    const heavy = await timeErasure(pool, recorder, admin, HEAVY_ERASE, expected.get(HEAVY_ERASE)!);
    const heavyStatements = recorder.statements;
    const heavyBare = await timeBareDelete(pool, HEAVY_BASELINE, expected.get(HEAVY_BASELINE)!);
    const vacuumingAfter = await autovacuum();
    console.log(`heavy: erasure of ${heavy.events} events ${ms(heavy.ms)} (then the statistics refresh ${ms(heavy.refreshMs ?? 0)}); bare DELETE of ${heavyBare.events} events ${ms(heavyBare.ms)}`);

    const eraseMs = erasures.map((e) => e.ms);
    const deleteMs = deletes.map((e) => e.ms);
    const range = (m: Measured[]) => `${median(m.map((e) => e.events))} (${Math.min(...m.map((e) => e.events))}–${Math.max(...m.map((e) => e.events))})`;
    const verdict = (v: number) => (v < BUDGET_MS ? "within budget" : "OVER BUDGET");
    printTable([
      ["database", `${target.kind === "server" ? "PostgreSQL server" : "embedded PostgreSQL"}, ${int(N)} events over ${DAYS + 1} of ${size[0]!.partitions} daily partitions, ${int(SUBJECTS)} subjects`],
      ["load (events)", `${(loaded.eventsMs / 1000).toFixed(1)} s, ${int((N / loaded.eventsMs) * 1000)} rows/s`],
      ["load (everything, with ANALYZE)", `${(loaded.totalMs / 1000).toFixed(1)} s`],
      ["runs", String(RUNS)],
      ["events erased per run, median (range)", range(erasures)],
      ["erasure (to its commit), median", ms(median(eraseMs))],
      ["erasure, p95 / max", `${ms(percentile(eraseMs, 95))} / ${ms(Math.max(...eraseMs))}`],
      ["then the statistics refresh, median / max", `${ms(median(erasures.map((e) => e.refreshMs ?? 0)))} / ${ms(Math.max(...erasures.map((e) => e.refreshMs ?? 0)))}`],
      ["  of which waiting on its SQL statements, median", `${ms(median(sqlMs))} (${statementCount} statements incl. BEGIN/COMMIT)`],
      [`bare DELETE of ${range(deletes)} events, median`, ms(median(deleteMs))],
      ["bare DELETE, p95 / max", `${ms(percentile(deleteMs, 95))} / ${ms(Math.max(...deleteMs))}`],
      ["erasure overhead over the bare DELETE, medians", `${ms(median(eraseMs) - median(deleteMs))} (×${(median(eraseMs) / median(deleteMs)).toFixed(1)})`],
      [`heavy subject: erasure of ${heavy.events} events`, `${ms(heavy.ms)} (${verdict(heavy.ms)}); then the statistics refresh ${ms(heavy.refreshMs ?? 0)}`],
      [`heavy subject: bare DELETE of ${heavyBare.events} events`, ms(heavyBare.ms)],
      ["autovacuum workers on this database (before / after the runs)", `${vacuumingBefore} / ${vacuumingAfter}`],
      ["budget", `erasure of one subject < ${BUDGET_MS} ms`],
      ["verdict (median)", `${verdict(median(eraseMs))}${Math.max(...eraseMs) >= BUDGET_MS ? `; the slowest run (${ms(Math.max(...eraseMs))}) was over` : ""}`],
    ]);

    const typical = [...perStatement.entries()].map(([sql, times]) => [sql, median(times)] as const).sort((a, b) => b[1] - a[1]);
    console.log("\nwhere the erasure spends its time (typical subject, median per statement, slowest first):");
    for (const [sql, t] of typical.slice(0, 8)) console.log(`  ${ms(t).padStart(10)}  ${sql}`);
    console.log(`  ${ms(typical.reduce((sum, [, t]) => sum + t, 0)).padStart(10)}  all ${typical.length} statements`);
    console.log("heavy subject, slowest statements:");
    for (const s of [...heavyStatements].sort((a, b) => b.ms - a.ms).slice(0, 3)) console.log(`  ${ms(s.ms).padStart(10)}  ${shortSql(s.sql)}`);
  } finally {
    await stopJobQueue();
    await database().close();
    await target.drop();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
