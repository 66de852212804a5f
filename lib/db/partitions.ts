import "server-only";
import type pg from "pg";

// system_logs has one partition per UTC day (see the init migration). Keep a week ahead ready so
// ingestion never waits on DDL; ingest also calls ensureDay for back-dated events.
export const DAYS_AHEAD = 7;

export async function ensureLogPartitions(pool: pg.Pool | pg.Client, from: Date, to: Date): Promise<number> {
  const { rows } = await pool.query<{ created: number }>(
    "SELECT clearlog_ensure_log_partitions($1::date, $2::date) AS created",
    [from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)],
  );
  return rows[0]?.created ?? 0;
}

export async function ensureUpcomingPartitions(pool: pg.Pool | pg.Client, now = new Date()): Promise<number> {
  const yesterday = new Date(now.getTime() - 86_400_000);
  const ahead = new Date(now.getTime() + DAYS_AHEAD * 86_400_000);
  return ensureLogPartitions(pool, yesterday, ahead);
}
