import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { database, db } from "../db/client";
import { ensureLogPartitions } from "../db/partitions";
import { overrideEnv } from "../env";
import { runRetention, type RetentionResult } from "./run";

// runRetention (lib/retention/run.ts) over events inserted directly on days in 2019-2020, with `now`
// fixed at 2020-03-01 and the ingest window at 30 days (so days before 2020-01-31 may be dropped).
// Every test starts with no events, no policies, no requests and no partition before 2021.
const DAY = 86_400_000;
const NOW = new Date("2020-03-01T00:00:00.000Z");
const day = (iso: string, hour = 12) => new Date(`${iso}T${String(hour).padStart(2, "0")}:00:00.000Z`);
const part = (iso: string) => `system_logs_p${iso.replaceAll("-", "")}`;
const H = "a".repeat(64); // has an open access request
const O = "b".repeat(64); // has no request
const E = "e".repeat(64); // has an open erasure request (not a hold)

interface Row {
  id: string;
  at: Date;
  classification: string;
  type?: string;
  subject?: string | null;
  message?: string;
  payload?: unknown;
}

async function insert(rows: Row[]) {
  const { pool } = database();
  for (const r of rows) {
    await ensureLogPartitions(pool, r.at, r.at);
    await pool.query(
      `INSERT INTO system_logs (event_id, occurred_at, type, name, message, classification, subject_pseudonym, session_id, gen_ai_conversation_id, payload)
       VALUES ($1, $2, $3::"EventType", 'retention.test', $4, $5::"Classification", $6, $7, $8, $9::jsonb)`,
      [r.id, r.at, r.type ?? "user_action", r.message ?? "plain text", r.classification, r.subject ?? null, r.subject ? `sess-${r.id}` : null, r.subject ? `conv-${r.id}` : null, JSON.stringify(r.payload ?? {})],
    );
  }
}

function policy(classification: string, keepDays: number, action: "delete" | "anonymize", eventType: string | null = null, enabled = true) {
  return db().retentionPolicy.create({
    data: { name: `${classification} ${eventType ?? "all"} ${keepDays}d`, classification: classification as never, eventType: eventType as never, keepDays, action, enabled },
  });
}

async function partitions(): Promise<string[]> {
  const { rows } = await database().pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'system_logs'::regclass AND c.relname < 'system_logs_p2021' ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}

async function tableExists(name: string): Promise<boolean> {
  const { rows } = await database().pool.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [`"${name}"`]);
  return rows[0]!.t !== null;
}

async function remaining(): Promise<string[]> {
  const { rows } = await database().pool.query<{ event_id: string }>("SELECT event_id FROM system_logs ORDER BY event_id");
  return rows.map((r) => r.event_id);
}

async function snapshot() {
  const { rows } = await database().pool.query("SELECT to_jsonb(l) - 'search_vector' AS r FROM system_logs l ORDER BY occurred_at, event_id");
  return { rows: rows.map((r) => r.r as Record<string, unknown>), partitions: await partitions() };
}

const outcome = (result: RetentionResult, policyId: string) => result.policies.find((p) => p.policyId === policyId);

async function accessRequest(subject: string, type: "access" | "erasure" = "access") {
  return db().privacyRequest.create({ data: { type, status: "received", subjectPseudonym: subject, dueAt: new Date(Date.now() + 30 * DAY) } });
}

let restoreEnv: () => void;
beforeAll(() => {
  restoreEnv = overrideEnv({ CLEARLOG_INGEST_MAX_AGE_DAYS: "30" });
});
afterAll(() => restoreEnv());

beforeEach(async () => {
  const { pool } = database();
  await pool.query("DELETE FROM system_logs");
  await db().retentionPolicy.deleteMany();
  await db().privacyRequest.deleteMany();
  for (const name of await partitions()) await pool.query(`DROP TABLE "${name}"`);
});

