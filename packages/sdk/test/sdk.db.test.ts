import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { invalidateRuleCache } from "@/lib/classify/rule-cache";
import { database } from "@/lib/db/client";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { pseudonymFor } from "@/lib/privacy/pseudonym";
import { createLogger, type ClearlogError, type FetchLike, type Logger, type LoggerOptions } from "../src/index";
import type { BatchResponse, EventBatch, EventType } from "../src/wire";
import { recordConsent } from "@/lib/consent/consent";

// The SDK against the real ingestion route over real HTTP and real timers: what it sends is read
// back from system_logs with SQL.
let server: IngestTestServer;
let serverDown = false;
let key: string;
const loggers: Logger[] = [];

interface Call {
  ids: string[];
  body: string;
  status?: number;
  answer?: BatchResponse;
  lost?: boolean;
}

/** The global fetch, recording every request and answer; `loseResponse(i)` makes call i reach the
 * server and then fail as if the connection dropped before the answer arrived. */
function recordingFetch(loseResponse: (index: number) => boolean = () => false) {
  const calls: Call[] = [];
  const wrapped: FetchLike = async (url, init) => {
    const call: Call = { ids: (JSON.parse(init.body) as EventBatch).events.map((e) => e.id), body: init.body };
    calls.push(call);
    const res = await fetch(url, init);
    const text = await res.text();
    call.status = res.status;
    if (text) call.answer = JSON.parse(text) as BatchResponse;
    if (loseResponse(calls.length - 1)) {
      call.lost = true;
      throw new TypeError("fetch failed: socket hang up");
    }
    return new Response(text, { status: res.status, headers: res.headers });
  };
  return { fetch: wrapped, calls };
}

function makeLogger(options: Partial<LoggerOptions> = {}) {
  const errors: ClearlogError[] = [];
  const logger = createLogger({ endpoint: server.url, apiKey: key, flushIntervalMs: 50, flushOnPageHide: false, onError: (e) => errors.push(e), ...options });
  loggers.push(logger);
  return { logger, errors, codes: () => errors.map((e) => e.code) };
}

async function stored(ids: readonly string[]) {
  const { rows } = await database().pool.query<{ event_id: string; type: EventType; n: number }>(
    "SELECT event_id, min(type::text) AS type, count(*)::int AS n FROM system_logs WHERE event_id = ANY($1) GROUP BY event_id ORDER BY event_id",
    [ids],
  );
  return rows;
}

