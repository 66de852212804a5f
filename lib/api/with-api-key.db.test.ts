import { gzipSync } from "node:zlib";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { flushRefusals } from "../audit/refusals";
import { createApiKey } from "../auth/api-keys";
import { db } from "../db/client";
import { overrideEnv } from "../env";
import { SafeError } from "../errors";
import { apiJson, resetRateLimits, withApiKey } from "./with-api-key";

// The public-API wrapper over real keys in a real database: what every app/api/v1 route gets.
let secret: string;
let consentOnly: string;

beforeAll(async () => {
  secret = (await createApiKey({ name: "Wrapper", scopes: ["ingest"] }, { type: "cli" })).secret;
  consentOnly = (await createApiKey({ name: "Consent", scopes: ["consent"] }, { type: "cli" })).secret;
});
afterEach(() => resetRateLimits());

const echo = withApiKey("ingest", async (ctx) => apiJson({ body: await ctx.json(), key: ctx.key.prefix, network: ctx.network }));
const post = (headers: Record<string, string>, body?: BodyInit, url = "http://127.0.0.1/api/v1/test") =>
  echo(new Request(url, { method: "POST", headers, body, duplex: "half" } as RequestInit));

describe("withApiKey", () => {
  it("accepts Bearer and x-api-key, parses JSON (gzip too) and answers with CORS", async () => {
    const bearer = await post({ authorization: `Bearer ${secret}`, "content-type": "application/json", "x-forwarded-for": "203.0.113.9" }, '{"a":1}');
    expect(bearer.status).toBe(200);
    expect(await bearer.json()).toMatchObject({ body: { a: 1 }, network: "203.0.113.0/24" });
    expect(bearer.headers.get("access-control-allow-origin")).toBe("*");

    const header = await post({ "x-api-key": secret, "content-type": "application/json", "content-encoding": "gzip" }, gzipSync('{"b":2}'));
    expect(header.status).toBe(200);
    expect(await header.json()).toMatchObject({ body: { b: 2 } });
  });

  it("answers refusals as RFC 9457 problems naming the problem, with CORS", async () => {
    const cases: [Record<string, string>, BodyInit | undefined, number, RegExp][] = [
      [{}, "{}", 401, /^Missing API key/],
      [{ authorization: `Bearer ${consentOnly}` }, "{}", 403, /lacks the 'ingest' scope/],
      [{ authorization: `Bearer ${secret}`, "content-type": "text/plain" }, "{}", 415, /Content-Type must be application\/json; received text\/plain/],
      [{ authorization: `Bearer ${secret}`, "content-type": "application/json" }, "{nope", 400, /^Malformed JSON at position 1$/],
      [{ authorization: `Bearer ${secret}`, "content-type": "application/json", "content-encoding": "gzip" }, "not gzip", 400, /not valid gzip/],
      [{ authorization: `Bearer ${secret}`, "content-type": "application/json", "content-encoding": "br" }, "{}", 415, /Content-Encoding br is not supported/],
    ];
    for (const [headers, body, status, detail] of cases) {
      const response = await post(headers, body);
      expect(response.status, JSON.stringify(headers)).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      const problem = await response.json();
      expect(problem).toMatchObject({ status, detail: expect.stringMatching(detail), title: expect.any(String), type: expect.any(String) });
      expect(problem.error).toBe(problem.detail);
    }
    await flushRefusals();
  });

  it("enforces the body limit while reading, whatever Content-Length says", async () => {
    const restore = overrideEnv({ CLEARLOG_INGEST_MAX_BATCH_BYTES: "2048" });
    try {
      let sent = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += 1024;
          controller.enqueue(new Uint8Array(1024).fill(32));
          if (sent > 1_000_000) controller.close();
        },
      });
      const response = await post({ authorization: `Bearer ${secret}`, "content-type": "application/json" }, endless);
      expect(response.status).toBe(413);
      expect(sent).toBeLessThan(10_000);
      // A gzip bomb is measured decompressed.
      const bomb = gzipSync(Buffer.alloc(1_000_000, 32));
      expect((await post({ authorization: `Bearer ${secret}`, "content-type": "application/json", "content-encoding": "gzip" }, bomb)).status).toBe(413);
    } finally {
      restore();
    }
  });

  it("limits per IP before looking at the key, and per key after", async () => {
    const restore = overrideEnv({ CLEARLOG_API_IP_RATE_PER_SECOND: "1", CLEARLOG_API_IP_RATE_BURST: "2", CLEARLOG_INGEST_RATE_PER_SECOND: "1", CLEARLOG_INGEST_RATE_BURST: "3" });
    try {
      const from = (ip: string, key = secret) => post({ authorization: `Bearer ${key}`, "content-type": "application/json", "x-forwarded-for": ip }, "{}");
      expect((await from("198.51.100.1", "clk_00000000_" + "a".repeat(43))).status).toBe(401);
      expect((await from("198.51.100.1")).status).toBe(200);
      const limited = await from("198.51.100.1");
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await limited.json()).detail).toMatch(/from this network/);
      // Another network has its own allowance, but the key's is shared: 3 in a burst.
      expect((await from("192.0.2.1")).status).toBe(200);
      expect((await from("192.0.2.1")).status).toBe(200);
      const keyLimited = await from("198.18.0.1");
      expect(keyLimited.status).toBe(429);
      expect((await keyLimited.json()).detail).toMatch(/for this API key/);
    } finally {
      restore();
      await flushRefusals();
    }
  });

  it("maps domain errors by code and hides anything else behind a logged 500", async () => {
    const conflict = withApiKey("ingest", async () => {
      throw new SafeError("That set is stale", "conflict", { field: "featureSetId" });
    });
    const crash = withApiKey("ingest", async () => {
      throw new Error("duplicate key value violates unique constraint: (email)=(someone@example.test)");
    });
    const request = () => new Request("http://127.0.0.1/x", { method: "POST", headers: { authorization: `Bearer ${secret}` } });
    const stale = await conflict(request());
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ detail: "That set is stale", field: "featureSetId", code: "conflict" });
    const hidden = await crash(request());
    expect(hidden.status).toBe(500);
    expect(await hidden.text()).not.toContain("someone@example.test");
  });

  it("writes no audit row per refused key: they are counted", async () => {
    const before = await db().auditLog.count();
    for (let i = 0; i < 20; i++) await post({ authorization: `Bearer clk_0000abcd_${"b".repeat(43)}` }, "{}");
    expect(await db().auditLog.count()).toBe(before);
    await flushRefusals();
    const rows = await db().auditLog.findMany({ where: { action: "api_key.authenticate" }, orderBy: { id: "desc" }, take: 1 });
    expect(rows[0]!.metadata).toMatchObject({ reason: "unknown_key", source: "key:clk_0000abcd", count: 20 });
  });
});
