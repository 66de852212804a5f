import { afterEach, describe, expect, it } from "vitest";
import { database } from "../db/client";
import { ensureLogPartitions } from "../db/partitions";
import { anonymizeEvents } from "./anonymize";

// anonymizeEvents over system_logs rows inserted directly. Every test starts from an empty table,
// since a run covers every row before its cut-off.
const HOUR = 3_600_000;
const PSEUDONYM = "f".repeat(64);

interface Row {
  id: string;
  at: Date;
  type?: string;
  classification?: string;
  message?: string | null;
  payload?: unknown;
  subject?: string | null;
  session?: string | null;
  conversation?: string | null;
}

async function insert(rows: Row[]) {
  const { pool } = database();
  const times = rows.map((r) => r.at.getTime());
  await ensureLogPartitions(pool, new Date(Math.min(...times)), new Date(Math.max(...times)));
  for (const r of rows) {
    await pool.query(
      `INSERT INTO system_logs (event_id, occurred_at, type, name, message, classification, subject_pseudonym, session_id, gen_ai_conversation_id, payload)
       VALUES ($1, $2, $3::"EventType", 'anon.test', $4, $5::"Classification", $6, $7, $8, $9::jsonb)`,
      [
        r.id,
        r.at,
        r.type ?? "user_action",
        r.message === undefined ? "mail ada@example.com" : r.message,
        r.classification ?? "confidential",
        r.subject === undefined ? PSEUDONYM : r.subject,
        r.session === undefined ? `sess-${r.id}` : r.session,
        r.conversation === undefined ? null : r.conversation,
        JSON.stringify(r.payload ?? { attributes: { contact: "bob@example.org", password: "pw-123456", n: 7, ok: true } }),
      ],
    );
  }
}

async function read(id: string) {
  const { rows } = await database().pool.query(
    `SELECT event_id, occurred_at, received_at, type, name, message, classification, subject_pseudonym, session_id, gen_ai_conversation_id, payload
       FROM system_logs WHERE event_id = $1`,
    [id],
  );
  expect(rows).toHaveLength(1);
  return rows[0] as Record<string, unknown>;
}

const anonymized = (row: Record<string, unknown>) => row.subject_pseudonym === null && row.session_id === null && row.gen_ai_conversation_id === null;

afterEach(async () => {
  await database().pool.query("DELETE FROM system_logs");
});

