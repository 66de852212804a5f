import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { createApiKey } from "../lib/auth/api-keys";
import { database } from "../lib/db/client";
import { ensureUpcomingPartitions } from "../lib/db/partitions";
import { createTestDatabase } from "@/test/support/test-database";
import { childEnv, env, overrideEnv } from "../lib/env";
import { toStorable } from "../lib/ingest/normalize";
import { copyText } from "../lib/ingest/store";
import { wireEventSchema } from "../lib/ingest/event-schema";
import { createLogger, type WireEvent } from "@clearlog/sdk";
import { benchEvents } from "./ingest-events";
import { timeOtlpProtobuf } from "./ingest-otlp";
import { median, printTable } from "./stats";

// npm run bench:ingest [events=50000] [runs=3] [clients=4] [port=3201]
// (a) raw COPY of equivalent rows into system_logs vs (b) the SDK sending the same number of events
// over HTTP, batches of 500, from `clients` application instances at once, to `next start` with
// classification on, and (c) the same events sent by OpenTelemetry's SDK and -proto exporters
// (OTLP/HTTP, protobuf, batches of 500, bench/ingest-otlp.ts); same database, same run.
const N = Number(process.argv[2] ?? 50_000);
const RUNS = Number(process.argv[3] ?? 3);
const CLIENTS = Number(process.argv[4] ?? 4);
const PORT = Number(process.argv[5] ?? 3201);

const COPY_COLUMNS = ["event_id", "occurred_at", "type", "severity", "name", "message", "component", "subject_pseudonym", "session_id", "classification", "categories", "purpose", "gen_ai_provider_name", "gen_ai_request_model", "gen_ai_usage_input_tokens", "gen_ai_usage_output_tokens", "gen_ai_latency_ms", "http_request_method", "http_route", "http_response_status_code", "http_duration_ms", "error_type", "payload"];

function copyLines(events: WireEvent[]): string[] {
  return events.map((raw) => {
    const e = toStorable(wireEventSchema.parse(raw));
    const values = [e.eventId, e.occurredAt, e.type, e.severity, e.name, e.message, e.component, e.subject ? createHash("sha256").update(e.subject).digest("hex") : null, e.sessionId, "internal", [], e.purpose, e.genAi.provider, e.genAi.model, e.genAi.inputTokens, e.genAi.outputTokens, e.genAi.latencyMs, e.http.method, e.http.route, e.http.status, e.http.durationMs, e.errorType, e.payload];
    return `${values.map(copyText).join("\t")}\n`;
  });
}

async function timeCopy(url: string, events: WireEvent[]): Promise<number> {
  const lines = copyLines(events);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const start = performance.now();
  await pipeline(Readable.from(lines), client.query(copyFrom(`COPY system_logs (${COPY_COLUMNS.join(", ")}) FROM STDIN`)));
  const ms = performance.now() - start;
  await client.end();
  return ms;
}

function send(logger: ReturnType<typeof createLogger>, e: WireEvent): void {
  if (e.type === "user_action") logger.logUserAction(e.action!, e.component!, e.attributes);
  else if (e.type === "ai_interaction") logger.logAIInteraction(e.ai!.operation ?? "chat", { ...e.ai! });
  else if (e.type === "api_request") logger.logApiRequest(e.http!);
  else if (e.type === "error") logger.logError(Object.assign(new Error(e.error!.message), { name: e.error!.name, stack: e.error!.stack }), e.component);
  else logger.logSystemEvent(e.name!, { note: e.message });
}

