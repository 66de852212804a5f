import { describe, expect, it } from "vitest";
import { database, db } from "./client";
import { query, sql } from "./sql";
import { lockFor, transaction } from "./transaction";

// The transaction helper: Prisma and raw SQL on one connection, in one transaction.
describe("transaction", () => {
  it("runs Prisma and the pg client on the same connection and transaction", async () => {
    const seen = await transaction(async (tx) => {
      const [viaPrisma] = await tx.$queryRaw<{ pid: number; xid: string }[]>(sql`SELECT pg_backend_pid() AS pid, txid_current()::text AS xid`);
      const { rows } = await query<{ pid: number; xid: string }>(tx.pg, sql`SELECT pg_backend_pid() AS pid, txid_current()::text AS xid`);
      return { viaPrisma, viaPg: rows[0] };
    });
    expect(seen.viaPg).toEqual(seen.viaPrisma);
  });

  it("commits both kinds of writes together and rolls both back on a throw", async () => {
    await transaction(async (tx) => {
      await tx.subject.create({ data: { externalId: "tx-a", pseudonym: "p-tx-a" } });
      await query(tx.pg, sql`INSERT INTO subjects (id, external_id, pseudonym) VALUES (gen_random_uuid(), 'tx-b', 'p-tx-b')`);
    });
    await expect(
      transaction(async (tx) => {
        await tx.subject.create({ data: { externalId: "tx-c", pseudonym: "p-tx-c" } });
        await query(tx.pg, sql`INSERT INTO subjects (id, external_id, pseudonym) VALUES (gen_random_uuid(), 'tx-d', 'p-tx-d')`);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const stored = await db().subject.findMany({ where: { externalId: { startsWith: "tx-" } }, orderBy: { externalId: "asc" } });
    expect(stored.map((s) => s.externalId)).toEqual(["tx-a", "tx-b"]);
  });

  it("refuses the pg client once the transaction has ended", async () => {
    let kept: Parameters<typeof query>[0] | undefined;
    await transaction(async (tx) => {
      kept = tx.pg;
    });
    expect(() => kept!.query("SELECT 1")).toThrow(/transaction has ended/);
  });

  it("refuses a nested transaction", async () => {
    await expect(transaction(async () => transaction(async () => 1))).rejects.toThrow(/inside a transaction/);
  });
});

describe("lockFor", () => {
  it("excludes the same name and lets other names and namespaces through", async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = transaction(async (tx) => {
      await lockFor(tx, "consent", "subject-1");
      order.push("first locked");
      await held;
      order.push("first done");
    });
    await expect.poll(() => order).toContain("first locked");
    // Another id and another namespace with the same id do not wait.
    await transaction(async (tx) => {
      await lockFor(tx, "consent", "subject-2");
      await lockFor(tx, "export", "subject-1");
    });
    order.push("others passed");
    const second = transaction(async (tx) => {
      await lockFor(tx, "consent", "subject-1");
      order.push("second locked");
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual(["first locked", "others passed"]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first locked", "others passed", "first done", "second locked"]);
  });

  it("is released at the end of the transaction", async () => {
    await transaction((tx) => lockFor(tx, "retention_run"));
    const { rows } = await database().pool.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it("refuses a namespace that is not a snake_case constant", async () => {
    await expect(transaction((tx) => lockFor(tx, "consent:x"))).rejects.toThrow(/snake_case/);
  });
});
