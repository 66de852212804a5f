import "server-only";
import { deleteExpiredSessions } from "../auth/local-sessions";
import { deleteExpiredPortalSessions } from "../auth/portal-sessions";
import { database } from "../db/client";
import { ensureUpcomingPartitions } from "../db/partitions";
import { deleteExpiredExports } from "../privacy/subject-export";
import { deleteOldIntakeRefusals } from "../ingest/intake-refusals";
import { deleteExpiredTraceSubjects } from "../ingest/trace-subjects";
import { deleteOldDeliveries } from "../notifications/endpoints";

export interface MaintenanceReport {
  partitionsCreated: number;
  sessionsDeleted: number;
  exportsDeleted: number;
  intakeRefusalsDeleted: number;
  traceSubjectsDeleted: number;
  portalSessionsDeleted: number;
  deliveriesDeleted: number;
}

/** Hourly upkeep (a scheduled job, lib/jobs/schedules.ts): a week of partitions ahead, expired sessions and archives gone. */
export async function runMaintenance(now = new Date()): Promise<MaintenanceReport> {
  const partitionsCreated = await ensureUpcomingPartitions(database().pool, now);
  const sessionsDeleted = await deleteExpiredSessions();
  const exportsDeleted = await deleteExpiredExports(now);
  const intakeRefusalsDeleted = await deleteOldIntakeRefusals();
  const traceSubjectsDeleted = await deleteExpiredTraceSubjects(now);
  const portalSessionsDeleted = await deleteExpiredPortalSessions();
  const deliveriesDeleted = await deleteOldDeliveries(now);
  return { partitionsCreated, sessionsDeleted, exportsDeleted, intakeRefusalsDeleted, traceSubjectsDeleted, portalSessionsDeleted, deliveriesDeleted };
}
