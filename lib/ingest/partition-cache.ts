import "server-only";
import type pg from "pg";
import { ensureLogPartitions } from "../db/partitions";

// Days whose system_logs partition this process knows to exist, so ingestion asks the database only
// for days it has not seen (a back-dated event, or the first batch after midnight).
const known = new Set<string>();

export async function ensurePartitionsFor(pool: pg.Pool, dates: Date[]): Promise<void> {
  const missing = [...new Set(dates.map((d) => d.toISOString().slice(0, 10)))].filter((day) => !known.has(day)).sort();
  for (const day of missing) {
    const date = new Date(`${day}T00:00:00Z`);
    await ensureLogPartitions(pool, date, date);
    known.add(day);
  }
}

export function forgetKnownPartitions(): void {
  known.clear();
}