describe("runRetention: whole days", () => {
  it("drops days older than every policy and the ingest window as partitions, counting their rows per policy", async () => {
    const restricted = await policy("restricted", 10, "delete");
    const pub = await policy("public", 10, "delete");
    await insert([
      { id: "r1a", at: day("2020-01-01", 1), classification: "restricted", subject: O },
      { id: "r1b", at: day("2020-01-01", 23), classification: "restricted" },
      { id: "p1", at: day("2020-01-01"), classification: "public" },
      { id: "r2", at: day("2020-01-02"), classification: "restricted" },
      { id: "p2a", at: day("2020-01-02", 0), classification: "public" },
      { id: "p2b", at: day("2020-01-02"), classification: "public", type: "error" },
      { id: "r3", at: day("2020-01-03"), classification: "restricted", type: "api_request" },
      { id: "keep", at: day("2020-02-25"), classification: "restricted" },
    ]);
    const auditsBefore = await db().auditLog.count({ where: { action: "retention.run" } });

    const result = await runRetention({ now: NOW });

    expect(result.ranAt).toBe(NOW.toISOString());
    expect(result.partitionsDropped).toEqual([part("2020-01-01"), part("2020-01-02"), part("2020-01-03")]);
    expect(result.rowsInDroppedPartitions).toBe(7);
    expect(outcome(result, restricted.id)).toEqual({ policyId: restricted.id, name: restricted.name, action: "delete", deleted: 4, anonymized: 0, held: 0 });
    expect(outcome(result, pub.id)).toEqual({ policyId: pub.id, name: pub.name, action: "delete", deleted: 3, anonymized: 0, held: 0 });
    expect(result.policies).toHaveLength(2);
    expect(await partitions()).toEqual([part("2020-02-25")]);
    for (const d of ["2020-01-01", "2020-01-02", "2020-01-03"]) expect(await tableExists(part(d)), d).toBe(false);
    expect(await remaining()).toEqual(["keep"]);

    const audits = await db().auditLog.findMany({ where: { action: "retention.run" }, orderBy: { id: "desc" } });
    expect(audits).toHaveLength(auditsBefore + 1);
    expect(audits[0]).toMatchObject({ actorType: "system", actorId: null, resourceType: "retention_policy", outcome: "success", metadata: { deleted: 7, anonymized: 0, held: 0, partitionsDropped: 3 } });
  });

  it("keeps a day holding a row no delete policy covers, and deletes its expired rows one by one", async () => {
    const restricted = await policy("restricted", 10, "delete");
    const confidential = await policy("confidential", 10, "anonymize");
    await insert([
      { id: "r5a", at: day("2020-01-05"), classification: "restricted" },
      { id: "r5b", at: day("2020-01-05"), classification: "restricted" },
      { id: "i5", at: day("2020-01-05"), classification: "internal" }, // no policy for internal
      { id: "r6", at: day("2020-01-06"), classification: "restricted" },
      { id: "c6", at: day("2020-01-06"), classification: "confidential", subject: O }, // anonymized, not deleted
      { id: "r7", at: day("2020-01-07"), classification: "restricted" },
    ]);

    const result = await runRetention({ now: NOW });

    expect(result.partitionsDropped).toEqual([part("2020-01-07")]);
    expect(result.rowsInDroppedPartitions).toBe(1);
    expect(await partitions()).toEqual([part("2020-01-05"), part("2020-01-06")]);
    expect(await remaining()).toEqual(["c6", "i5"]);
    expect(outcome(result, restricted.id)).toMatchObject({ deleted: 4, anonymized: 0, held: 0 });
    expect(outcome(result, confidential.id)).toMatchObject({ deleted: 0, anonymized: 1, held: 0 });
    const { rows } = await database().pool.query("SELECT subject_pseudonym FROM system_logs WHERE event_id = 'c6'");
    expect(rows[0]).toEqual({ subject_pseudonym: null });
  });

  it("never drops a day inside the ingest window, but deletes its expired rows", async () => {
    const restricted = await policy("restricted", 10, "delete");
    // The window starts at 2020-01-31T00:00Z: 01-30 is the last whole day before it.
    await insert([
      { id: "d30a", at: day("2020-01-30", 0), classification: "restricted" },
      { id: "d30b", at: day("2020-01-30", 23), classification: "restricted" },
      { id: "d31a", at: day("2020-01-31", 0), classification: "restricted" },
      { id: "d31b", at: day("2020-01-31", 23), classification: "restricted" },
      { id: "f10", at: day("2020-02-10"), classification: "restricted" },
      { id: "fresh", at: day("2020-02-25"), classification: "restricted" },
    ]);

    const result = await runRetention({ now: NOW });

    expect(result.partitionsDropped).toEqual([part("2020-01-30")]);
    expect(result.rowsInDroppedPartitions).toBe(2);
    expect(outcome(result, restricted.id)).toMatchObject({ deleted: 5 });
    expect(await partitions()).toEqual([part("2020-01-31"), part("2020-02-10"), part("2020-02-25")]);
    expect(await remaining()).toEqual(["fresh"]);
  });
});

