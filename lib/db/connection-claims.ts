import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";

// How `transaction()` gets its connection as a pg client: while it starts Prisma's interactive
// transaction, it puts a claim in an AsyncLocalStorage; the first connection checked out of our pool
// under that claim — the one Prisma's adapter takes for BEGIN — is recorded in it, and marks the claim
// closed when Prisma releases it (commit, rollback or timeout).
export interface Claim {
  client?: pg.PoolClient;
  open: boolean;
}

// One store per process, kept on globalThis like the database itself (lib/db/client.ts): Next bundles
// instrumentation.ts and the routes separately, each with its own copy of this module, while the pool
// is created once; a module-level store would leave the pool watching a store the routes never fill.
const globalForClaims = globalThis as unknown as { clearlogClaims?: AsyncLocalStorage<Claim> };
export const claims = (globalForClaims.clearlogClaims ??= new AsyncLocalStorage<Claim>());

/** Wraps `pool.connect` to record claimed connections. Called once by `createDatabase`. */
export function claimConnections(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  pool.connect = ((...args: unknown[]) => {
    const claim = claims.getStore();
    if (args.length > 0 || !claim || claim.client) return connect(...args);
    return (connect() as Promise<pg.PoolClient>).then((client) => {
      if (claim.client) return client;
      claim.client = client;
      const release = client.release;
      client.release = (err?: Error | boolean) => {
        claim.open = false;
        return release.call(client, err);
      };
      return client;
    });
  }) as pg.Pool["connect"];
}
