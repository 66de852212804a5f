import "server-only";
import { logger } from "../logger";
import PgBoss from "pg-boss";
import { database } from "../db/client";
import { enumValues, JobKind as JobKindValues, type JobKind } from "../db/enums";

// pg-boss delivers jobs (retries with backoff, expiry, one worker at a time per job). It runs its SQL
// through our own pool, so a process has one set of connections to size and close.
// Its data is `{ jobId }` only: what the job is about lives in our `jobs` table.
export const JOB_KINDS: readonly JobKind[] = enumValues(JobKindValues);

/** Webhook and e-mail deliveries (lib/notifications/deliver.ts). Not a JobKind: the delivery log is their record. */
export const NOTIFICATION_QUEUE = "notification-delivery";

const RETRY = { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 } as const;

/** The process's queue, and whether this process works it (lib/jobs/worker.ts). */
export const globalForQueue = globalThis as unknown as { clearlogQueue?: Promise<PgBoss>; clearlogWorker?: Promise<void> };

/** The process's queue, installed (schema `pgboss`) and started on first use. */
export function jobQueue(): Promise<PgBoss> {
  globalForQueue.clearlogQueue ??= (async () => {
    const boss = new PgBoss({
      db: { executeSql: (text: string, values: unknown[]) => database().pool.query(text, values) },
      schema: "pgboss",
    });
    boss.on("error", (error) => logger().error({ component: "jobs", err: error }, "queue error"));
    await boss.start();
    for (const kind of JOB_KINDS) await boss.createQueue(kind, { name: kind, ...RETRY });
    // A delivery schedules its own next attempt with its backoff; the queue's retries cover a worker that died.
    await boss.createQueue(NOTIFICATION_QUEUE, { name: NOTIFICATION_QUEUE, retryLimit: 2, retryDelay: 30, expireInSeconds: 120 });
    return boss;
  })().catch((error: unknown) => {
    globalForQueue.clearlogQueue = undefined;
    throw error;
  });
  return globalForQueue.clearlogQueue;
}

/** Stops the queue and its workers (tests, shutdown). */
export async function stopJobQueue(): Promise<void> {
  const queue = globalForQueue.clearlogQueue;
  globalForQueue.clearlogQueue = undefined;
  globalForQueue.clearlogWorker = undefined;
  if (queue) await (await queue).stop({ graceful: false, close: false, wait: true });
}
