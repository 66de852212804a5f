import "server-only";
import type { Queryable } from "../db/sql";
import { consentOf } from "../consent/consent-cache";
import { database } from "../db/client";
import type { Candidate } from "./consent-policy";
import type { StorableEvent } from "./normalize";

// Subjects follow the trace. A user id on any span of a trace (user.id, enduser.id, the AI SDK's
// metadata.userId, OpenAI's `user`, a resource's enduser.id) applies to every span of that trace:
//   - within one export, at once;
//   - across exports, through `trace_subjects`, for TRACE_WINDOW_MS after the trace was last seen:
//     a later span without a user id takes the trace's pseudonym and session; spans stored before the
//     user id arrived are linked when it does (their time range is kept in the same row).
// An expired row counts as absent (the next span starts the trace afresh). A table rather than process memory, because several server processes share nothing else. Consent
// applies to every span as if it had carried the id itself (lib/ingest/consent-policy.ts): linking
// later is done only for the purposes the subject consented to. Erasure deletes the rows of a
// pseudonym (lib/privacy/subject-data.ts); the hourly maintenance drops expired ones.
export const TRACE_WINDOW_MS = 30 * 60_000;

const TRACE_ID = /^[0-9a-f]{32}$/;

export function traceIdOf(event: StorableEvent): string | null {
  const attrs = event.payload.attributes as Record<string, unknown> | undefined;
  const id = attrs?.trace_id;
  return typeof id === "string" && TRACE_ID.test(id) ? id : null;
}

interface Known {
  pseudonym: string;
  sessionId: string | null;
}

/**
 * Gives every candidate without a subject the subject of its trace: from another span of the same
 * export, else from `trace_subjects`. Runs before consent is applied.
 */
export async function inheritTraceSubjects(candidates: Candidate[], now: Date): Promise<void> {
  const byTrace = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const trace = traceIdOf(c.event);
    if (!trace) continue;
    const list = byTrace.get(trace) ?? [];
    list.push(c);
    byTrace.set(trace, list);
  }
  if (byTrace.size === 0) return;
  const known = new Map<string, Known>();
  for (const [trace, list] of byTrace) {
    const carrier = list.find((c) => c.pseudonym);
    if (carrier) known.set(trace, { pseudonym: carrier.pseudonym!, sessionId: list.find((c) => c.event.sessionId)?.event.sessionId ?? null });
  }
  const missing = [...byTrace.keys()].filter((t) => !known.has(t) && byTrace.get(t)!.some((c) => !c.pseudonym));
  if (missing.length > 0) {
    const { rows } = await database().pool.query<{ trace_id: string; subject_pseudonym: string; session_id: string | null }>(
      "SELECT trace_id, subject_pseudonym, session_id FROM trace_subjects WHERE trace_id = ANY($1) AND subject_pseudonym IS NOT NULL AND expires_at > $2",
      [missing, now],
    );
    for (const r of rows) known.set(r.trace_id, { pseudonym: r.subject_pseudonym, sessionId: r.session_id });
  }
  for (const [trace, list] of byTrace) {
    const k = known.get(trace);
    if (!k) continue;
    for (const c of list) {
      if (c.pseudonym) continue;
      c.pseudonym = k.pseudonym;
      c.event.sessionId ??= k.sessionId;
    }
  }
}

interface TraceUpdate {
  trace: string;
  pseudonym: string | null;
  sessionId: string | null;
  unlinkedFrom: Date | null;
  unlinkedTo: Date | null;
}

/** What the stored events say about each trace: its subject, or the time range of its unlinked spans. */
function updatesOf(stored: readonly Candidate[]): TraceUpdate[] {
  const out = new Map<string, TraceUpdate>();
  for (const c of stored) {
    const trace = traceIdOf(c.event);
    if (!trace) continue;
    const u = out.get(trace) ?? { trace, pseudonym: null, sessionId: null, unlinkedFrom: null, unlinkedTo: null };
    out.set(trace, u);
    u.sessionId ??= c.event.sessionId;
    if (c.pseudonym) u.pseudonym ??= c.pseudonym;
    else {
      const at = c.event.occurredAt;
      if (!u.unlinkedFrom || at < u.unlinkedFrom) u.unlinkedFrom = at;
      if (!u.unlinkedTo || at > u.unlinkedTo) u.unlinkedTo = at;
    }
  }
  return [...out.values()];
}

