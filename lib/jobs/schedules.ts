import "server-only";
import type PgBoss from "pg-boss";
import { logger } from "../logger";
import { sendDeadlineReminders } from "../notifications/reminders";
import { startRetentionRun } from "../retention/runs";
import { redispatchQueuedJobs } from "./jobs";
import { runMaintenance } from "./maintenance";

// Periodic work, as scheduled jobs of the one queue: pg-boss's cron (its timekeeper) sends one job per
// slot whichever and however many servers run, and one worker takes it. Nothing periodic runs on a
// timer of its own in a process.
export interface Schedule {
  /** the pg-boss queue, and the schedule's name */
  name: string;
  /** five-field cron, UTC */
  cron: string;
  run: () => Promise<unknown>;
  /** also sent once when a server starts (deduplicated across servers for `singletonSeconds`) */
  atStart: boolean;
}

export const SCHEDULES: readonly Schedule[] = [
  // The daily retention run records a job of its own, which the product shows.
  { name: "retention-daily", cron: "0 3 * * *", run: () => startRetentionRun(null), atStart: false },
  // A week of system_logs partitions ahead, expired sessions and data archives deleted.
  { name: "maintenance-hourly", cron: "7 * * * *", run: () => runMaintenance(), atStart: true },
  // Jobs recorded but never handed to the queue (the process stopped between commit and dispatch),
  // and jobs whose worker died while running them.
  { name: "jobs-redispatch", cron: "* * * * *", run: () => redispatchQueuedJobs(), atStart: true },
  // Webhooks to admins' systems before a privacy request falls due (once per request and threshold).
  { name: "privacy-deadline-reminders", cron: "17 * * * *", run: () => sendDeadlineReminders(), atStart: true },
];

const START_DEDUP_SECONDS = 300;

/** Creates the schedules' queues, registers (or updates) their crons, and works them in this process. */
export async function startSchedules(queue: PgBoss): Promise<void> {
  for (const s of SCHEDULES) {
    // A missed slot is not made up for: the next one does the same work. No retries, short expiry.
    await queue.createQueue(s.name, { name: s.name, retryLimit: 0, expireInSeconds: 15 * 60 });
    await queue.schedule(s.name, s.cron, {}, { tz: "UTC" });
    await queue.work(s.name, async () => {
      try {
        await s.run();
      } catch (error) {
        logger().error({ component: "schedules", schedule: s.name, err: error }, "scheduled job failed");
        throw error;
      }
    });
    if (s.atStart) await queue.send(s.name, {}, { singletonKey: `${s.name}:start`, singletonSeconds: START_DEDUP_SECONDS });
  }
}