describe("anonymizeEvents", () => {
  it("unlinks and redacts the rows before the cut-off, leaves later ones untouched, and changes nothing on a second run", async () => {
    const cutoff = new Date(Date.now() - 10 * 24 * HOUR);
    await insert([
      { id: "old-1", at: new Date(cutoff.getTime() - 5 * HOUR), conversation: "conv-1" },
      { id: "old-2", at: new Date(cutoff.getTime() - 4 * HOUR), subject: null, message: "from 203.0.113.9 call +44 20 7946 0958" },
      { id: "old-3", at: new Date(cutoff.getTime() - 3 * HOUR), subject: null, session: null, conversation: "conv-3", message: null, payload: { list: ["carol@example.com", 3] } },
      { id: "old-4", at: new Date(cutoff.getTime() - 1), type: "error", classification: "internal" },
      { id: "edge", at: cutoff },
      { id: "new-1", at: new Date(cutoff.getTime() + HOUR), conversation: "conv-new" },
      { id: "new-2", at: new Date(cutoff.getTime() + 2 * HOUR), message: "reach me at dave@example.io" },
    ]);
    const untouched = await Promise.all(["edge", "new-1", "new-2"].map(read));
    const before = await read("old-1");

    const progress: number[] = [];
    expect(await anonymizeEvents(database().pool, { before: cutoff }, 2000, (n) => progress.push(n))).toBe(4);
    expect(progress).toEqual([4]);

    const old1 = await read("old-1");
    expect(old1).toMatchObject({ subject_pseudonym: null, session_id: null, gen_ai_conversation_id: null, message: "mail [EMAIL]" });
    expect(old1.payload).toEqual({ attributes: { contact: "[EMAIL]", password: "[REDACTED]", n: 7, ok: true } });
    // What is not personal stays as it was.
    for (const column of ["event_id", "occurred_at", "received_at", "type", "name", "classification"]) expect(old1[column]).toEqual(before[column]);

    const old2 = await read("old-2");
    expect(old2).toMatchObject({ session_id: null, message: "from [IP] call [PHONE]" });
    const old3 = await read("old-3");
    expect(old3).toMatchObject({ gen_ai_conversation_id: null, message: null, payload: { list: ["[EMAIL]", 3] } });
    const old4 = await read("old-4");
    expect(old4).toMatchObject({ subject_pseudonym: null, session_id: null, type: "error", classification: "internal", message: "mail [EMAIL]" });

    expect(await Promise.all(["edge", "new-1", "new-2"].map(read))).toEqual(untouched);
    expect(untouched[1]).toMatchObject({ subject_pseudonym: PSEUDONYM, gen_ai_conversation_id: "conv-new" });
    expect(untouched[2]?.message).toBe("reach me at dave@example.io");

    expect(await anonymizeEvents(database().pool, { before: cutoff })).toBe(0);
    expect(await read("old-1")).toEqual(old1);
  });

  it("scrubs the person's user id (from the subject link), session and keyed tokens from the text it keeps", async () => {
    const external = `anon-user-${Date.now()}`;
    const pseudonym = "e".repeat(64);
    await database().pool.query("INSERT INTO subjects (id, external_id, pseudonym) VALUES (gen_random_uuid(), $1, $2) ON CONFLICT DO NOTHING", [external, pseudonym]);
    const at = new Date(Date.now() - 20 * 24 * HOUR);
    await insert([{ id: "named", at, subject: pseudonym, session: "sess-named", message: `${external} in sess-named sent [EMAIL:3f2a9c0d1b4e]`, payload: { who: external } }]);
    expect(await anonymizeEvents(database().pool, { before: new Date(at.getTime() + HOUR) })).toBe(1);
    const row = await read("named");
    expect(row).toMatchObject({ message: "[SUBJECT] in [SESSION] sent [EMAIL]", payload: { who: "[SUBJECT]" }, subject_pseudonym: null, session_id: null });
    expect(JSON.stringify(row)).not.toContain(external);
    await database().pool.query("DELETE FROM subjects WHERE pseudonym = $1", [pseudonym]);
  });

  it("skips rows that have no link left, even if their text was never redacted", async () => {
    const cutoff = new Date(Date.now() - 9 * 24 * HOUR);
    await insert([{ id: "unlinked", at: new Date(cutoff.getTime() - HOUR), subject: null, session: null, conversation: null }]);
    const before = await read("unlinked");
    expect(await anonymizeEvents(database().pool, { before: cutoff })).toBe(0);
    expect(await read("unlinked")).toEqual(before);
  });

  it("honours the classification and type filters", async () => {
    const cutoff = new Date(Date.now() - 8 * 24 * HOUR);
    const at = new Date(cutoff.getTime() - 2 * HOUR);
    await insert([
      { id: "conf-action", at, classification: "confidential", type: "user_action" },
      { id: "conf-error", at, classification: "confidential", type: "error" },
      { id: "int-action", at, classification: "internal", type: "user_action" },
      { id: "restricted-ai", at, classification: "restricted", type: "ai_interaction", conversation: "conv-r" },
    ]);
    const linked = async () => {
      const { rows } = await database().pool.query<{ event_id: string }>("SELECT event_id FROM system_logs WHERE subject_pseudonym IS NOT NULL ORDER BY event_id");
      return rows.map((r) => r.event_id);
    };
    const { pool } = database();

    expect(await anonymizeEvents(pool, { before: cutoff, classification: "confidential", type: "user_action" })).toBe(1);
    expect(await linked()).toEqual(["conf-error", "int-action", "restricted-ai"]);
    expect(anonymized(await read("conf-action"))).toBe(true);

    expect(await anonymizeEvents(pool, { before: cutoff, classification: "confidential" })).toBe(1);
    expect(await linked()).toEqual(["int-action", "restricted-ai"]);
    expect((await read("conf-error")).message).toBe("mail [EMAIL]");

    expect(await anonymizeEvents(pool, { before: cutoff, type: "user_action" })).toBe(1);
    expect(await linked()).toEqual(["restricted-ai"]);
    expect(await read("restricted-ai")).toMatchObject({ gen_ai_conversation_id: "conv-r", message: "mail ada@example.com" });

    expect(await anonymizeEvents(pool, { before: cutoff, type: "ai_interaction" })).toBe(1);
    expect(await linked()).toEqual([]);
    expect(await read("restricted-ai")).toMatchObject({ gen_ai_conversation_id: null, message: "mail [EMAIL]" });
  });

  it("works through more rows than one batch, ties on the timestamp included", async () => {
    const cutoff = new Date(Date.now() - 7 * 24 * HOUR);
    // Ten rows on four distinct instants, so batches of three split rows that share a timestamp.
    const rows: Row[] = Array.from({ length: 10 }, (_, i) => ({
      id: `batch-${String(i).padStart(2, "0")}`,
      at: new Date(cutoff.getTime() - HOUR + Math.floor(i / 3) * 1000),
      message: `row ${i} for erin${i}@example.com`,
    }));
    await insert([...rows].reverse());
    const batches: number[] = [];
    expect(await anonymizeEvents(database().pool, { before: cutoff }, 3, (n) => batches.push(n))).toBe(10);
    expect(batches).toEqual([3, 6, 9, 10]);
    for (const [i, r] of rows.entries()) {
      const row = await read(r.id);
      expect(anonymized(row)).toBe(true);
      expect(row.message).toBe(`row ${i} for [EMAIL]`);
    }
    expect(await anonymizeEvents(database().pool, { before: cutoff }, 3)).toBe(0);
  });
});
