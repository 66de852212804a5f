import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as feedbackRoute from "@/app/api/v1/feedback/route";
import * as eventsRoute from "@/app/api/v1/events/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { database, db } from "@/lib/db/client";
import { pseudonymFor } from "@/lib/privacy/pseudonym";
import { createLogger, type ClearlogError, type FetchLike, type Logger, type LoggerOptions } from "../src/index";

// The SDK's sendFeedback against the real feedback route over real HTTP and real timers; what it
// sends is read back from model_feedback with SQL.
let server: http.Server;
let endpoint: string;
let key: string;
let ingestOnlyKey: string;
const loggers: Logger[] = [];

beforeAll(async () => {
  const model = await db().model.create({ data: { name: "sdk-bot", modelType: "llm" } });
  await db().modelVersion.create({ data: { modelId: model.id, version: "1.0.0" } });
  key = (await createApiKey({ name: "app", scopes: ["ingest", "feedback"] }, { type: "cli" })).secret;
  ingestOnlyKey = (await createApiKey({ name: "browser", scopes: ["ingest"] }, { type: "cli" })).secret;
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const handler = req.url === "/api/v1/events" ? eventsRoute.POST : feedbackRoute.POST;
    const response = await handler(request as never);
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(loggers.splice(0).map((l) => l.shutdown({ timeoutMs: 1000 })));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

interface Call {
  body: string;
  status?: number;
  lost?: boolean;
}

/** The global fetch, recording each request; `script(i)` may answer call i itself or lose its answer. */
function recordingFetch(script: (index: number) => "lose" | Response | undefined = () => undefined) {
  const calls: Call[] = [];
  const wrapped: FetchLike = async (url, init) => {
    const call: Call = { body: init.body };
    calls.push(call);
    const scripted = script(calls.length - 1);
    if (scripted instanceof Response) {
      call.status = scripted.status;
      return scripted;
    }
    const res = await fetch(url, init);
    const text = await res.text();
    call.status = res.status;
    if (scripted === "lose") {
      call.lost = true;
      throw new TypeError("fetch failed: socket hang up");
    }
    return new Response(text, { status: res.status, headers: res.headers });
  };
  return { fetch: wrapped, calls };
}

function makeLogger(options: Partial<LoggerOptions> = {}) {
  const errors: ClearlogError[] = [];
  const logger = createLogger({ endpoint, apiKey: key, flushIntervalMs: 50, flushOnPageHide: false, onError: (e) => errors.push(e), ...options });
  loggers.push(logger);
  return { logger, errors };
}

async function stored(id: string) {
  const { rows } = await database().pool.query("SELECT * FROM model_feedback WHERE id = $1", [id]);
  return rows;
}

const about = { model: "sdk-bot", version: "1.0.0" };

describe("sendFeedback → server over HTTP", () => {
  it("stores feedback on the interaction the logger just logged, for the logger's subject", async () => {
    const { logger, errors } = makeLogger({ subject: "sdk-user-1" });
    const eventId = logger.logAIInteraction("chat", { model: "gpt-4o-mini", prompt: "Where is my order?", response: "On its way." })!;
    await logger.flush();
    const result = await logger.sendFeedback({ ...about, eventId, rating: "down", comment: "Order is lost, reach me at sam@example.org" });
    expect(result).toMatchObject({ ok: true, status: "accepted", trainingEligible: false });
    const [row] = await stored(result.id);
    expect(row).toMatchObject({ event_id: eventId, subject_pseudonym: pseudonymFor("sdk-user-1"), rating: -1, source: "end_user" });
    expect(row.comment).toMatch(/^Order is lost, reach me at \[EMAIL:[0-9a-f]{12}\]$/);
    // Annotators are not the person the logger follows.
    const annotated = await logger.sendFeedback({ ...about, eventId, label: "hallucination", source: "annotator" });
    expect((await stored(annotated.id))[0]).toMatchObject({ subject_pseudonym: null, source: "annotator" });
    expect(errors).toEqual([]);
  });

  it("resends the same id when the answer is lost: the server answers duplicate and stores it once", async () => {
    const rec = recordingFetch((i) => (i === 0 ? "lose" : undefined));
    const { logger, errors } = makeLogger({ fetch: rec.fetch, random: () => 0 });
    const result = await logger.sendFeedback({ ...about, score: 4.5 });
    expect(rec.calls).toHaveLength(2);
    expect(rec.calls[0]).toMatchObject({ lost: true, status: 201 });
    expect(rec.calls[1]!.body).toBe(rec.calls[0]!.body);
    expect(result).toMatchObject({ ok: true, status: "duplicate" });
    expect(JSON.parse(rec.calls[0]!.body).id).toBe(result.id);
    expect(await stored(result.id)).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("waits out Retry-After on 429, retries 5xx, and keeps the caller's id", async () => {
    const id = randomUUID();
    const rec = recordingFetch((i) =>
      i === 0 ? new Response('{"error":"slow down"}', { status: 429, headers: { "Retry-After": "1" } }) : i === 1 ? new Response("{}", { status: 503 }) : undefined,
    );
    const { logger } = makeLogger({ fetch: rec.fetch, random: () => 0 });
    const started = Date.now();
    const result = await logger.sendFeedback({ ...about, id, rating: "up" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(rec.calls.map((c) => c.status)).toEqual([429, 503, 201]);
    expect(result).toEqual({ ok: true, id, status: "accepted", trainingEligible: false });
  });

  it("resolves with the error when the server cannot be reached; the same id sent later is stored once", async () => {
    const { logger: offline, errors } = makeLogger({ endpoint: "http://127.0.0.1:9", maxRetries: 1, random: () => 0 });
    const failed = await offline.sendFeedback({ ...about, rating: "up" });
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error.code).toBe("retries_exhausted");
    expect(errors.map((e) => e.code)).toEqual(["retries_exhausted"]);
    const { logger } = makeLogger();
    expect(await logger.sendFeedback({ ...about, id: failed.id, rating: "up" })).toMatchObject({ ok: true, id: failed.id, status: "accepted" });
    expect(await logger.sendFeedback({ ...about, id: failed.id, rating: "up" })).toMatchObject({ ok: true, status: "duplicate" });
    expect(await stored(failed.id)).toHaveLength(1);
  });

  it("does not retry what the server refuses, and never throws into the application", async () => {
    const rec = recordingFetch();
    const { logger, errors } = makeLogger({ fetch: rec.fetch });
    const bad = await logger.sendFeedback({ ...about, score: 99 });
    expect(rec.calls).toHaveLength(1);
    expect(bad).toMatchObject({ ok: false, error: { code: "rejected", status: 400 } });
    if (!bad.ok) expect(bad.error.message).toContain("score: must be from 0 to 10");
    const forbidden = await makeLogger({ apiKey: ingestOnlyKey }).logger.sendFeedback({ ...about, rating: "up" });
    expect(forbidden).toMatchObject({ ok: false, error: { code: "rejected", status: 403 } });
    expect(await logger.sendFeedback(null as never)).toMatchObject({ ok: false, error: { code: "invalid_argument" } });
    expect(errors.map((e) => e.code)).toEqual(["rejected", "invalid_argument"]);
    const disabled = createLogger({ endpoint, apiKey: "", onError: () => {} });
    expect(await disabled.sendFeedback({ ...about, rating: "up" })).toMatchObject({ ok: false, error: { code: "config" } });
    await logger.shutdown();
    expect(await logger.sendFeedback({ ...about, rating: "up" })).toMatchObject({ ok: false, error: { code: "shutdown" } });
  });
});
