import type pg from "pg";
import { database } from "../lib/db/client";
import { ensureLogPartitions } from "../lib/db/partitions";
import { FEATURE_TYPES, type FeatureTypeName } from "../lib/training/definitions";
import { extractFeatures } from "../lib/training/extract";
import { DIGEST_SQL, FEATURE_SQL, RECHECK_SQL, selectSubjectsSql } from "../lib/training/extract-sql";
import { benchDatabase, CHUNK, ERASURE_TEXT, loadEvents, PSEUDONYM_SQL, type EventText } from "./load-events";
import { median, printTable } from "./stats";
import { benchTrainingHttp } from "./training-http";

// npm run bench:features [events=1000000] [runs=5] [subjects=20000] [downloadRows=1000000]
// Feature extraction over `events` events (budget: under 10 s, computed in SQL). Loads realistic
// events server-side (bench/load-events.ts: generate_series, 30 days of daily partitions), 5% of AI
// interactions marked training_excluded at ingest, a `subjects` row per subject (1% restricted) and
// ai_training consent: 60% granted, 10% withdrawn, 30% no row (the purpose is opt-in), so the consent
// joins exclude real people. VACUUM (ANALYZE), then one untimed extraction per type (a workspace in
// use has earlier sets), VACUUM (ANALYZE) again, and extractFeatures(type, whole range) — create the
// set, select the consenting subjects, compute the rows, re-check consent, seal with a digest, return
// the row ids — is timed `runs` times per type, round-robin with a baseline: a bare count(*),
// count(DISTINCT subject_pseudonym) over the same range, so each figure reads as a multiple of a plain
// scan. Sets are kept, as in use. Every run of a type, the untimed one included, must give the same
// digest (determinism).
const N = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 5);
const SUBJECTS = Number(process.argv[4] ?? 20_000);
// Rows of the set whose downloads over HTTP are measured at the end (bench/training-http.ts); 0 skips it.
const DOWNLOAD_ROWS = Number(process.argv[5] ?? 1_000_000);
const BUDGET_MS = 10_000;
const DAYS = 30;
const DAY_MS = 86_400_000;

// Whether ingest excluded the event from training: 5% of AI interactions (lib/ingest marks them).
const TEXT: EventText = { ...ERASURE_TEXT, trainingExcluded: "t = 'ai_interaction' AND random() < 0.05" };

// Subjects 1..$1, created at $2. By n % 100: 0–59 granted, 60–69 withdrawn, 70–99 no consent row;
// 50 is also restricted (1%, all of them consenting, so the restriction is what leaves them out).
const SUBJECT_SQL: string[] = [
  `INSERT INTO subjects (id, external_id, pseudonym, restricted_at, created_at)
   SELECT gen_random_uuid(), 'user-' || n, ${PSEUDONYM_SQL("n")}, CASE WHEN n % 100 = 50 THEN $2::timestamptz END, $2::timestamptz
   FROM generate_series(1, $1::int) n`,
  `INSERT INTO consent_settings (id, subject_pseudonym, purpose, granted, method, notice_version, updated_at)
   SELECT gen_random_uuid(), ${PSEUDONYM_SQL("n")}, 'ai_training', n % 100 < 60,
          (CASE WHEN n % 100 < 60 THEN 'explicit' ELSE 'withdrawal' END)::"ConsentMethod", '2026-11', $2::timestamptz
   FROM generate_series(1, $1::int) n WHERE n % 100 < 70`,
];

const STAGES = ["select subjects", "features", "re-check", "digest", "other SQL"] as const;
type Stage = (typeof STAGES)[number];

function stageOf(sql: string, type: FeatureTypeName): Stage {
  if (sql === selectSubjectsSql(type)) return "select subjects";
  if (sql === FEATURE_SQL[type]) return "features";
  if (sql === RECHECK_SQL) return "re-check";
  if (sql === DIGEST_SQL) return "digest";
  return "other SQL";
}

interface Recorder {
  type: FeatureTypeName | null;
  stages: Map<Stage, number>;
}

/** Times the raw statements runExtraction sends through pool.query while `type` is set (Prisma's go through pool.connect). */
function recordStages(pool: pg.Pool): Recorder {
  const recorder: Recorder = { type: null, stages: new Map() };
  const target = pool as unknown as { query: (...args: unknown[]) => unknown };
  const original = target.query.bind(pool);
  target.query = (...args: unknown[]) => {
    const result = original(...args);
    const type = recorder.type;
    if (!type || typeof args[0] !== "string" || !(result instanceof Promise)) return result;
    const stage = stageOf(args[0], type);
    const start = performance.now();
    return result.then((value: unknown) => {
      recorder.stages.set(stage, (recorder.stages.get(stage) ?? 0) + performance.now() - start);
      return value;
    });
  };
  return recorder;
}

interface Run {
  ms: number;
  rows: number;
  subjects: number;
  exclusions: Record<string, number>;
  digest: string;
  stages: Map<Stage, number>;
}

