import "server-only";
import { logger } from "../logger";
import { deleteExpiredSessions } from "../auth/local-sessions";
import { deleteExpiredPortalSessions } from "../auth/portal-sessions";
import { deleteExpiredExports } from "../privacy/subject-export";
import { database } from "../db/client";
import { ensureUpcomingPartitions } from "../db/partitions";

const HOUR = 3_600_000;

/** Hourly: keep a week of system_logs partitions ahead, forget expired sessions and data archives. */
export function startMaintenance(): void {
  const run = async () => {
    try {
      await ensureUpcomingPartitions(database().pool);
      await deleteExpiredSessions();
      await deleteExpiredPortalSessions();
      await deleteExpiredExports();
    } catch (error) {
      logger().error({ component: "maintenance", err: error }, "maintenance failed");
    }
  };
  void run();
  setInterval(run, HOUR).unref();
}
