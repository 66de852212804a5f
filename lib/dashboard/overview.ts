import "server-only";
import { database } from "../db/client";
import type { DailyVolume, EventTypeKey } from "./event-types";


export interface Overview {
  events24h: number;
  errors24h: number;
  subjects: number;
  openRequests: number;
  overdueRequests: number;
  activeKeys: number;
  daily: DailyVolume[];
}

/** The console's landing figures, computed in SQL over the last 7 days of partitions. */
export async function loadOverview(now = new Date()): Promise<Overview> {
  const { pool } = database();
  const since = new Date(now.getTime() - 7 * 86_400_000);
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const [counts, daily] = await Promise.all([
    pool.query<{ events: string; errors: string; subjects: string; open: string; overdue: string; keys: string }>(
      `SELECT
         (SELECT count(*) FROM system_logs WHERE occurred_at >= $1) AS events,
         (SELECT count(*) FROM system_logs WHERE occurred_at >= $1 AND type = 'error') AS errors,
         (SELECT count(*) FROM subjects) AS subjects,
         (SELECT count(*) FROM privacy_requests WHERE status IN ('received','verified','in_progress')) AS open,
         (SELECT count(*) FROM privacy_requests WHERE status IN ('received','verified','in_progress') AND due_at < $2) AS overdue,
         (SELECT count(*) FROM api_keys WHERE revoked_at IS NULL) AS keys`,
      [dayAgo, now],
    ),
    pool.query<{ day: string; type: EventTypeKey; n: string }>(
      `SELECT to_char(date_trunc('day', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, type::text AS type, count(*) AS n
         FROM system_logs WHERE occurred_at >= $1 GROUP BY 1, 2 ORDER BY 1`,
      [since],
    ),
  ]);
  const c = counts.rows[0]!;
  const byDay = new Map<string, DailyVolume>();
  for (let i = 6; i >= 0; i--) {
    const day = new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10);
    byDay.set(day, { day, user_action: 0, ai_interaction: 0, api_request: 0, error: 0, system: 0 });
  }
  for (const row of daily.rows) {
    const entry = byDay.get(row.day);
    if (entry) entry[row.type] = Number(row.n);
  }
  return {
    events24h: Number(c.events),
    errors24h: Number(c.errors),
    subjects: Number(c.subjects),
    openRequests: Number(c.open),
    overdueRequests: Number(c.overdue),
    activeKeys: Number(c.keys),
    daily: [...byDay.values()],
  };
}
