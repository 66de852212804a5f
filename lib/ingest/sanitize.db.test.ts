import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invalidateRuleCache } from "../classify/rule-cache";
import { database } from "../db/client";
import { pseudonymFor } from "../privacy/pseudonym";
import { ingestEvents } from "./ingest";
import { MAX_DEPTH } from "./sanitize";
import { flushSessions, trackSessions } from "./session-tracker";

// Values PostgreSQL refuses (NUL, lone surrogates) are cleaned and flagged on the event; over-deep
// values reject that one event; none of them fails the batch or stops session tracking.
let seq = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${seq++}`;
const ctx = { apiKeyId: null, ip: "203.0.113.9", userAgent: "vitest" };
const event = (extra: Record<string, unknown>) => ({ id: uid("sz"), type: "system", name: "sanitize.test", timestamp: new Date().toISOString(), ...extra });

async function stored(id: string) {
  const { rows } = await database().pool.query("SELECT name, message, session_id, subject_pseudonym, payload FROM system_logs WHERE event_id = $1", [id]);
  return rows[0];
}

async function session(key: string) {
  await flushSessions();
  const { rows } = await database().pool.query("SELECT event_count, user_agent FROM logging_sessions WHERE session_key = $1", [key]);
  return rows[0];
}

beforeAll(() => invalidateRuleCache());
afterAll(() => flushSessions());

describe("NUL characters and lone surrogates are cleaned, and the event says so", () => {
  it("stores the batch: NUL removed, a lone surrogate replaced by U+FFFD, in values and keys, flagged in payload._clearlog.sanitized", async () => {
    const clean = event({ message: "plain" });
    const nul = event({ message: "a\u0000b", attributes: { "k\u0000ey": "v\u0000" } });
    const cut = event({ name: "emoji \uD83D", attributes: { note: "half \uDE00 of it", ok: "😀" } });
    const both = event({ message: "x\u0000\uD800" });
    const result = await ingestEvents([clean, nul, cut, both], ctx);
    expect(result).toMatchObject({ accepted: 4, rejected: 0 });

    expect((await stored(clean.id)).payload).toEqual({});
    const n = await stored(nul.id);
    expect(n.message).toBe("ab");
    expect(n.payload).toEqual({ attributes: { key: "v" }, _clearlog: { sanitized: ["nul"] } });
    const c = await stored(cut.id);
    expect(c.name).toBe("emoji \uFFFD");
    expect(c.payload).toEqual({ attributes: { note: "half \uFFFD of it", ok: "😀" }, _clearlog: { sanitized: ["surrogate"] } });
    expect((await stored(both.id)).payload._clearlog).toEqual({ sanitized: ["nul", "surrogate"] });
  });

  it("an id with a NUL is rejected (ids are not rewritten), the rest of the batch is stored", async () => {
    const good = event({});
    const result = await ingestEvents([{ ...event({}), id: "id\u0000x" }, good], ctx);
    expect(result).toMatchObject({ accepted: 1, rejected: 1 });
    expect(result.results[0]).toMatchObject({ status: "rejected", field: "events[0].id" });
    expect(await stored(good.id)).toBeDefined();
  });

  it("the subject is cleaned before it is pseudonymized: the same pseudonym as the replaced text", async () => {
    const e = event({ subject: "user-\uD83D" });
    await ingestEvents([e], ctx);
    expect((await stored(e.id)).subject_pseudonym).toBe(pseudonymFor("user-\uFFFD"));
  });
});

describe("over-deep values reject that one event, naming the field", () => {
  const nest = (depth: number) => {
    let v: unknown = "bottom";
    for (let i = 0; i < depth; i++) v = { d: v };
    return v;
  };

  it(`nesting up to ${MAX_DEPTH} levels is stored; deeper (also 3,000 levels) is rejected; the batch is not failed`, async () => {
    // The event is the first of the MAX_DEPTH levels, `attributes` the second.
    const fits = event({ attributes: nest(MAX_DEPTH - 1) });
    const tooDeep = event({ attributes: nest(MAX_DEPTH) });
    const farTooDeep = event({ attributes: nest(3000) });
    const arrays = event({ attributes: { list: JSON.parse("[".repeat(200) + "]".repeat(200)) as unknown } });
    const result = await ingestEvents([fits, tooDeep, farTooDeep, arrays], ctx);
    expect(result).toMatchObject({ accepted: 1, rejected: 3 });
    expect(result.results[1]).toMatchObject({ status: "rejected", field: expect.stringMatching(/^events\[1\]\.attributes(\.d)+$/), reason: `is nested more than ${MAX_DEPTH} levels deep` });
    expect(result.results[2]).toMatchObject({ status: "rejected", field: expect.stringMatching(/^events\[2\]\.attributes/) });
    expect(result.results[3]).toMatchObject({ status: "rejected", field: expect.stringMatching(/^events\[3\]\.attributes\.list(\[0\])+$/) });
    expect(await stored(fits.id)).toBeDefined();
    expect(await stored(tooDeep.id)).toBeUndefined();
  });
});

describe("session tracking survives bad values", () => {
  it("an accepted event whose userAgent and sessionId hold a lone surrogate and a NUL does not stop later session writes", async () => {
    const badKey = `s-\uD83D-${uid("x")}`;
    const bad = event({ sessionId: badKey, userAgent: "Agent \uD800\u0000" });
    const result = await ingestEvents([bad], ctx);
    expect(result.accepted).toBe(1);
    const cleanedKey = badKey.replace("\uD83D", "\uFFFD");
    expect(await session(cleanedKey)).toEqual({ event_count: 1, user_agent: "Agent \uFFFD" });

    for (let i = 0; i < 3; i++) {
      const key = uid("later-session");
      await ingestEvents([event({ sessionId: key })], ctx);
      expect(await session(key), `batch ${i}`).toEqual({ event_count: 1, user_agent: "vitest" });
    }
  });

  it("a session row the database refuses is dropped alone; the rows flushed with it and after it are written", async () => {
    const now = new Date().toISOString();
    const row = (key: string, firstSeen = now) => ({ session_key: key, subject_pseudonym: null, first_seen_at: firstSeen, last_seen_at: now, ended_at: null, event_count: 1, user_agent: null, ip_prefix: null });
    const good = uid("flush-good");
    const refused = uid("flush-refused");
    // A date PostgreSQL cannot read: the merged upsert fails, then each row is tried alone.
    trackSessions(database().pool, [row(good), row(refused, "not a date")]);
    await flushSessions();
    expect(await session(good)).toMatchObject({ event_count: 1 });
    expect(await session(refused)).toBeUndefined();
    // Not retried forever, and later flushes work.
    const later = uid("flush-later");
    trackSessions(database().pool, [row(later)]);
    expect(await session(later)).toMatchObject({ event_count: 1 });
    expect(await session(refused)).toBeUndefined();
  });
});