const ms = (v: number) => `${Math.round(v).toLocaleString("en")} ms`;
const int = (v: number) => Math.round(v).toLocaleString("en");
const secs = (v: number) => `${(v / 1000).toFixed(1)} s`;

async function timeExtraction(pool: pg.Pool, recorder: Recorder, type: FeatureTypeName, range: { startDate: Date; endDate: Date }): Promise<Run> {
  recorder.type = type;
  recorder.stages = new Map();
  const start = performance.now();
  let featureSetId: string;
  try {
    ({ featureSetId } = await extractFeatures(type, range));
  } finally {
    recorder.type = null;
  }
  const elapsed = performance.now() - start;
  const { rows } = await pool.query<{ rows: number; subjects: number; exclusions: Record<string, number>; digest: string }>(
    "SELECT row_count AS rows, subject_count AS subjects, exclusions, digest FROM feature_sets WHERE id = $1",
    [featureSetId],
  );
  return { ms: elapsed, ...rows[0]!, stages: recorder.stages };
}

async function timeScan(pool: pg.Pool, range: { startDate: Date; endDate: Date }): Promise<{ ms: number; events: number; subjects: number }> {
  const start = performance.now();
  const { rows } = await pool.query<{ events: number; subjects: number }>(
    "SELECT count(*)::int AS events, count(DISTINCT subject_pseudonym)::int AS subjects FROM system_logs WHERE occurred_at >= $1 AND occurred_at < $2",
    [range.startDate, range.endDate],
  );
  return { ms: performance.now() - start, ...rows[0]! };
}

async function load(pool: pg.Pool, from: Date, now: Date): Promise<{ eventsMs: number; subjectsMs: number }> {
  await ensureLogPartitions(pool, from, now);
  const eventsMs = await loadEvents(pool, { events: N, subjects: SUBJECTS, from, spanMs: now.getTime() - from.getTime(), heavyEvery: Number.MAX_SAFE_INTEGER, text: TEXT });
  const started = performance.now();
  for (const sql of SUBJECT_SQL) await pool.query(sql, [SUBJECTS, from.toISOString()]);
  return { eventsMs, subjectsMs: performance.now() - started };
}

const exclusionText = (e: Record<string, number>) =>
  Object.entries(e)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(", ") || "none";