/** CLIENTS application instances, each with its own SDK logger, share the events. */
async function timeHttp(baseUrl: string, apiKey: string, events: WireEvent[]): Promise<{ ms: number; rejected: number }> {
  let rejected = 0;
  const loggers = Array.from({ length: CLIENTS }, () =>
    createLogger({ endpoint: baseUrl, apiKey, batchSize: 500, maxQueueSize: events.length + 1, flushIntervalMs: 20, onError: (e) => (rejected += e.rejections?.length ?? 0) }),
  );
  const start = performance.now();
  // Applications log continuously: hand the event loop back between chunks so sending overlaps logging.
  for (let i = 0; i < events.length; i++) {
    send(loggers[i % CLIENTS]!, events[i]!);
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(loggers.map((l) => l.shutdown()));
  return { ms: performance.now() - start, rejected };
}

async function waitForHealth(url: string, server: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) throw new Error("the server exited; see its output above");
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the server did not start within 5 minutes");
}

async function main() {
  const target = await createTestDatabase();
  overrideEnv({ DATABASE_URL: target.url, CLEARLOG_SECRET: env().CLEARLOG_SECRET ?? "bench-secret-0123456789abcdef0123456789abcdef" });
  const { pool } = database();
  await ensureUpcomingPartitions(pool);
  const key = await createApiKey({ name: "bench", scopes: ["ingest"] }, { type: "cli" });
  console.log(`database: ${target.kind === "server" ? "PostgreSQL server" : "embedded PostgreSQL"}; ${N} events per run, ${RUNS} runs, ${CLIENTS} SDK clients`);

  const server = spawn(process.execPath, [require.resolve("tsx/cli"), "--conditions=react-server", "scripts/start.ts"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: childEnv({ PORT: String(PORT), HOSTNAME: "127.0.0.1", CLEARLOG_SKIP_SEED: "1", CLEARLOG_INGEST_RATE_PER_SECOND: "0", CLEARLOG_OTLP_GRPC_PORT: "off", NEXT_TELEMETRY_DISABLED: "1" }),
  });
  const base = `http://127.0.0.1:${PORT}`;
  try {
    await waitForHealth(base, server);
    const copy: number[] = [];
    const http: number[] = [];
    const otlp: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      await pool.query("TRUNCATE system_logs, logging_sessions, subjects");
      copy.push(await timeCopy(target.url, benchEvents(N, run)));
      await pool.query("TRUNCATE system_logs, logging_sessions, subjects");
      const result = await timeHttp(base, key.secret, benchEvents(N, run + 100));
      const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM system_logs");
      if (rows[0]!.n + result.rejected < N) throw new Error(`only ${rows[0]!.n} of ${N} events were stored`);
      http.push(result.ms);
      await pool.query("TRUNCATE system_logs, logging_sessions, subjects");
      otlp.push(await timeOtlpProtobuf(base, key.secret, benchEvents(N, run + 200), CLIENTS));
      const stored = (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM system_logs")).rows[0]!.n;
      if (stored < N) throw new Error(`OTLP: only ${stored} of ${N} events were stored`);
      console.log(`run ${run}: COPY ${Math.round((N / copy.at(-1)!) * 1000)} ev/s, HTTP+SDK ${Math.round((N / result.ms) * 1000)} ev/s, OTLP protobuf ${Math.round((N / otlp.at(-1)!) * 1000)} ev/s`);
    }
    const copyRate = (N / median(copy)) * 1000;
    const httpRate = (N / median(http)) * 1000;
    const otlpRate = (N / median(otlp)) * 1000;
    printTable([
      ["raw COPY into system_logs", `${Math.round(copyRate)} events/s`],
      [`HTTP ingest via SDK (${CLIENTS} clients, batches of 500, classification on)`, `${Math.round(httpRate)} events/s`],
      [`OTLP/HTTP protobuf via the OpenTelemetry SDK (${CLIENTS} clients, batches of 500)`, `${Math.round(otlpRate)} events/s`],
      ["ratio (HTTP / COPY), medians", (httpRate / copyRate).toFixed(2)],
      ["ratio (OTLP protobuf / COPY), medians", (otlpRate / copyRate).toFixed(2)],
      ["budget", "ratio ≥ 0.50"],
    ]);
  } finally {
    server.kill("SIGINT");
    await new Promise((r) => server.once("exit", r));
    await database().close();
    await target.drop();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
