import "server-only";
import { database } from "../db/client";
import { rows, sql } from "../db/sql";

export interface WorkspaceStats {
  subjects: number;
  openRequests: number;
  overdueRequests: number;
  activeKeys: number;
}

const OPEN = sql`status IN ('received', 'verified', 'in_progress')`;

/** Figures that describe the workspace now rather than a range: requests to work, keys, subjects. */
export async function loadWorkspaceStats(now = new Date()): Promise<WorkspaceStats> {
  const [r] = await rows<{ subjects: string; open: string; overdue: string; keys: string }>(
    database().pool,
    sql`SELECT (SELECT count(*) FROM subjects) AS subjects,
            (SELECT count(*) FROM privacy_requests WHERE ${OPEN}) AS open,
            (SELECT count(*) FROM privacy_requests WHERE ${OPEN} AND due_at < ${now}) AS overdue,
            (SELECT count(*) FROM api_keys WHERE revoked_at IS NULL) AS keys`,
  );
  return { subjects: Number(r!.subjects), openRequests: Number(r!.open), overdueRequests: Number(r!.overdue), activeKeys: Number(r!.keys) };
}