async function main() {
  if (![N, RUNS, SUBJECTS].every((v) => Number.isInteger(v) && v > 0) || SUBJECTS < 100 || !Number.isInteger(DOWNLOAD_ROWS) || DOWNLOAD_ROWS < 0) {
    throw new Error("usage: bench/features.ts [events=1000000] [runs=5] [subjects=20000, at least 100] [downloadRows=1000000, 0 to skip]");
  }
  const target = await benchDatabase();
  const { pool } = database();
  const recorder = recordStages(pool);
  const kind = target.kind === "server" ? "PostgreSQL server" : "embedded PostgreSQL";
  try {
    const now = new Date();
    const from = new Date(now.getTime() - DAYS * DAY_MS);
    // The events lie in (from, now]; the range is [from, end), end exclusive.
    const range = { startDate: from, endDate: new Date(now.getTime() + 60_000) };
    console.log(`database: ${kind}; ${int(N)} events over ${DAYS} days, ${int(SUBJECTS)} subjects, ${RUNS} runs per feature type`);
    console.log(`loading: server-side INSERT … SELECT generate_series in chunks of ${int(CHUNK)} (the same rows as COPY, none sent by the client):`);
    const loaded = await load(pool, from, now);
    const vacuum = async () => {
      const start = performance.now();
      await pool.query("VACUUM (ANALYZE)");
      return performance.now() - start;
    };
    const firstVacuumMs = await vacuum();
    const { rows: facts } = await pool.query<{ size: string; ai: number; excluded: number; restricted: number; granted: number; withdrawn: number }>(
      `SELECT (SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'system_logs'::regclass) AS size,
              (SELECT count(*)::int FROM system_logs WHERE type = 'ai_interaction') AS ai,
              (SELECT count(*)::int FROM system_logs WHERE training_excluded) AS excluded,
              (SELECT count(*)::int FROM subjects WHERE restricted_at IS NOT NULL) AS restricted,
              (SELECT count(*)::int FROM consent_settings WHERE purpose = 'ai_training' AND granted) AS granted,
              (SELECT count(*)::int FROM consent_settings WHERE purpose = 'ai_training' AND NOT granted) AS withdrawn`,
    );
    const f = facts[0]!;

    console.log(`VACUUM (ANALYZE) ${secs(firstVacuumMs)}; an earlier extraction of each type (untimed), then VACUUM (ANALYZE) again:`);
    const earlier = new Map<FeatureTypeName, Run>();
    for (const type of FEATURE_TYPES) {
      earlier.set(type, await timeExtraction(pool, recorder, type, range));
      console.log(`  ${type} ${ms(earlier.get(type)!.ms)} ${earlier.get(type)!.digest}`);
    }
    const vacuumMs = await vacuum();

    const runs = new Map<FeatureTypeName, Run[]>(FEATURE_TYPES.map((t) => [t, []]));
    const scans: number[] = [];
    let scanned = { events: 0, subjects: 0 };
    console.log(`\n${RUNS} rounds, each: the bare scan, then extractFeatures for each type (whole range):`);
    for (let round = 1; round <= RUNS; round++) {
      const scan = await timeScan(pool, range);
      scans.push(scan.ms);
      scanned = scan;
      const parts = [`scan ${ms(scan.ms)}`];
      for (const type of FEATURE_TYPES) {
        const run = await timeExtraction(pool, recorder, type, range);
        runs.get(type)!.push(run);
        parts.push(`${type} ${ms(run.ms)} ${run.digest}`);
      }
      console.log(`round ${round}: ${parts.join("\n         ")}`);
    }
    if (scanned.events !== N) throw new Error(`the range holds ${scanned.events} events, expected ${N}`);

    const scanMs = median(scans);
    printTable([
      ["database", `${kind}, ${int(N)} events over ${DAYS} days, ${f.size} with indexes`],
      ["load: events", `${secs(loaded.eventsMs)}, ${int((N / loaded.eventsMs) * 1000)} rows/s`],
      ["load: subjects and consent; VACUUM (ANALYZE) ×2", `${secs(loaded.subjectsMs)}; ${secs(firstVacuumMs)}, then ${secs(vacuumMs)} after the earlier sets`],
      ["subjects", `${int(SUBJECTS)}: ${int(f.granted)} granted ai_training, ${int(f.withdrawn)} withdrew, ${int(SUBJECTS - f.granted - f.withdrawn)} no row; ${int(f.restricted)} restricted`],
      ["events", `${int(scanned.subjects)} distinct subjects; ${int(f.ai)} AI interactions, ${int(f.excluded)} of them training_excluded`],
      ["baseline: count(*), count(DISTINCT subject)", `median ${ms(scanMs)}, max ${ms(Math.max(...scans))} (${RUNS} runs)`],
    ]);

    const header = ["type", "median", "max", "rows", "subjects", "× scan", "budget", "exclusions"];
    const table = FEATURE_TYPES.map((type) => {
      const r = runs.get(type)!;
      const t = r.map((x) => x.ms);
      const last = r.at(-1)!;
      const ok = median(t) < BUDGET_MS ? (Math.max(...t) < BUDGET_MS ? "within" : "within (median)") : "OVER";
      return [type, ms(median(t)), ms(Math.max(...t)), int(last.rows), int(last.subjects), `×${(median(t) / scanMs).toFixed(1)}`, ok, exclusionText(last.exclusions)];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
    console.log(`\nextractFeatures, ${RUNS} runs per type (budget: < ${ms(BUDGET_MS)}):`);
    console.log(line(header));
    for (const row of table) console.log(line(row));

    console.log("\nwhere the time goes (median per stage; the rest is Prisma: the set and its audit row, the seal, the ids returned):");
    for (const type of FEATURE_TYPES) {
      const r = runs.get(type)!;
      const stage = (s: Stage) => median(r.map((x) => x.stages.get(s) ?? 0));
      const rest = median(r.map((x) => x.ms - STAGES.reduce((sum, s) => sum + (x.stages.get(s) ?? 0), 0)));
      console.log(`  ${type.padEnd(15)} ${STAGES.map((s) => `${s} ${ms(stage(s))}`).join(", ")}, rest ${ms(rest)}`);
    }

    console.log("");
    let deterministic = true;
    for (const type of FEATURE_TYPES) {
      const all = [earlier.get(type)!, ...runs.get(type)!];
      const digests = new Set(all.map((x) => x.digest));
      const counts = new Set(all.map((x) => `${x.rows}/${x.subjects}/${exclusionText(x.exclusions)}`));
      deterministic &&= digests.size === 1 && counts.size === 1;
      console.log(`${type}: ${digests.size === 1 ? `one digest over ${all.length} runs, ${[...digests][0]}` : `${digests.size} different digests`}`);
    }
    console.log(`deterministic: ${deterministic ? "yes" : "no"}`);
    const over = FEATURE_TYPES.filter((type) => median(runs.get(type)!.map((x) => x.ms)) >= BUDGET_MS);
    console.log(`verdict: ${over.length ? `OVER BUDGET (median): ${over.join(", ")}` : `all ${FEATURE_TYPES.length} types within ${ms(BUDGET_MS)} (median)`}`);
    // The same extraction over HTTP, and its downloads (bench/training-http.ts).
    const httpOk = await benchTrainingHttp("user_behavior", range, median(runs.get("user_behavior")!.map((r) => r.ms)), { runs: Math.min(RUNS, 3), downloadRows: DOWNLOAD_ROWS });
    console.log(`over HTTP within budgets (extraction < 10 s, downloads < 100 MB of RSS): ${httpOk ? "yes" : "NO"}`);
    if (!deterministic) process.exitCode = 1;
  } finally {
    await database().close();
    await target.drop();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
