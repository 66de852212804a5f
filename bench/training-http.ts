import { randomUUID } from "node:crypto";
import { createApiKey } from "../lib/auth/api-keys";
import { db } from "../lib/db/client";
import { stopJobQueue } from "../lib/jobs/queue";
import { startJobWorker } from "../lib/jobs/worker";
import type { FeatureTypeName } from "../lib/training/definitions";
import { DATASET_FORMATS } from "../lib/training/dataset-export";
import { startIngestServer } from "../test/support/api-server";

// The training API over real HTTP, after bench/features.ts has loaded its events: an extraction
// started with POST /api/v1/feature-sets and polled until ready (compare with extractFeatures in
// process), then the set downloaded in each format with the body read as it arrives, the process's
// peak RSS growth sampled every 20 ms (budget: under 100 MB; server and client share the process,
// so the figure is an upper bound for the server).
const MEMORY_BUDGET_MB = 100;

export async function benchTrainingHttp(type: FeatureTypeName, range: { startDate: Date; endDate: Date }, inProcessMs: number): Promise<boolean> {
  const user = await db().user.create({ data: { email: `${randomUUID()}@bench.test`, displayName: "Bench", role: "data_scientist" } });
  const { secret } = await createApiKey({ name: "bench", scopes: ["training:read", "training:write"] }, { type: "user", id: user.id, role: "data_scientist" });
  await startJobWorker({ pollingIntervalSeconds: 0.5 });
  const server = await startIngestServer();
  const headers = { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" };
  let ok = true;
  try {
    const started = performance.now();
    const { id } = (await (await fetch(`${server.url}/api/v1/feature-sets`, { method: "POST", headers, body: JSON.stringify({ featureType: type, ...range }) })).json()) as { id: string };
    let status: { status: string; rows: number } = { status: "building", rows: 0 };
    while (status.status === "building") {
      await new Promise((r) => setTimeout(r, 100));
      status = (await (await fetch(`${server.url}/api/v1/feature-sets/${id}`, { headers })).json()) as typeof status;
    }
    const httpMs = performance.now() - started;
    console.log(`\nover HTTP: POST /api/v1/feature-sets (${type}) to ready ${(httpMs / 1000).toFixed(2)} s (job queue polled every 0.5 s); in process ${(inProcessMs / 1000).toFixed(2)} s`);
    for (const format of DATASET_FORMATS) {
      global.gc?.();
      const base = process.memoryUsage().rss;
      let peak = base;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const t0 = performance.now();
      const response = await fetch(`${server.url}/api/v1/feature-sets/${id}/data?format=${format}`, { headers });
      let bytes = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
      const took = performance.now() - t0;
      clearInterval(sampler);
      const growthMb = (peak - base) / 1_048_576;
      if (growthMb >= MEMORY_BUDGET_MB) ok = false;
      console.log(
        `  GET data?format=${format.padEnd(7)} ${response.status} ${status.rows} rows, ${(bytes / 1_048_576).toFixed(1)} MB in ${(took / 1000).toFixed(2)} s, ` +
          `${Math.round((status.rows / took) * 1000)} rows/s, RSS growth ${growthMb.toFixed(1)} MB (budget < ${MEMORY_BUDGET_MB} MB)`,
      );
    }
  } finally {
    await server.stop();
    await stopJobQueue();
  }
  return ok;
}
