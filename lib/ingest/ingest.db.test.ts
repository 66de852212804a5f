import { beforeEach, describe, expect, it } from "vitest";
import { invalidateRuleCache } from "../classify/rule-cache";
import { database, db } from "../db/client";
import { pseudonymFor } from "../privacy/pseudonym";
import type { WireEvent } from "@clearlog/sdk";
import { ingestEvents } from "./ingest";
import { flushSessions } from "./session-tracker";
import { recordConsent } from "../consent/consent";

/** Sessions are written behind the events (lib/ingest/session-tracker.ts): flush, then read. */
async function sessionAfterFlush(sessionKey: string) {
  await flushSessions();
  return db().loggingSession.findUnique({ where: { sessionKey } });
}

const ctx = { apiKeyId: null, ip: "203.0.113.77", userAgent: "test-agent/1.0" };
let seq = 0;
const id = () => `evt-${Date.now().toString(36)}-${seq++}`;
const now = () => new Date().toISOString();

async function rowText(eventId: string): Promise<string> {
  const { rows } = await database().pool.query<{ t: string }>("SELECT s::text AS t FROM system_logs s WHERE event_id = $1", [eventId]);
  return rows.map((r) => r.t).join("\n");
}

async function row(eventId: string) {
  const { rows } = await database().pool.query("SELECT * FROM system_logs WHERE event_id = $1", [eventId]);
  return rows[0];
}

beforeEach(() => invalidateRuleCache());

