import "server-only";
import { database } from "../db/client";
import { flushIntakeRefusals, INTAKE_REASONS, type IntakeReason } from "../ingest/intake-refusals";
import type { RangeWindow } from "./range";

// What applications sent and Clearlog did not store over the dashboard's range, per API key and
// reason (intake_refusals, hourly rows): no exporter's "success" can hide a loss from the admins.
export interface IntakeRefusalRow {
  keyName: string;
  keyPrefix: string;
  reason: IntakeReason;
  description: string;
  records: number;
  requests: number;
  lastAt: string;
}

export async function loadIntakeRefusals(window: RangeWindow): Promise<IntakeRefusalRow[]> {
  await flushIntakeRefusals();
  const { rows } = await database().pool.query<{ name: string; prefix: string; reason: IntakeReason; records: string; requests: string; last_at: Date }>(
    `SELECT k.name, k.prefix, r.reason, sum(r.records)::bigint AS records, sum(r.requests)::bigint AS requests, max(r.last_at) AS last_at
       FROM intake_refusals r JOIN api_keys k ON k.id = r.api_key_id
      WHERE r.hour >= $1 AND r.hour < $2
      GROUP BY k.name, k.prefix, r.reason
      ORDER BY sum(r.records) DESC, sum(r.requests) DESC, k.prefix, r.reason
      LIMIT 50`,
    [window.since, window.until],
  );
  return rows.map((r) => ({
    keyName: r.name,
    keyPrefix: r.prefix,
    reason: r.reason,
    description: INTAKE_REASONS[r.reason] ?? r.reason,
    records: Number(r.records),
    requests: Number(r.requests),
    lastAt: r.last_at.toISOString(),
  }));
}
