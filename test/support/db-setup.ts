import { afterAll, beforeAll } from "vitest";
import { env, overrideEnv, resetEnvCache } from "@/lib/env";
import { flushSessions } from "@/lib/ingest/session-tracker";
import { stopJobQueue } from "@/lib/jobs/queue";
import { createTestDatabase, type TestDatabase } from "./test-database";

// Each database test file runs against its own migrated database; lib code reaches it through
// DATABASE_URL as the app does. Workers are reused across files, so the variable is restored after.
let testDb: TestDatabase | undefined;
let restoreEnv: (() => void) | undefined;
const globalForDb = globalThis as unknown as { clearlogDb?: { close(): Promise<void> } };

beforeAll(async () => {
  resetEnvCache();
  testDb = await createTestDatabase();
  restoreEnv = overrideEnv({
    DATABASE_URL: testDb.url,
    CLEARLOG_SECRET: env().CLEARLOG_SECRET ?? "test-secret-0123456789abcdef0123456789abcdef",
  });
});

afterAll(async () => {
  // Session counters are written behind the events; write them before the pool closes.
  await flushSessions().catch(() => {});
  await stopJobQueue();
  await globalForDb.clearlogDb?.close();
  globalForDb.clearlogDb = undefined;
  await testDb?.drop();
  restoreEnv?.();
});