async function row(id: string) {
  const { rows } = await database().pool.query("SELECT s.*, s::text AS row_text FROM system_logs s WHERE event_id = $1", [id]);
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function stopServer() {
  await server.stop();
  serverDown = true;
}

async function restartServer() {
  await server.restart();
  serverDown = false;
}

beforeAll(async () => {
  key = (await createApiKey({ name: "sdk test", scopes: ["ingest"] }, { type: "cli" })).secret;
  server = await startIngestServer();
});

beforeEach(() => invalidateRuleCache());

afterEach(async () => {
  await Promise.all(loggers.splice(0).map((l) => l.shutdown({ timeoutMs: 1000 })));
  if (serverDown) await restartServer();
});

afterAll(async () => {
  await server?.stop();
});

describe("SDK → server over HTTP", () => {
  it("sends 250 events as batches of 100, 100 and 50; each stored exactly once with its type", async () => {
    const rec = recordingFetch();
    const { logger, errors } = makeLogger({ batchSize: 100, fetch: rec.fetch, component: "web" });
    const requestsBefore = server.requests;
    const expected = new Map<string, EventType>();
    for (let i = 0; i < 250; i++) {
      const kind = (["user_action", "ai_interaction", "api_request", "error", "system"] as const)[i % 5]!;
      const id =
        kind === "user_action" ? logger.logUserAction(`click.${i}`, "cart", { i })
        : kind === "ai_interaction" ? logger.logAIInteraction("chat", { model: "gpt-4o-mini", inputTokens: i, outputTokens: 1 })
        : kind === "api_request" ? logger.logApiRequest({ method: "GET", route: "/api/items/:id", status: 200, durationMs: i })
        : kind === "error" ? logger.logError(new Error(`failure ${i}`))
        : logger.logSystemEvent("tick", { i });
      expected.set(id!, kind);
    }
    await logger.flush();
    expect(rec.calls.map((c) => c.ids.length)).toEqual([100, 100, 50]);
    expect(server.requests - requestsBefore).toBe(3);
    expect(rec.calls.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(rec.calls.flatMap((c) => c.ids)).toEqual([...expected.keys()]);
    const rows = await stored([...expected.keys()]);
    expect(rows).toHaveLength(250);
    for (const r of rows) expect([r.n, r.type]).toEqual([1, expected.get(r.event_id)]);
    expect(logger.stats()).toEqual({ queued: 0, sent: 250, dropped: 0, failedAttempts: 0, rejected: 0 });
    expect(errors).toEqual([]);
  });

  it("keeps events queued while the server is down and delivers them once after it restarts", async () => {
    await stopServer();
    const { logger, codes } = makeLogger({ batchSize: 100, flushIntervalMs: 60_000, maxRetries: 2, random: () => 0.1 });
    const ids = Array.from({ length: 30 }, (_, i) => logger.logUserAction(`offline.${i}`, "editor")!);
    await logger.flush();
    expect(logger.stats()).toMatchObject({ queued: 30, sent: 0, dropped: 0, rejected: 0 });
    expect(logger.stats().failedAttempts).toBeGreaterThanOrEqual(3);
    expect(codes()).toContain("retries_exhausted");
    expect(await stored(ids)).toEqual([]);

    await restartServer();
    await logger.flush();
    expect(logger.stats()).toMatchObject({ queued: 0, sent: 30, dropped: 0, rejected: 0 });
    const rows = await stored(ids);
    expect(rows.map((r) => r.event_id)).toEqual([...ids].sort());
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it("resends the same bytes when an answer is lost; the server answers duplicate and stores each once", async () => {
    const rec = recordingFetch((i) => i === 0);
    const { logger, errors } = makeLogger({ batchSize: 100, flushIntervalMs: 60_000, maxRetries: 3, random: () => 0, fetch: rec.fetch });
    const ids = Array.from({ length: 10 }, (_, i) => logger.logSystemEvent("job.done", { job: i })!);
    await logger.flush();
    expect(rec.calls).toHaveLength(2);
    const [first, second] = rec.calls as [Call, Call];
    expect(first).toMatchObject({ lost: true, status: 200, answer: { accepted: 10, duplicates: 0 } });
    expect(second.body).toBe(first.body);
    expect(second).toMatchObject({ status: 200, answer: { accepted: 0, duplicates: 10, rejected: 0 } });
    expect(second.answer!.results).toEqual(ids.map((id) => ({ id, status: "duplicate" })));
    const rows = await stored(ids);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(logger.stats()).toEqual({ queued: 0, sent: 10, dropped: 0, failedAttempts: 1, rejected: 0 });
    expect(errors).toEqual([]);
  });

  it("bounds the queue while the server is down: the oldest are dropped, the 50 newest arrive", async () => {
    await stopServer();
    const { logger, errors } = makeLogger({ maxQueueSize: 50, flushIntervalMs: 60_000, maxRetries: 0 });
    // A failed send first: sending then holds until the next interval, so nothing is in flight
    // while the queue fills (events in flight are never dropped; see queue.ts).
    const ids = [logger.logSystemEvent("bounded", { n: 0 })!];
    await logger.flush();
    expect(logger.stats()).toMatchObject({ queued: 1, failedAttempts: 1 });
    for (let n = 1; n < 80; n++) ids.push(logger.logSystemEvent("bounded", { n })!);
    expect(logger.stats()).toMatchObject({ queued: 50, dropped: 30, sent: 0 });
    const overflow = errors.filter((e) => e.code === "queue_overflow");
    expect(overflow).toHaveLength(1);
    expect(overflow[0]!.eventIds).toEqual([ids[0]]);

    await restartServer();
    await logger.flush();
    expect(logger.stats()).toMatchObject({ queued: 0, sent: 50, dropped: 30 });
    expect((await stored(ids)).map((r) => r.event_id)).toEqual(ids.slice(30).sort());
  });

  it("a single `tokens` total from logAIInteraction is stored as gen_ai_usage_output_tokens", async () => {
    const { logger } = makeLogger();
    const id = logger.logAIInteraction("chat", { model: "gpt-4o-mini", provider: "openai", prompt: "Summarise the report", response: "It is fine.", tokens: 321 })!;
    await logger.flush();
    expect(await row(id)).toMatchObject({
      type: "ai_interaction",
      gen_ai_request_model: "gpt-4o-mini",
      gen_ai_provider_name: "openai",
      gen_ai_operation_name: "chat",
      gen_ai_usage_output_tokens: 321,
      gen_ai_usage_input_tokens: null,
      payload: { gen_ai: { prompt: "Summarise the report", response: "It is fine.", total_tokens: 321 } },
    });
  });

  it("logError stores an error row with a fingerprint shared by the same error and not by another", async () => {
    const { logger } = makeLogger();
    const declined = (order: number) => new Error(`Payment for order ${order} declined`);
    const a = logger.logError(declined(1001), "billing")!;
    const b = logger.logError(declined(2002), "billing")!;
    const other = logger.logError(new RangeError("Quota exceeded"), "billing")!;
    await logger.flush();
    const [ra, rb, ro] = [await row(a), await row(b), await row(other)];
    expect(ra).toMatchObject({ type: "error", severity: "error", error_type: "Error", message: "Payment for order 1001 declined", component: "billing" });
    expect(ra.error_fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(ra.payload.error.stack).toContain("declined");
    expect(rb.error_fingerprint).toBe(ra.error_fingerprint);
    expect(ro).toMatchObject({ error_type: "RangeError" });
    expect(ro.error_fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(ro.error_fingerprint).not.toBe(ra.error_fingerprint);
  });

  it("an email planted in a user action's details is stored hashed, never in clear; the subject as a pseudonym", async () => {
    // User actions serve `analytics`, an opt-in purpose: with consent they stay linked to the subject.
    await recordConsent(pseudonymFor("customer-7731"), [{ purpose: "analytics", granted: true }], { method: "api" });
    const { logger } = makeLogger({ subject: "customer-7731" });
    const id = logger.logUserAction("profile.update", "settings", { note: "reach me at jane.doe@example.com", contact: { email: "jane.doe@example.com" } })!;
    await logger.flush();
    const r = await row(id);
    expect(r.row_text).not.toContain("jane.doe@example.com");
    expect(r.row_text).not.toContain("jane.doe");
    expect(r.row_text).not.toContain("customer-7731");
    const note = /^reach me at (\[EMAIL:[0-9a-f]{12}\])$/.exec(r.payload.attributes.note as string);
    expect(note).not.toBeNull();
    expect(r.payload.attributes.contact.email).toBe(note![1]);
    expect(r.categories).toContain("user.contact.email");
    expect(r.classification).toBe("confidential");
    expect(r.subject_pseudonym).toBe(pseudonymFor("customer-7731"));
  });
});
