import "server-only";
import { logger } from "../logger";
import { deleteExpiredSessions } from "../auth/local-sessions";
import { deleteExpiredExports } from "../privacy/subject-export";
import { database } from "../db/client";
import { ensureUpcomingPartitions } from "../db/partitions";
import { deleteOldIntakeRefusals } from "../ingest/intake-refusals";

const HOUR = 3_600_000;

/** Hourly: keep a week of system_logs partitions ahead, forget expired sessions, data archives and old intake refusal counts. */
export function startMaintenance(): void {
  const run = async () => {
    try {
      await ensureUpcomingPartitions(database().pool);
      await deleteExpiredSessions();
      await deleteExpiredExports();
      await deleteOldIntakeRefusals();
    } catch (error) {
      logger().error({ component: "maintenance", err: error }, "maintenance failed");
    }
  };
  void run();
  setInterval(run, HOUR).unref();
}
