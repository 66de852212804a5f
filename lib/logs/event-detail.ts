import "server-only";
import { database } from "../db/client";
import type { EventSummary } from "./query";

// One stored event in full, for the explorer's drawer, with the other events of its session.
export interface EventDetail {
  event: Record<string, unknown> & { event_id: string; occurred_at: string; payload: unknown };
  session: Pick<EventSummary, "eventId" | "occurredAt" | "type" | "severity" | "name">[];
}

export async function eventDetail(eventId: string, occurredAt: Date): Promise<EventDetail | null> {
  const { pool } = database();
  // Every stored column except the search vector (derived) and the API key id (an internal reference).
  const { rows } = await pool.query<{ e: EventDetail["event"] }>(
    `SELECT to_jsonb(l) - 'search_vector' - 'api_key_id' AS e FROM system_logs l WHERE event_id = $1 AND occurred_at = $2`,
    [eventId, occurredAt],
  );
  const event = rows[0]?.e;
  if (!event) return null;
  const sessionId = event.session_id as string | null;
  const session = sessionId
    ? (
        await pool.query<{ event_id: string; occurred_at: Date; type: string; severity: string; name: string }>(
          `SELECT event_id, occurred_at, type::text, severity::text, name FROM system_logs WHERE session_id = $1 ORDER BY occurred_at, event_id LIMIT 100`,
          [sessionId],
        )
      ).rows.map((r) => ({ eventId: r.event_id, occurredAt: r.occurred_at.toISOString(), type: r.type, severity: r.severity, name: r.name }))
    : [];
  return { event, session };
}
