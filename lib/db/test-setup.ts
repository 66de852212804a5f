import { afterAll, beforeAll } from "vitest";
import { resetEnvCache } from "../env";
import { flushSessions } from "../ingest/session-tracker";
import { createTestDatabase, type TestDatabase } from "./test-database";

// Each database test file runs against its own migrated database; lib code reaches it through
// DATABASE_URL as the app does. Workers are reused across files, so the variable is restored after.
let testDb: TestDatabase | undefined;
const originalUrl = process.env.DATABASE_URL;
const globalForDb = globalThis as unknown as { clearlogDb?: { close(): Promise<void> } };

beforeAll(async () => {
  resetEnvCache();
  testDb = await createTestDatabase();
  process.env.DATABASE_URL = testDb.url;
  // See scripts/database-target.ts: the embedded server gets one connection.
  if (testDb.kind === "embedded") process.env.CLEARLOG_DB_POOL_SIZE = "1";
  process.env.CLEARLOG_SECRET ??= "test-secret-0123456789abcdef0123456789abcdef";
  resetEnvCache();
});

afterAll(async () => {
  // Session counters are written behind the events; write them before the pool closes.
  await flushSessions().catch(() => {});
  await globalForDb.clearlogDb?.close();
  globalForDb.clearlogDb = undefined;
  await testDb?.drop();
  delete process.env.CLEARLOG_DB_POOL_SIZE;
  if (originalUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = originalUrl;
  resetEnvCache();
});
