import "server-only";
import { database } from "../db/client";
import { identifiers, rows, sql } from "../db/sql";
import { ALL_COLUMNS, type LogColumn, type StoredRow } from "./columns";
import type { EventSummary } from "./query";

// One stored event in full, for the explorer's drawer, with the other events of its session. Every
// column of the column table except the API key id (an internal reference); times as ISO strings.
type DetailColumn = Exclude<LogColumn, "api_key_id">;
const DETAIL_COLUMNS = ALL_COLUMNS.filter((c): c is DetailColumn => c !== "api_key_id");
type Shown<T> = T extends Date ? string : T;

export interface EventDetail {
  event: { [K in DetailColumn]: Shown<StoredRow[K]> };
  session: Pick<EventSummary, "eventId" | "occurredAt" | "type" | "severity" | "name">[];
}

export async function eventDetail(eventId: string, occurredAt: Date): Promise<EventDetail | null> {
  const { pool } = database();
  const [row] = await rows<StoredRow<DetailColumn>>(
    pool,
    sql`SELECT ${identifiers(DETAIL_COLUMNS)} FROM system_logs WHERE event_id = ${eventId} AND occurred_at = ${occurredAt}`,
  );
  if (!row) return null;
  const event = { ...row, occurred_at: row.occurred_at.toISOString(), received_at: row.received_at.toISOString() };
  const session = row.session_id
    ? (
        await rows<StoredRow<"event_id" | "occurred_at" | "type" | "severity" | "name">>(
          pool,
          sql`SELECT event_id, occurred_at, type, severity, name FROM system_logs WHERE session_id = ${row.session_id} ORDER BY occurred_at, event_id LIMIT 100`,
        )
      ).map((r) => ({ eventId: r.event_id, occurredAt: r.occurred_at.toISOString(), type: r.type, severity: r.severity, name: r.name }))
    : [];
  return { event, session };
}
