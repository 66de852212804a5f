import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { claimConnections } from "./connection-claims";
import { PrismaClient } from "./generated/client";
import { databaseUrlFromEnv, env } from "../env";

export type Db = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** A Prisma client and a raw pg pool over the same connections settings (raw SQL for bulk work). */
export function createDatabase(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max, application_name: "clearlog" });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  claimConnections(pool);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

const globalForDb = globalThis as unknown as { clearlogDb?: Database };

/** The process-wide database, created on first use from DATABASE_URL. */
export function database(): Database {
  globalForDb.clearlogDb ??= createDatabase(databaseUrlFromEnv(), env().CLEARLOG_DB_POOL_SIZE);
  return globalForDb.clearlogDb;
}

export function db(): PrismaClient {
  return database().prisma;
}
