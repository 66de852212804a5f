import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { loadIntakeRefusals } from "../dashboard/intake";
import { rangeWindow } from "../dashboard/range";
import { database } from "../db/client";
import { overrideEnv } from "../env";
import { deleteOldIntakeRefusals } from "./intake-refusals";
import type { BatchResponse } from "@clearlog/sdk";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";

// Nothing lost silently (docs/ingestion.md): a clock running ahead gets its event stored at the
// receipt time and flagged, once however often it is sent; what is refused is counted per key and
// reason and shown to admins (dashboard) and to the application (GET /api/v1/whoami).
let server: IngestTestServer;
let key: { secret: string; prefix: string; name: string };
let seq = 0;
const uid = () => `policy-${Date.now().toString(36)}-${seq++}`;

beforeAll(async () => {
  const created = await createApiKey({ name: "Clock skew app", scopes: ["ingest"] }, { type: "cli" });
  key = { secret: created.secret, prefix: created.prefix, name: created.name };
  server = await startIngestServer();
});
afterAll(async () => server?.stop());

async function post(events: unknown[]): Promise<{ status: number; json: BatchResponse }> {
  const res = await fetch(`${server.url}/api/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
    body: JSON.stringify({ events }),
  });
  return { status: res.status, json: (await res.json()) as BatchResponse };
}

const rowsOf = async (id: string) => (await database().pool.query("SELECT occurred_at, received_at, payload FROM system_logs WHERE event_id = $1", [id])).rows;

describe("timestamps ahead of the server's clock", () => {
  it("are clamped to the receipt time and flagged, and a retry of the same event stores nothing twice", async () => {
    const id = uid();
    const sent = new Date(Date.now() + 3_600_000).toISOString();
    const before = Date.now();
    const first = await post([{ id, type: "system", name: "clock.ahead", timestamp: sent }]);
    const after = Date.now();
    expect([first.status, first.json.accepted]).toEqual([200, 1]);
    const [row] = await rowsOf(id);
    expect(row.occurred_at.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(row.occurred_at.getTime()).toBeLessThanOrEqual(after);
    expect(row.payload.intake).toEqual({ clamped: "clock_ahead", client_timestamp: sent });

    const again = await post([{ id, type: "system", name: "clock.ahead", timestamp: sent }]);
    expect([again.status, again.json.duplicates, again.json.accepted]).toEqual([200, 1, 0]);
    expect(await rowsOf(id)).toHaveLength(1);

    const years = await post([{ id: uid(), type: "system", name: "clock.far", timestamp: "2999-01-01T00:00:00Z" }]);
    expect(years.json.accepted).toBe(1);
  });

  it("within the 5-minute tolerance are kept as sent, unflagged", async () => {
    const id = uid();
    const sent = new Date(Date.now() + 120_000).toISOString();
    expect((await post([{ id, type: "system", name: "clock.close", timestamp: sent }])).json.accepted).toBe(1);
    const [row] = await rowsOf(id);
    expect(row.occurred_at.toISOString()).toBe(sent);
    expect(row.payload.intake).toBeUndefined();
  });
});

describe("refusals at intake", () => {
  it("are counted per key and reason, for the dashboard and GET /api/v1/whoami", async () => {
    const old = await post([
      { id: uid(), type: "system", name: "ok", timestamp: new Date().toISOString() },
      { id: uid(), type: "system", name: "old", timestamp: "2020-01-01T00:00:00Z" },
      { id: uid(), type: "system", timestamp: new Date().toISOString() },
    ]);
    expect([old.status, old.json.rejected]).toEqual([207, 2]);
    const restore = overrideEnv({ CLEARLOG_INGEST_MAX_EVENTS: "2" });
    try {
      const many = Array.from({ length: 3 }, () => ({ id: uid(), type: "system", name: "many", timestamp: new Date().toISOString() }));
      expect((await post(many)).status).toBe(413);
    } finally {
      restore();
    }

    const whoami = await (await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${key.secret}` } })).json();
    expect(whoami).toMatchObject({ key: key.prefix, intake: { refusedRecords: 5, refusedRequests: 1 } });
    const byReason = Object.fromEntries(whoami.intake.byReason.map((r: { reason: string; records: number; requests: number }) => [r.reason, [r.records, r.requests]]));
    expect(byReason).toEqual({ too_old: [1, 0], invalid: [1, 0], batch_too_large: [3, 1] });
    expect(Date.parse(whoami.intake.since)).toBeLessThan(Date.now() - 23 * 3_600_000);

    const rows = await loadIntakeRefusals(rangeWindow("24h"));
    expect(rows.filter((r) => r.keyPrefix === key.prefix)).toEqual([
      expect.objectContaining({ keyName: "Clock skew app", reason: "batch_too_large", records: 3, requests: 1 }),
      expect.objectContaining({ reason: "invalid", records: 1, requests: 0 }),
      expect.objectContaining({ reason: "too_old", records: 1, requests: 0 }),
    ]);
    expect(await loadIntakeRefusals(rangeWindow("24h", new Date(Date.now() + 3 * 86_400_000)))).toEqual([]);

    // kept 90 days, then deleted by the hourly upkeep
    expect(await deleteOldIntakeRefusals(new Date(Date.now() + 89 * 86_400_000))).toBe(0);
    expect(await deleteOldIntakeRefusals(new Date(Date.now() + 91 * 86_400_000))).toBeGreaterThanOrEqual(3);
    expect(await loadIntakeRefusals(rangeWindow("24h"))).toEqual([]);
  });
});
