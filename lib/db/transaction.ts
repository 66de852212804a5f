import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import { database } from "./client";
import { claims, type Claim } from "./connection-claims";
import type { Prisma } from "./generated/client";
import { sql } from "./sql";

// One transaction helper for the whole code base: Prisma's interactive transaction, on ONE pooled
// connection that also serves raw SQL. Inside `transaction(async (tx) => …)`:
// - `tx` is Prisma's transaction client: models, `tx.$queryRaw(sql…)`, `tx.$executeRaw(sql…)`;
// - `tx.pg` is the same connection as a pg client, for what Prisma cannot do (COPY through
//   pg-copy-streams, large row sets read without Prisma's mapping). It refuses once the transaction ended.
// The connection is recognised when Prisma's adapter checks it out of our pool (`connection-claims.ts`).
export type PrismaTx = Prisma.TransactionClient;
export type TxClient = Pick<pg.ClientBase, "query">;
export type Tx = PrismaTx & { readonly pg: TxClient };

export interface TransactionOptions {
  /** Longest wait for a connection, ms (default 10 s). */
  maxWait?: number;
  /** Longest run, ms (default 60 s); Prisma rolls back after it, and `tx.pg` refuses from then on. */
  timeout?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

const current = new AsyncLocalStorage<Claim>();

function guarded(claim: Claim): TxClient {
  const client = claim.client!;
  return {
    query: ((...args: Parameters<pg.ClientBase["query"]>) => {
      if (!claim.open) throw new Error("The transaction has ended; its connection cannot be used");
      return (client.query as (...a: unknown[]) => unknown)(...args);
    }) as TxClient["query"],
  };
}

/**
 * Runs `fn` in one transaction and commits when it resolves (rolls back when it throws). Nested calls
 * are refused: pass `tx` down instead (a second connection while holding one can deadlock a small pool).
 */
export async function transaction<T>(fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const outer = current.getStore();
  if (outer?.open) throw new Error("transaction() inside a transaction: pass the outer tx down instead");
  const claim: Claim = { open: true };
  const { prisma } = database();
  try {
    return await claims.run(claim, () =>
      prisma.$transaction(
        (ptx) => {
          if (!claim.client) throw new Error("The transaction's connection was not claimed");
          const pgClient = guarded(claim);
          const tx = new Proxy(ptx, { get: (target, key) => (key === "pg" ? pgClient : Reflect.get(target, key)) }) as Tx;
          return current.run(claim, () => fn(tx));
        },
        { maxWait: options.maxWait ?? 10_000, timeout: options.timeout ?? 60_000, isolationLevel: options.isolationLevel },
      ),
    );
  } finally {
    claim.open = false;
  }
}

// Named advisory locks, held until the transaction ends. The two-key form (namespace, id) keeps names
// apart: "consent" + "a:b" can never equal "export" + anything, and none of them can meet the
// migrator's one-key session lock. A namespace is a constant in code; two namespaces whose hashes
// collide are refused at first use.
const namespaceHashes = new Map<number, string>();

function namespaceKey(namespace: string): number {
  if (!/^[a-z][a-z0-9_]*$/.test(namespace)) throw new Error("Lock namespaces are snake_case constants");
  let h = 0x811c9dc5;
  for (let i = 0; i < namespace.length; i++) h = Math.imul(h ^ namespace.charCodeAt(i), 0x01000193);
  const key = h | 0;
  const seen = namespaceHashes.get(key);
  if (seen && seen !== namespace) throw new Error(`Lock namespaces "${seen}" and "${namespace}" collide`);
  namespaceHashes.set(key, namespace);
  return key;
}

/** Waits for the named lock (`namespace`, optional `id`) and holds it until `tx` commits or rolls back. */
export async function lockFor(tx: PrismaTx, namespace: string, id = ""): Promise<void> {
  await tx.$executeRaw(sql`SELECT pg_advisory_xact_lock(${namespaceKey(namespace)}::int, hashtext(${id}))`);
}