describe("ingestEvents", () => {
  it("stores each type with typed columns, a pseudonym instead of the subject, and a session", async () => {
    await recordConsent(pseudonymFor("app-user-42"), [{ purpose: "analytics", granted: true }], { method: "api" });
    const session = `sess-${id()}`;
    const events: WireEvent[] = [
      { id: id(), type: "user_action", timestamp: now(), subject: "app-user-42", sessionId: session, action: "click_export", component: "reports", attributes: { page: "/reports" } },
      { id: id(), type: "ai_interaction", timestamp: now(), subject: "app-user-42", sessionId: session, ai: { provider: "openai", model: "gpt-4o-mini", prompt: "Summarise", response: "Done", tokens: 120, latencyMs: 850, costUsd: 0.0012, conversationId: "conv-1" } },
      { id: id(), type: "api_request", timestamp: now(), sessionId: session, http: { method: "post", route: "/api/projects", status: 503, durationMs: 41, requestSize: 10, responseSize: 20 } },
      { id: id(), type: "error", timestamp: now(), component: "billing", error: { name: "TypeError", message: "x is undefined", stack: "TypeError: x is undefined\n    at charge (/srv/app/billing.js:10:5)" } },
      { id: id(), type: "system", timestamp: now(), name: "deploy.completed", message: "web@1.2.3" },
    ];
    const result = await ingestEvents(events, ctx);
    expect(result).toMatchObject({ accepted: 5, duplicates: 0, dropped: 0, rejected: 0 });

    const ai = await row(events[1]!.id);
    expect(ai).toMatchObject({ type: "ai_interaction", gen_ai_provider_name: "openai", gen_ai_request_model: "gpt-4o-mini", gen_ai_operation_name: "chat", gen_ai_usage_output_tokens: 120, gen_ai_latency_ms: 850, gen_ai_conversation_id: "conv-1" });
    expect(ai.subject_pseudonym).toBe(pseudonymFor("app-user-42"));
    expect(await rowText(events[1]!.id)).not.toContain("app-user-42");
    const subject = await db().subject.findUnique({ where: { pseudonym: pseudonymFor("app-user-42") } });
    expect(subject?.externalId).toBe("app-user-42");

    const api = await row(events[2]!.id);
    expect(api).toMatchObject({ http_request_method: "POST", http_route: "/api/projects", http_response_status_code: 503, severity: "error", name: "POST /api/projects" });
    const error = await row(events[3]!.id);
    expect(error.error_type).toBe("TypeError");
    expect(error.error_fingerprint).toMatch(/^[0-9a-f]{16}$/);

    const s = await sessionAfterFlush(session);
    expect(s).toMatchObject({ eventCount: 3, subjectPseudonym: pseudonymFor("app-user-42"), ipPrefix: "203.0.113.0/24", userAgent: "test-agent/1.0" });
  });

  it("is idempotent: a resent batch, or a duplicate inside one, stores nothing twice", async () => {
    const session = `sess-${id()}`;
    const e: WireEvent = { id: id(), type: "user_action", timestamp: now(), sessionId: session, action: "open" };
    const first = await ingestEvents([e, e], ctx);
    expect(first.results.map((r) => r.status)).toEqual(["accepted", "duplicate"]);
    const again = await ingestEvents([e], ctx);
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });
    const { rows } = await database().pool.query("SELECT count(*)::int AS n FROM system_logs WHERE event_id = $1", [e.id]);
    expect(rows[0].n).toBe(1);
    expect((await sessionAfterFlush(session))?.eventCount).toBe(1);
  });

  it("redacts and hashes by the rules and never stores a secret", async () => {
    const e: WireEvent = {
      id: id(),
      type: "user_action",
      timestamp: now(),
      action: "update_profile",
      message: "mail ada@example.com or call +44 20 7946 0958",
      attributes: { password: "hunter2hunter2", note: "key AKIAIOSFODNN7EXAMPLE card 4111 1111 1111 1111", nested: { apiToken: "abc123" } },
    };
    await ingestEvents([e], ctx);
    const stored = await row(e.id);
    const text = await rowText(e.id);
    for (const secret of ["ada@example.com", "7946 0958", "hunter2hunter2", "AKIAIOSFODNN7EXAMPLE", "4111 1111 1111 1111", "abc123"]) expect(text).not.toContain(secret);
    expect(stored.message).toMatch(/^mail \[EMAIL:[0-9a-f]{12}\] or call \[PHONE\]$/);
    expect(stored.classification).toBe("restricted");
    expect(stored.categories).toEqual(expect.arrayContaining(["user.contact.email", "user.contact.phone", "user.financial.card", "system.credentials"]));
    expect(stored.payload.attributes.password).toBeUndefined();
    expect(stored.payload.attributes.note).toContain("[API_KEY]");
    expect(stored.payload.attributes.note).toContain("[CARD]");
  });

  it("renames an attribute key that is itself a credential", async () => {
    const e: WireEvent = { id: id(), type: "system", timestamp: now(), name: "cfg", attributes: { AKIAIOSFODNN7EXAMPLE: { region: "eu" } } };
    await ingestEvents([e], ctx);
    expect(await rowText(e.id)).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect((await row(e.id)).payload.attributes).toEqual({ "[REDACTED_KEY]": { region: "eu" } });
    expect((await row(e.id)).classification).toBe("restricted");
  });

  it("keeps equal values joinable through the keyed hash", async () => {
    const a: WireEvent = { id: id(), type: "system", timestamp: now(), name: "invite", message: "sent to bob@example.org" };
    const b: WireEvent = { id: id(), type: "system", timestamp: now(), name: "invite", message: "resent to bob@example.org" };
    await ingestEvents([a, b], ctx);
    const token = /\[EMAIL:[0-9a-f]{12}\]/;
    expect((await row(a.id)).message.match(token)[0]).toBe((await row(b.id)).message.match(token)[0]);
  });

  it("drops an event a rule says to drop, and reports it", async () => {
    const e: WireEvent = { id: id(), type: "api_request", timestamp: now(), http: { method: "GET", route: "/healthz", status: 200 } };
    const result = await ingestEvents([e], ctx);
    expect(result.results[0]).toEqual({ id: e.id, status: "dropped", reason: 'rule "Health checks"' });
    expect(await row(e.id)).toBeUndefined();
  });

  it("rejects bad events with the field and the reason, stores the good ones, nothing of the bad", async () => {
    const good: WireEvent = { id: id(), type: "system", timestamp: now(), name: "ok" };
    const bad = [
      { id: id(), type: "telemetry", timestamp: now(), name: "x" },
      { id: id(), type: "system", timestamp: "yesterday", name: "x" },
      { id: id(), type: "system", timestamp: "1999-01-01T00:00:00Z", name: "x" },
      { id: id(), type: "ai_interaction", timestamp: now() },
      { id: id(), type: "api_request", timestamp: now(), http: { method: "GET", route: "/", status: "200" } },
      { type: "system", timestamp: now(), name: "no id" },
      "not an object",
      { id: id(), type: "system", timestamp: "2026-11-31T10:00:00Z", name: "no such day" },
      { id: id(), type: "system", timestamp: "2026-11-27T10:00:00", name: "no time zone" },
      { id: "AKIAIOSFODNN7EXAMPLE", type: "system", timestamp: now(), name: "a key as an id" },
    ];
    const result = await ingestEvents([good, ...bad], ctx);
    expect(result).toMatchObject({ accepted: 1, rejected: bad.length });
    const fields = result.results.slice(1).map((r) => (r.status === "rejected" ? r.field : r.status));
    expect(fields).toEqual([
      "events[1].type",
      "events[2].timestamp",
      "events[3].timestamp",
      "events[4].ai",
      "events[5].http.status",
      "events[6].id",
      "events[7]",
      "events[8].timestamp",
      "events[9].timestamp",
      "events[10].id",
    ]);
    for (const r of result.results.slice(1)) if (r.status === "rejected") expect(r.reason.length).toBeGreaterThan(5);
    const { rows } = await database().pool.query("SELECT count(*)::int AS n FROM system_logs WHERE event_id = ANY($1)", [bad.map((b) => (b as { id?: string }).id ?? "")]);
    expect(rows[0].n).toBe(0);
  });

  it("creates the partition for a back-dated day it has not seen", async () => {
    const old = new Date(Date.now() - 20 * 86_400_000);
    old.setUTCHours(12);
    const e: WireEvent = { id: id(), type: "system", timestamp: old.toISOString(), name: "late" };
    await database().pool.query(`DROP TABLE IF EXISTS system_logs_p${old.toISOString().slice(0, 10).replaceAll("-", "")}`);
    const result = await ingestEvents([e], ctx);
    expect(result.accepted).toBe(1);
  });

  it("applies a rule change at the next batch once the cache expires", async () => {
    const before: WireEvent = { id: id(), type: "system", timestamp: now(), name: "note", message: "ticket ZX-99812" };
    await ingestEvents([before], ctx);
    expect((await row(before.id)).message).toBe("ticket ZX-99812");
    await db().classificationRule.create({ data: { name: "Ticket ids", priority: 5, matchRegex: "ZX-\\d+", level: "internal", categories: ["business.ticket"], action: "redact" } });
    invalidateRuleCache();
    const after: WireEvent = { id: id(), type: "system", timestamp: now(), name: "note", message: "ticket ZX-99812" };
    await ingestEvents([after], ctx);
    expect((await row(after.id)).message).toBe("ticket [REDACTED]");
  });
});
