import { describe, expect, it } from "vitest";
import { database, db } from "./client";
import { DAYS_AHEAD, ensureLogPartitions, ensureUpcomingPartitions } from "./partitions";

// system_logs' daily partitions: lib/db/partitions.ts and clearlog_ensure_log_partitions (init migration).

const DAY_MS = 86_400_000;
const partName = (d: Date) => `system_logs_p${d.toISOString().slice(0, 10).replaceAll("-", "")}`;
const utc = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

async function partitions(): Promise<Set<string>> {
  const { rows } = await database().pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'system_logs'::regclass`,
  );
  return new Set(rows.map((r) => r.name));
}

/** A partition's bounds as PostgreSQL prints them, in UTC. */
async function bounds(name: string): Promise<string | undefined> {
  const client = await database().pool.connect();
  try {
    await client.query("SET TIME ZONE 'UTC'");
    const { rows } = await client.query<{ b: string }>(
      "SELECT pg_get_expr(c.relpartbound, c.oid) AS b FROM pg_class c WHERE c.relname = $1",
      [name],
    );
    await client.query("RESET TIME ZONE");
    return rows[0]?.b;
  } finally {
    client.release();
  }
}

async function partitionOf(eventIds: string[]): Promise<Record<string, string>> {
  const { rows } = await database().pool.query<{ event_id: string; part: string }>(
    "SELECT event_id, tableoid::regclass::text AS part FROM system_logs WHERE event_id = ANY($1)",
    [eventIds],
  );
  return Object.fromEntries(rows.map((r) => [r.event_id, r.part]));
}

const event = (eventId: string, occurredAt: Date) =>
  db().systemLog.create({ data: { eventId, occurredAt, type: "system", name: "partition.test" } });

describe("system_logs partitions", () => {
  it("is range-partitioned on occurred_at with no default partition", async () => {
    const { rows } = await database().pool.query<{ strategy: string; key: string; defid: string }>(
      `SELECT p.partstrat AS strategy, pg_get_partkeydef(p.partrelid) AS key, p.partdefid::text AS defid
         FROM pg_partitioned_table p WHERE p.partrelid = 'system_logs'::regclass`,
    );
    expect(rows).toEqual([{ strategy: "r", key: "RANGE (occurred_at)", defid: "0" }]);
    const names = [...(await partitions())];
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^system_logs_p\d{8}$/);
  });

  it("ensureUpcomingPartitions covers yesterday through DAYS_AHEAD days ahead, and is idempotent", async () => {
    const { pool } = database();
    const now = Date.now();
    await ensureUpcomingPartitions(pool);
    const names = await partitions();
    for (let offset = -1; offset <= DAYS_AHEAD; offset++) {
      expect(names.has(partName(new Date(now + offset * DAY_MS))), `day ${offset}`).toBe(true);
    }
    expect(await ensureUpcomingPartitions(pool)).toBe(0);

    // On a date with nothing yet it creates exactly that window: 1 + 1 + DAYS_AHEAD days.
    const future = new Date("2031-06-15T23:30:00.000Z");
    expect(DAYS_AHEAD).toBe(7);
    expect(await ensureUpcomingPartitions(pool, future)).toBe(9);
    const after = await partitions();
    const window = [...after].filter((n) => n.startsWith("system_logs_p2031")).sort();
    expect(window).toEqual([
      "system_logs_p20310614", "system_logs_p20310615", "system_logs_p20310616", "system_logs_p20310617", "system_logs_p20310618",
      "system_logs_p20310619", "system_logs_p20310620", "system_logs_p20310621", "system_logs_p20310622",
    ]);
    expect(await ensureUpcomingPartitions(pool, future)).toBe(0);
    expect(await ensureUpcomingPartitions(pool, new Date("2031-06-16T00:30:00.000Z"))).toBe(1);
    expect((await partitions()).has("system_logs_p20310623")).toBe(true);
  });

  it("ensureLogPartitions creates exactly the days of a past range, with UTC-day bounds", async () => {
    const { pool } = database();
    const before = await partitions();
    expect(await ensureLogPartitions(pool, utc("2020-02-27"), utc("2020-03-01"))).toBe(4);
    const added = [...(await partitions())].filter((n) => !before.has(n)).sort();
    expect(added).toEqual(["system_logs_p20200227", "system_logs_p20200228", "system_logs_p20200229", "system_logs_p20200301"]);
    expect(await bounds("system_logs_p20200229")).toBe("FOR VALUES FROM ('2020-02-29 00:00:00+00') TO ('2020-03-01 00:00:00+00')");

    // Overlapping ranges create only what is missing; a reversed range creates nothing.
    expect(await ensureLogPartitions(pool, utc("2020-02-26"), utc("2020-03-02"))).toBe(2);
    expect(await ensureLogPartitions(pool, utc("2020-02-26"), utc("2020-03-02"))).toBe(0);
    expect(await ensureLogPartitions(pool, utc("2020-01-10"), utc("2020-01-05"))).toBe(0);
    // Times of day do not matter: the range is whole UTC days.
    expect(await ensureLogPartitions(pool, new Date("2020-01-05T23:59:59.999Z"), new Date("2020-01-05T00:00:00.000Z"))).toBe(1);
    expect((await partitions()).has("system_logs_p20200105")).toBe(true);
  });

  it("routes a row to its UTC day's partition", async () => {
    await ensureLogPartitions(database().pool, utc("2021-03-27"), utc("2021-03-29"));
    await event("route-first-ms", new Date("2021-03-28T00:00:00.000Z"));
    await event("route-midday", new Date("2021-03-28T12:34:56.789Z"));
    await event("route-last-ms", new Date("2021-03-28T23:59:59.999Z"));
    await event("route-next-day", new Date("2021-03-29T00:00:00.000Z"));
    await event("route-day-before", new Date("2021-03-27T23:59:59.999Z"));

    expect(await partitionOf(["route-first-ms", "route-midday", "route-last-ms", "route-next-day", "route-day-before"])).toEqual({
      "route-first-ms": "system_logs_p20210328",
      "route-midday": "system_logs_p20210328",
      "route-last-ms": "system_logs_p20210328",
      "route-next-day": "system_logs_p20210329",
      "route-day-before": "system_logs_p20210327",
    });
    const row = await db().systemLog.findUniqueOrThrow({
      where: { eventId_occurredAt: { eventId: "route-midday", occurredAt: new Date("2021-03-28T12:34:56.789Z") } },
    });
    expect(row).toMatchObject({ type: "system", name: "partition.test", severity: "info", classification: "internal" });
  });

  it("refuses a row for a day without a partition", async () => {
    expect((await partitions()).has("system_logs_p19991231")).toBe(false);
    await expect(event("no-partition", new Date("1999-12-31T12:00:00.000Z"))).rejects.toThrow();
    await expect(
      database().pool.query("INSERT INTO system_logs (event_id, occurred_at, type, name) VALUES ('no-partition', '1999-12-31T12:00:00Z', 'system', 'x')"),
    ).rejects.toMatchObject({ code: "23514", message: expect.stringContaining("no partition") });
    expect(await db().systemLog.count({ where: { eventId: "no-partition" } })).toBe(0);

    await ensureLogPartitions(database().pool, utc("1999-12-31"), utc("1999-12-31"));
    await event("no-partition", new Date("1999-12-31T12:00:00.000Z"));
    expect(await partitionOf(["no-partition"])).toEqual({ "no-partition": "system_logs_p19991231" });
  });

  it("keys rows on (event_id, occurred_at)", async () => {
    await ensureLogPartitions(database().pool, utc("2021-05-01"), utc("2021-05-02"));
    const at = new Date("2021-05-01T08:00:00.000Z");
    await event("dup-event", at);
    await expect(event("dup-event", at)).rejects.toMatchObject({ code: "P2002" });
    await expect(
      database().pool.query("INSERT INTO system_logs (event_id, occurred_at, type, name) VALUES ('dup-event', $1, 'system', 'x')", [at]),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await db().systemLog.count({ where: { eventId: "dup-event" } })).toBe(1);

    // The same event id at another time is another row (the key includes the partition key).
    await event("dup-event", new Date("2021-05-01T08:00:00.001Z"));
    await event("dup-event", new Date("2021-05-02T08:00:00.000Z"));
    expect(await db().systemLog.count({ where: { eventId: "dup-event" } })).toBe(3);
  });
});
