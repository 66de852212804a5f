import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../db/client";
import { ensureLogPartitions } from "../db/partitions";
import { filtersSchema } from "./filters";
import { listEvents } from "./query";

// The explorer's full-text search (the `q` filter of lib/logs/query.ts over the generated
// search_vector of migration 20261127040000_explorer_and_retention).
const NOW = new Date("2025-03-01T12:00:00.000Z");
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000);

interface Ev {
  id: string;
  name: string;
  message?: string | null;
  component?: string | null;
  errorType?: string | null;
  type?: string;
  payload?: unknown;
}

// One minute apart, s-01 newest.
const EVENTS: Ev[] = [
  { id: "s-01", name: "checkout.started", component: "checkout", message: "User opened the basket" },
  { id: "s-02", name: "http.request", component: "gateway", message: "GET orders", errorType: "TimeoutError", type: "api_request" },
  { id: "s-03", name: "job.done", message: null, payload: { attributes: { detail: { note: "quarterly reconciliation finished" } }, list: ["alpha", { deep: "omega-value" }], count: 7654321, ok: true } },
  { id: "s-04", name: "support.ticket", message: "Contact [EMAIL] about the invoice" },
  { id: "s-05", name: "misc.event", message: "foo bar baz together" },
  { id: "s-06", name: "misc.event", message: "only foo here", payload: { hidden_key_word: "value" } },
  { id: "s-07", name: "payment.failed", component: "payments", errorType: "CardDeclinedError", type: "error", message: "Card declined: insufficient funds" },
];

beforeAll(async () => {
  const { pool } = database();
  await ensureLogPartitions(pool, at(24 * 60), NOW);
  for (const [i, e] of EVENTS.entries()) {
    await pool.query(
      `INSERT INTO system_logs (event_id, occurred_at, type, name, message, component, error_type, payload)
       VALUES ($1, $2, $3::"EventType", $4, $5, $6, $7, $8::jsonb)`,
      [e.id, at(i + 1), e.type ?? "user_action", e.name, e.message ?? null, e.component ?? null, e.errorType ?? null, JSON.stringify(e.payload ?? {})],
    );
  }
});

async function search(q: string, extra: Record<string, string> = {}): Promise<string[]> {
  const page = await listEvents(filtersSchema.parse({ q, ...extra }), null, 100, NOW);
  return page.events.map((e) => e.eventId);
}

describe("full-text search", () => {
  it("finds words in the name, message, component and error type", async () => {
    expect(await search("basket")).toEqual(["s-01"]);
    expect(await search("gateway")).toEqual(["s-02"]);
    expect(await search("TimeoutError")).toEqual(["s-02"]);
    expect(await search("timeouterror")).toEqual(["s-02"]);
    expect(await search("CardDeclinedError")).toEqual(["s-07"]);
    expect(await search("support.ticket")).toEqual(["s-04"]);
    expect(await search("checkout")).toEqual(["s-01"]);
    expect(await search("insufficient")).toEqual(["s-07"]);
  });

  it("finds string values nested anywhere in the payload, but not numbers or keys", async () => {
    expect(await search("reconciliation")).toEqual(["s-03"]);
    expect(await search("alpha")).toEqual(["s-03"]);
    expect(await search("omega-value")).toEqual(["s-03"]);
    expect(await search("omega")).toEqual(["s-03"]);
    expect(await search("7654321")).toEqual([]);
    expect(await search("hidden_key_word")).toEqual([]);
    // a hyphenated word is found whole and by its parts
    expect(await search("value")).toEqual(["s-03", "s-06"]);
  });

  it("matches words as prefixes", async () => {
    expect(await search("chec")).toEqual(["s-01"]);
    expect(await search("recon")).toEqual(["s-03"]);
    expect(await search("Timeout")).toEqual(["s-02"]);
    expect(await search("insuff fun")).toEqual(["s-07"]);
    // a prefix of a word, not a piece of its middle
    expect(await search("eckout")).toEqual([]);
  });

  it("requires every word of a multi-word query", async () => {
    expect(await search("foo")).toEqual(["s-05", "s-06"]);
    expect(await search("foo baz")).toEqual(["s-05"]);
    expect(await search("baz foo bar")).toEqual(["s-05"]);
    expect(await search("foo basket")).toEqual([]);
    expect(await search("invoice contact")).toEqual(["s-04"]);
  });

  it("finds each part of a dotted, dashed or slashed name as well as the whole", async () => {
    expect(await search("started")).toEqual(["s-01"]);
    expect(await search("checkout.started")).toEqual(["s-01"]);
  });

  it("returns nothing for a word that appears nowhere", async () => {
    expect(await search("xylophone")).toEqual([]);
    expect(await search("checkout xylophone")).toEqual([]);
  });

  it("finds a redaction marker stored in the text by its word", async () => {
    expect(await search("email")).toEqual(["s-04"]);
    expect(await search("EMAIL")).toEqual(["s-04"]);
    expect(await search("[EMAIL]")).toEqual(["s-04"]);
  });

  it("treats punctuation, quotes and query operators as plain text: no error, never everything", async () => {
    expect(await search("foo & bar | !baz")).toEqual(["s-05"]);
    expect(await search("foo | xylophone")).toEqual([]);
    expect(await search("!foo")).toEqual(["s-05", "s-06"]);
    expect(await search("card declined:")).toEqual(["s-07"]);
    for (const q of ["a' OR 1=1 --", "'; DROP TABLE system_logs; --", "(", ")", ":*", "'", "''", '"', "\\", "<->", "&", "|", "!", "*", "%", "_", "--", "1=1", "a:*b", "x\\'y"]) {
      const found = await search(q);
      expect(found.length, q).toBeLessThan(EVENTS.length);
      expect(found, q).toEqual([]);
    }
    // what is left of an injection attempt is searched as words ("or" is a prefix of "orders")
    expect(await search("' OR ''='")).toEqual(["s-02"]);
    const { rows } = await database().pool.query<{ n: string }>("SELECT count(*) AS n FROM system_logs");
    expect(Number(rows[0]!.n)).toBe(EVENTS.length);
  });

  it("combines the search with the other filters and the time window", async () => {
    expect(await search("card", { type: "error" })).toEqual(["s-07"]);
    expect(await search("card", { type: "api_request" })).toEqual([]);
    expect(await search("foo", { range: "15m" })).toEqual(["s-05", "s-06"]);
    expect(await search("foo", { range: "custom", from: at(5).toISOString(), to: at(5).toISOString() })).toEqual(["s-05"]);
    expect((await listEvents(filtersSchema.parse({ q: "foo" }), null, 100, new Date(NOW.getTime() + 2 * 86_400_000))).events).toEqual([]);
  });
});
