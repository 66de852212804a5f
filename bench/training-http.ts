import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { createApiKey } from "../lib/auth/api-keys";
import { database, db } from "../lib/db/client";
import { stopJobQueue } from "../lib/jobs/queue";
import { startJobWorker } from "../lib/jobs/worker";
import type { FeatureTypeName } from "../lib/training/definitions";
import { DATASET_FORMATS } from "../lib/training/dataset-export";
import { childEnv } from "../lib/env";
import { median } from "./stats";

// The training API over real HTTP, after bench/features.ts has loaded its events:
// 1. an extraction started with POST /api/v1/feature-sets and polled until ready, `runs` times (median
//    and max; compare with extractFeatures in process; budget 10 s, goal under 5 s);
// 2. the set downloaded in each format, the body read as it arrives, the server's peak RSS growth
//    sampled every 20 ms (budget: under 100 MB), and rows per second. The routes are served by a process
//    of their own (bench/api-server-process.ts), so the figure is the server's, not the client's;
// 3. the same downloads of a `downloadRows`-row user_behavior set (default 1,000,000; 0 skips it): the
//    extracted set's rows repeated under new pseudonyms, with as many members, so its manifest (embedded
//    in the Parquet file) lists them all. The feature types aggregate per subject or fingerprint, so
//    1M events give only about 12k rows; a 1M-row set stands for a million people.
const MEMORY_BUDGET_MB = 100;
const EXTRACTION_BUDGET_MS = 10_000;

type Headers = Record<string, string>;

async function extractOverHttp(url: string, headers: Headers, type: FeatureTypeName, range: { startDate: Date; endDate: Date }) {
  const started = performance.now();
  const { id } = (await (await fetch(`${url}/api/v1/feature-sets`, { method: "POST", headers, body: JSON.stringify({ featureType: type, ...range }) })).json()) as { id: string };
  let status: { status: string; rows: number } = { status: "building", rows: 0 };
  while (status.status === "building") {
    await new Promise((r) => setTimeout(r, 100));
    status = (await (await fetch(`${url}/api/v1/feature-sets/${id}`, { headers })).json()) as typeof status;
  }
  if (status.status !== "ready") throw new Error(`the extraction ended ${status.status}`);
  return { id, rows: status.rows, ms: performance.now() - started };
}

/** The resident memory of a process, from /proc (Linux). */
function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Downloads a set in every format; false when a format grows the server's RSS past the budget. */
async function downloads(server: ApiServer, headers: Headers, id: string, rows: number): Promise<boolean> {
  let ok = true;
  for (const format of DATASET_FORMATS) {
    await new Promise((r) => setTimeout(r, 500));
    const base = rssOf(server.pid);
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid))), 20);
    const t0 = performance.now();
    const response = await fetch(`${server.url}/api/v1/feature-sets/${id}/data?format=${format}`, { headers });
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
    const took = performance.now() - t0;
    clearInterval(sampler);
    const growthMb = (peak - base) / 1_048_576;
    if (response.status !== 200 || growthMb >= MEMORY_BUDGET_MB) ok = false;
    console.log(
      `  GET data?format=${format.padEnd(7)} ${response.status} ${rows.toLocaleString("en")} rows, ${(bytes / 1_048_576).toFixed(1)} MB in ${(took / 1000).toFixed(2)} s, ` +
        `${Math.round((rows / took) * 1000).toLocaleString("en")} rows/s, server RSS growth ${growthMb.toFixed(1)} MB (budget < ${MEMORY_BUDGET_MB} MB)`,
    );
  }
  return ok;
}

