import "server-only";
import { database } from "../db/client";

export interface WorkspaceStats {
  subjects: number;
  openRequests: number;
  overdueRequests: number;
  activeKeys: number;
}

const OPEN = "status IN ('received', 'verified', 'in_progress')";

/** Figures that describe the workspace now rather than a range: requests to work, keys, subjects. */
export async function loadWorkspaceStats(now = new Date()): Promise<WorkspaceStats> {
  const { rows } = await database().pool.query<{ subjects: string; open: string; overdue: string; keys: string }>(
    `SELECT (SELECT count(*) FROM subjects) AS subjects,
            (SELECT count(*) FROM privacy_requests WHERE ${OPEN}) AS open,
            (SELECT count(*) FROM privacy_requests WHERE ${OPEN} AND due_at < $1) AS overdue,
            (SELECT count(*) FROM api_keys WHERE revoked_at IS NULL) AS keys`,
    [now],
  );
  const r = rows[0]!;
  return { subjects: Number(r.subjects), openRequests: Number(r.open), overdueRequests: Number(r.overdue), activeKeys: Number(r.keys) };
}