describe("runRetention: policies", () => {
  it("lets a type-specific policy take precedence over its classification's general one (shorter)", async () => {
    const general = await policy("internal", 100, "delete");
    const typed = await policy("internal", 5, "delete", "api_request");
    await insert([
      { id: "api-old", at: day("2020-02-20"), classification: "internal", type: "api_request" },
      { id: "api-new", at: day("2020-02-28"), classification: "internal", type: "api_request" },
      { id: "act-feb", at: day("2020-02-20"), classification: "internal" },
      { id: "act-ancient", at: day("2019-11-10"), classification: "internal" },
      { id: "other-api", at: day("2020-02-20"), classification: "public", type: "api_request" },
    ]);

    const result = await runRetention({ now: NOW });

    expect(await remaining()).toEqual(["act-feb", "api-new", "other-api"]);
    expect(outcome(result, typed.id)).toMatchObject({ deleted: 1 });
    expect(outcome(result, general.id)).toMatchObject({ deleted: 1 });
    expect(result.partitionsDropped).toEqual([part("2019-11-10")]);
  });

  it("lets a type-specific policy take precedence over its classification's general one (longer)", async () => {
    const general = await policy("internal", 5, "delete");
    const typed = await policy("internal", 100, "delete", "api_request");
    await insert([
      { id: "api-10d", at: day("2020-02-20"), classification: "internal", type: "api_request" },
      { id: "act-10d", at: day("2020-02-20"), classification: "internal" },
      { id: "err-10d", at: day("2020-02-20"), classification: "internal", type: "error" },
      // outside the ingest window: the api_request row keeps the day
      { id: "api-50d", at: day("2020-01-10"), classification: "internal", type: "api_request" },
      { id: "act-50d", at: day("2020-01-10"), classification: "internal" },
    ]);

    const result = await runRetention({ now: NOW });

    expect(await remaining()).toEqual(["api-10d", "api-50d"]);
    expect(outcome(result, general.id)).toMatchObject({ deleted: 3 });
    expect(outcome(result, typed.id)).toMatchObject({ deleted: 0 });
    expect(result.partitionsDropped).toEqual([]);
    expect(await partitions()).toContain(part("2020-01-10"));
  });

  it("anonymizes the expired rows of an anonymize policy and leaves the others untouched", async () => {
    const confidential = await policy("confidential", 10, "anonymize");
    // A delete policy for another classification: without one, the run fails (see the next test).
    await policy("public", 10, "delete");
    const personal = { message: "mail ada@example.com now", payload: { contact: "bob@example.org", nested: { list: ["carol@example.com", 3] }, plain: "ok" } };
    await insert([
      { id: "c-old-1", at: day("2020-01-10"), classification: "confidential", subject: O, ...personal },
      { id: "c-old-2", at: day("2020-02-15"), classification: "confidential", subject: H, ...personal },
      { id: "c-new", at: day("2020-02-25"), classification: "confidential", subject: O, ...personal },
      { id: "i-old", at: day("2020-01-10"), classification: "internal", subject: O, ...personal },
    ]);
    const untouched = (await snapshot()).rows.filter((r) => r.event_id === "c-new" || r.event_id === "i-old");

    const result = await runRetention({ now: NOW });

    expect(outcome(result, confidential.id)).toEqual({ policyId: confidential.id, name: confidential.name, action: "anonymize", deleted: 0, anonymized: 2, held: 0 });
    expect(result.partitionsDropped).toEqual([]);
    expect(await remaining()).toEqual(["c-new", "c-old-1", "c-old-2", "i-old"]);
    const after = (await snapshot()).rows;
    for (const id of ["c-old-1", "c-old-2"]) {
      expect(after.find((r) => r.event_id === id), id).toMatchObject({
        subject_pseudonym: null,
        session_id: null,
        gen_ai_conversation_id: null,
        message: "mail [EMAIL] now",
        payload: { contact: "[EMAIL]", nested: { list: ["[EMAIL]", 3] }, plain: "ok" },
        classification: "confidential",
        name: "retention.test",
      });
    }
    expect(after.filter((r) => r.event_id === "c-new" || r.event_id === "i-old")).toEqual(untouched);
    expect(untouched[0]).toMatchObject({ subject_pseudonym: O, message: "mail ada@example.com now" });
  });
});