interface ApiServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** bench/api-server-process.ts on the bench's database. */
async function startServerProcess(): Promise<ApiServer> {
  const child = spawn(process.execPath, [require.resolve("tsx/cli"), "--conditions=react-server", "bench/api-server-process.ts"], { env: childEnv({}), stdio: ["ignore", "pipe", "inherit"] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the API server process exited (${code})`)));
  });
  const { url, pid } = JSON.parse(first) as { url: string; pid: number };
  return {
    url,
    pid,
    stop: () => new Promise<void>((resolve) => (child.once("exit", () => resolve()), child.kill("SIGTERM"))),
  };
}

/** A sealed user_behavior set of `rows` rows: `source`'s rows repeated under new pseudonyms, each a member. */
async function syntheticSet(source: string, rows: number): Promise<string> {
  const { pool } = database();
  const id = randomUUID();
  const key = "encode(sha256(('bench-' || n)::bytea), 'hex')";
  await pool.query(
    `INSERT INTO feature_sets (id, feature_type, start_date, end_date, definition_version, row_count, subject_count, digest, completed_at)
     SELECT $1, feature_type, start_date, end_date, definition_version, $2, $2, repeat('0', 64), now() FROM feature_sets WHERE id = $3`,
    [id, rows, source],
  );
  await pool.query(`INSERT INTO feature_set_subjects (feature_set_id, subject_pseudonym) SELECT $1, ${key} FROM generate_series(1, $2::int) n`, [id, rows]);
  // The source's size is a parameter, so `n % size` depends on n alone and the join is hashed.
  const size = (await pool.query<{ c: number }>("SELECT count(*)::int AS c FROM extracted_features WHERE feature_set_id = $1", [source])).rows[0]!.c;
  await pool.query(
    `WITH src AS (SELECT features, row_number() OVER (ORDER BY entity_key) - 1 AS i FROM extracted_features WHERE feature_set_id = $3)
     INSERT INTO extracted_features (id, feature_set_id, entity_key, subject_pseudonym, features)
     SELECT gen_random_uuid(), $1, ${key}, ${key}, src.features FROM generate_series(1, $2::int) n JOIN src ON src.i = n % $4::int`,
    [id, rows, source, size],
  );
  await pool.query("ANALYZE extracted_features");
  return id;
}

export async function benchTrainingHttp(
  type: FeatureTypeName,
  range: { startDate: Date; endDate: Date },
  inProcessMs: number,
  options: { runs: number; downloadRows: number },
): Promise<boolean> {
  const user = await db().user.create({ data: { email: `${randomUUID()}@bench.test`, displayName: "Bench", role: "data_scientist" } });
  const { secret } = await createApiKey({ name: "bench", scopes: ["training:read", "training:write"] }, { type: "user", id: user.id, role: "data_scientist" });
  await startJobWorker({ pollingIntervalSeconds: 0.5 });
  const server = await startServerProcess();
  const headers = { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" };
  let ok = true;
  try {
    const runs: Awaited<ReturnType<typeof extractOverHttp>>[] = [];
    for (let i = 0; i < options.runs; i++) runs.push(await extractOverHttp(server.url, headers, type, range));
    const times = runs.map((r) => r.ms);
    const m = median(times);
    if (m >= EXTRACTION_BUDGET_MS) ok = false;
    console.log(
      `\nover HTTP: POST /api/v1/feature-sets (${type}) to ready, ${options.runs} runs: median ${(m / 1000).toFixed(2)} s, max ${(Math.max(...times) / 1000).toFixed(2)} s ` +
        `(budget < ${EXTRACTION_BUDGET_MS / 1000} s; the job queue is polled every 0.5 s, the status every 0.1 s); in process median ${(inProcessMs / 1000).toFixed(2)} s`,
    );
    const last = runs.at(-1)!;
    console.log(`downloads of that set (${last.rows.toLocaleString("en")} rows):`);
    ok = (await downloads(server, headers, last.id, last.rows)) && ok;
    if (options.downloadRows > 0) {
      const t0 = performance.now();
      const big = await syntheticSet(last.id, options.downloadRows);
      console.log(`downloads of a ${options.downloadRows.toLocaleString("en")}-row user_behavior set (its rows and members written in ${((performance.now() - t0) / 1000).toFixed(1)} s):`);
      ok = (await downloads(server, headers, big, options.downloadRows)) && ok;
    }
  } finally {
    await server.stop();
    await stopJobQueue();
  }
  return ok;
}