interface TraceRow {
  trace_id: string;
  subject_pseudonym: string;
  session_id: string | null;
  unlinked_from: Date;
  unlinked_to: Date;
}

/** Links the spans stored without a subject in a trace's range, for the purposes the subject consented to. */
async function linkUnlinked(client: Queryable, pending: TraceRow[]): Promise<void> {
  const consent = await consentOf([...new Set(pending.map((p) => p.subject_pseudonym))]);
  for (const p of pending) {
    const state = consent.get(p.subject_pseudonym);
    if (!state) continue;
    const purposes = [...state.granted].filter((purpose) => !state.restricted || purpose === "essential");
    await client.query(
      `UPDATE system_logs
          SET subject_pseudonym = $1,
              session_id = COALESCE(session_id, $2),
              training_excluded = CASE WHEN type = 'ai_interaction' THEN $3 ELSE training_excluded END
        WHERE occurred_at BETWEEN $4 AND $5 AND subject_pseudonym IS NULL
          AND payload #>> '{attributes,trace_id}' = $6 AND purpose = ANY($7)`,
      [p.subject_pseudonym, p.session_id, !state.granted.has("ai_training"), p.unlinked_from, p.unlinked_to, p.trace_id, purposes],
    );
  }
}

/**
 * In the ingest transaction: merges the batch into each trace's row and links what the merged row
 * says can be linked. The upsert takes the row's lock and, when another batch of the same trace is
 * being stored at the same moment, waits for it and merges with what it committed; so the subject and
 * the unlinked range always meet in one of the two transactions, whichever order the exports of a
 * trace's spans arrive or overlap in (an SDK's SimpleSpanProcessor sends a parent's span while its
 * child's is still in flight).
 */
export async function recordTraceSubjects(client: Queryable, stored: readonly Candidate[], now: Date): Promise<void> {
  const updates = updatesOf(stored);
  if (updates.length === 0) return;
  const { rows } = await client.query<TraceRow>(
    `INSERT INTO trace_subjects AS t (trace_id, subject_pseudonym, session_id, unlinked_from, unlinked_to, expires_at)
     SELECT u.trace_id, u.pseudonym, u.session_id, u.f, u.l, $6
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS u(trace_id, pseudonym, session_id, f, l)
     ORDER BY u.trace_id
     ON CONFLICT (trace_id) DO UPDATE SET
       subject_pseudonym = CASE WHEN t.expires_at > $7 THEN COALESCE(t.subject_pseudonym, EXCLUDED.subject_pseudonym) ELSE EXCLUDED.subject_pseudonym END,
       session_id = CASE WHEN t.expires_at > $7 THEN COALESCE(t.session_id, EXCLUDED.session_id) ELSE EXCLUDED.session_id END,
       unlinked_from = CASE WHEN t.expires_at > $7 THEN LEAST(t.unlinked_from, EXCLUDED.unlinked_from) ELSE EXCLUDED.unlinked_from END,
       unlinked_to = CASE WHEN t.expires_at > $7 THEN GREATEST(t.unlinked_to, EXCLUDED.unlinked_to) ELSE EXCLUDED.unlinked_to END,
       expires_at = EXCLUDED.expires_at
     RETURNING trace_id, subject_pseudonym, session_id, unlinked_from, unlinked_to`,
    [
      updates.map((u) => u.trace),
      updates.map((u) => u.pseudonym),
      updates.map((u) => u.sessionId),
      updates.map((u) => u.unlinkedFrom),
      updates.map((u) => u.unlinkedTo),
      new Date(now.getTime() + TRACE_WINDOW_MS),
      now,
    ],
  );
  const pending = rows.filter((r) => r.subject_pseudonym && r.unlinked_from).sort((a, b) => a.trace_id.localeCompare(b.trace_id));
  if (pending.length === 0) return;
  await linkUnlinked(client, pending);
  // Linked (or, for purposes without consent, deliberately left unlinked): nothing is pending any more.
  await client.query("UPDATE trace_subjects SET unlinked_from = NULL, unlinked_to = NULL WHERE trace_id = ANY($1)", [pending.map((p) => p.trace_id)]);
}

/** Hourly maintenance: forget traces whose window has passed. */
export async function deleteExpiredTraceSubjects(now = new Date()): Promise<number> {
  const { rowCount } = await database().pool.query("DELETE FROM trace_subjects WHERE expires_at <= $1", [now]);
  return rowCount ?? 0;
}