describe("runRetention: no delete policy", () => {
  // Library bug (lib/retention/run.ts, deletableCondition): with no enabled delete policy its WHERE
  // is the constant "false" but it still passes the held list as a parameter, so the query over
  // each day outside the ingest window fails with "bind message supplies 1 parameters, but prepared
  // statement "" requires 0". The module promises a run that anonymizes what an anonymize policy
  // covers; this test fails until that is fixed.
  it("anonymizes with only an anonymize policy enabled when a day lies outside the ingest window", async () => {
    const confidential = await policy("confidential", 10, "anonymize");
    await insert([{ id: "c-old", at: day("2020-01-10"), classification: "confidential", subject: O, message: "to ada@example.com" }]);

    const result = await runRetention({ now: NOW });

    expect(result.partitionsDropped).toEqual([]);
    expect(outcome(result, confidential.id)).toMatchObject({ anonymized: 1 });
    expect(await remaining()).toEqual(["c-old"]);
  });
});

describe("runRetention: holds", () => {
  it("keeps everything of a person with an open access request, and lets it go once the request is closed", async () => {
    const restricted = await policy("restricted", 10, "delete");
    const confidential = await policy("confidential", 10, "anonymize");
    const request = await accessRequest(H);
    await accessRequest(E, "erasure");
    await insert([
      { id: "h1", at: day("2020-01-08"), classification: "restricted", subject: H },
      { id: "h2", at: day("2020-01-08"), classification: "restricted", subject: H },
      { id: "o1", at: day("2020-01-08"), classification: "restricted", subject: O },
      { id: "n1", at: day("2020-01-08"), classification: "restricted" },
      { id: "e1", at: day("2020-01-08"), classification: "restricted", subject: E },
      { id: "h3", at: day("2020-02-15"), classification: "restricted", subject: H },
      { id: "o2", at: day("2020-02-15"), classification: "restricted", subject: O },
      { id: "hc", at: day("2020-02-15"), classification: "confidential", subject: H },
      { id: "oc", at: day("2020-02-15"), classification: "confidential", subject: O },
    ]);

    const first = await runRetention({ now: NOW });

    expect(first.partitionsDropped).toEqual([]);
    expect(await partitions()).toEqual([part("2020-01-08"), part("2020-02-15")]);
    expect(await remaining()).toEqual(["h1", "h2", "h3", "hc", "oc"]);
    expect(outcome(first, restricted.id)).toMatchObject({ deleted: 4, held: 3 });
    expect(outcome(first, confidential.id)).toMatchObject({ anonymized: 1, held: 1 });
    const { rows } = await database().pool.query("SELECT event_id, subject_pseudonym FROM system_logs WHERE classification = 'confidential' ORDER BY event_id");
    expect(rows).toEqual([
      { event_id: "hc", subject_pseudonym: H },
      { event_id: "oc", subject_pseudonym: null },
    ]);
    const audit = await db().auditLog.findFirst({ where: { action: "retention.run" }, orderBy: { id: "desc" } });
    expect(audit?.metadata).toEqual({ deleted: 4, anonymized: 1, held: 4, partitionsDropped: 0 });

    await db().privacyRequest.update({ where: { id: request.id }, data: { status: "completed", completedAt: new Date() } });
    const second = await runRetention({ now: NOW });

    expect(second.partitionsDropped).toEqual([part("2020-01-08")]);
    expect(second.rowsInDroppedPartitions).toBe(2);
    expect(outcome(second, restricted.id)).toMatchObject({ deleted: 3, held: 0 });
    expect(outcome(second, confidential.id)).toMatchObject({ anonymized: 1, held: 0 });
    expect(await remaining()).toEqual(["hc", "oc"]);
  });
});

