import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { database, db } from "../db/client";
import { ingestEvents } from "../ingest/ingest";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { pseudonymFor } from "../privacy/pseudonym";
import { createConsentClient } from "../sdk/consent";

// The consent API and the SDK's consent client, over real HTTP against the real route handlers.
let server: IngestTestServer;
let consentKey: string;
let ingestKey: string;

beforeAll(async () => {
  consentKey = (await createApiKey({ name: "consent", scopes: ["consent"] }, { type: "cli" })).secret;
  ingestKey = (await createApiKey({ name: "ingest only", scopes: ["ingest"] }, { type: "cli" })).secret;
  server = await startIngestServer();
});

afterAll(async () => {
  await server.stop();
});

const call = (method: "POST" | "PUT", body: unknown, key = consentKey) =>
  fetch(`${server.url}/api/v1/consent`, { method, headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("consent API", () => {
  it("reads defaults, records changes with method api, and reads them back", async () => {
    const before = await (await call("POST", { subject: "app-user-1" })).json();
    expect(before.purposes.analytics).toEqual({ granted: false, method: "default", updatedAt: null });
    expect(before.purposes.essential.granted).toBe(true);
    expect(await db().subject.count({ where: { externalId: "app-user-1" } })).toBe(0); // reading creates nothing

    const updated = await call("PUT", { subject: "app-user-1", purposes: { analytics: true, marketing: false } });
    expect(updated.status).toBe(200);
    const body = await updated.json();
    expect(body.purposes.analytics).toMatchObject({ granted: true, method: "api" });
    expect(body.purposes.marketing).toMatchObject({ granted: false, method: "api" });
    const history = await db().consentHistory.findMany({ where: { subjectPseudonym: pseudonymFor("app-user-1") } });
    expect(history.map((h) => [h.purpose, h.granted, h.method]).sort()).toEqual([["analytics", true, "api"], ["marketing", false, "api"]]);
    expect(await db().subject.count({ where: { externalId: "app-user-1" } })).toBe(1);
    const audit = await database().pool.query("SELECT a::text AS t FROM audit_log a WHERE action = 'consent.update' AND actor_type = 'api_key'");
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].t).not.toContain("app-user-1");
  });

  it("refuses bad input with a 400 naming the problem, and a key without the consent scope with 403", async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /subject/],
      [{ subject: "" }, /subject/],
      [{ subject: "u", purposes: { analytics: "yes" } }, /purposes/],
      [{ subject: "u", purposes: { nope: true } }, /Unknown purpose "nope"/],
      [{ subject: "u", purposes: { essential: false } }, /Essential processing cannot be withdrawn/],
    ];
    for (const [body, message] of cases) {
      const response = await call("PUT", body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json()).error).toMatch(message);
    }
    // A refused change writes nothing: no consent, no subject link, no success audit row.
    expect(await db().consentSetting.count({ where: { subjectPseudonym: pseudonymFor("u") } })).toBe(0);
    expect(await db().subject.count({ where: { externalId: "u" } })).toBe(0);
    expect(await db().auditLog.count({ where: { action: "consent.update", outcome: "success" } })).toBe(1);
    const forbidden = await call("PUT", { subject: "u", purposes: { analytics: true } }, ingestKey);
    expect(forbidden.status).toBe(403);
  });

  it("a withdrawal through the API unlinks the subject's next event", async () => {
    await call("PUT", { subject: "app-user-2", purposes: { analytics: true } });
    const event = (id: string) => ({ id, type: "user_action", timestamp: new Date().toISOString(), subject: "app-user-2", action: "open" });
    await ingestEvents([event("c-linked")], { apiKeyId: null, ip: null, userAgent: null });
    await call("PUT", { subject: "app-user-2", purposes: { analytics: false } });
    await ingestEvents([event("c-unlinked")], { apiKeyId: null, ip: null, userAgent: null });
    const { rows } = await database().pool.query<{ event_id: string; subject_pseudonym: string | null }>(
      "SELECT event_id, subject_pseudonym FROM system_logs WHERE event_id IN ('c-linked', 'c-unlinked') ORDER BY event_id",
    );
    expect(rows).toEqual([
      { event_id: "c-linked", subject_pseudonym: pseudonymFor("app-user-2") },
      { event_id: "c-unlinked", subject_pseudonym: null },
    ]);
  });
});

describe("SDK consent client", () => {
  it("checks consent before tracking, and says no when in doubt", async () => {
    const client = createConsentClient({ endpoint: server.url, apiKey: consentKey, cacheMs: 0 });
    expect(await client.hasConsent("app-user-3", "analytics")).toBe(false);
    await client.setConsent("app-user-3", { analytics: true });
    expect(await client.hasConsent("app-user-3", "analytics")).toBe(true);
    expect((await client.getConsent("app-user-3")).analytics?.method).toBe("api");
    const offline = createConsentClient({ endpoint: "http://127.0.0.1:9", apiKey: consentKey });
    expect(await offline.hasConsent("app-user-3", "analytics")).toBe(false);
    await expect(createConsentClient({ endpoint: server.url, apiKey: ingestKey }).getConsent("x")).rejects.toThrow(/403/);
  });
});
