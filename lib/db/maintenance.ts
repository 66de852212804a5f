import "server-only";
import { deleteExpiredSessions } from "../auth/local-sessions";
import { deleteExpiredExports } from "../privacy/subject-export";
import { database } from "./client";
import { ensureUpcomingPartitions } from "./partitions";

const HOUR = 3_600_000;

/** Hourly: keep a week of system_logs partitions ahead, forget expired sessions and data archives. */
export function startMaintenance(): void {
  const run = async () => {
    try {
      await ensureUpcomingPartitions(database().pool);
      await deleteExpiredSessions();
      await deleteExpiredExports();
    } catch (error) {
      console.error("[maintenance] failed:", error instanceof Error ? error.message : "unknown error");
    }
  };
  void run();
  setInterval(run, HOUR).unref();
}