describe("runRetention: repeat runs and bookkeeping", () => {
  it("changes nothing on a second run, sets lastRunAt of enabled policies, and ignores disabled ones", async () => {
    const restricted = await policy("restricted", 10, "delete");
    const confidential = await policy("confidential", 10, "anonymize");
    const typed = await policy("internal", 5, "delete", "api_request");
    const disabled = await policy("internal", 1, "delete", null, false);
    await accessRequest(H);
    await insert([
      { id: "r-ancient", at: day("2020-01-02"), classification: "restricted" },
      { id: "r-held", at: day("2020-01-03"), classification: "restricted", subject: H },
      { id: "r-window", at: day("2020-02-10"), classification: "restricted", subject: O },
      { id: "c-old", at: day("2020-01-03"), classification: "confidential", subject: O, message: "to ada@example.com" },
      { id: "i-api", at: day("2020-02-10"), classification: "internal", type: "api_request" },
      { id: "i-act", at: day("2020-01-02"), classification: "internal" },
      { id: "fresh", at: day("2020-02-29"), classification: "restricted", subject: O },
    ]);
    const steps: [number, number | undefined, string | undefined][] = [];
    const actor = { type: "user" as const, id: randomUUID(), role: "admin" as const };

    const first = await runRetention({ now: NOW, actor, progress: async (n, total, stage) => void steps.push([n, total, stage]) });

    // i-act (no enabled policy) keeps its day; the disabled policy changes nothing.
    expect(first.partitionsDropped).toEqual([]);
    expect(await remaining()).toEqual(["c-old", "fresh", "i-act", "r-held"]);
    expect(first.policies.map((p) => p.policyId).sort()).toEqual([restricted.id, confidential.id, typed.id].sort());
    expect(steps[0]).toEqual([0, 4, "expired days"]);
    expect(steps.at(-1)).toEqual([4, 4, "done"]);
    expect(steps).toHaveLength(5);
    const audit = await db().auditLog.findFirst({ where: { action: "retention.run" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ actorType: "user", actorId: actor.id, actorRole: "admin" });

    const policies = await db().retentionPolicy.findMany();
    for (const p of policies) expect(p.lastRunAt, p.name).toEqual(p.id === disabled.id ? null : NOW);

    const before = await snapshot();
    const second = await runRetention({ now: NOW });
    expect(await snapshot()).toEqual(before);
    expect(second.partitionsDropped).toEqual([]);
    expect(second.rowsInDroppedPartitions).toBe(0);
    for (const o of second.policies) expect(o, o.name).toMatchObject({ deleted: 0, anonymized: 0, held: o.policyId === restricted.id ? 1 : 0 });
  });
});
