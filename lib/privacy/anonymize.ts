import "server-only";
import { hmacHex } from "../auth/tokens";
import { DETECTORS, findAll, isSensitiveFieldName } from "../classify/detectors";
import { empty, rows as query, sql, type Queryable, type Sql } from "../db/sql";
import { secret } from "../env";
import { personScrubber } from "../ingest/unlinked";

// Anonymization and pseudonymization, shared by ingest (keyed tokens), erasure and retention.
//
// Pseudonymize: a keyed HMAC-SHA256 of the value under a domain, so equal values stay joinable and
// the same value gives different tokens in different domains. The key is CLEARLOG_SECRET; see
// docs/privacy.md for rotating it.
//
// Anonymize: an event loses everything that ties it to a person: the subject pseudonym, the
// session, the conversation id; its free text (message, payload strings) goes through the
// classifier's detectors and field names, so what remains is the shape of what happened.

export type TokenDomain = "subject" | "hash";

export function pseudonymize(domain: TokenDomain, value: string, key: string = secret()): string {
  return hmacHex(key, `${domain}:${value}`);
}

/** What the `hash` rule action leaves in place of a value: a short keyed token, equal for equal values. */
export function hashToken(key: string = secret()): (value: string) => string {
  return (value) => pseudonymize("hash", value, key).slice(0, 12);
}

const REDACTED = "[REDACTED]";

/** Every detector match replaced by its marker (`[EMAIL]`, `[CARD]`, …). */
export function redactText(text: string): string {
  const matches = findAll(text);
  if (matches.length === 0) return text;
  let out = "";
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + DETECTORS[m.detector].marker;
    at = m.end;
  }
  return out + text.slice(at);
}

/** A JSON value with every string redacted and the values of secret-named fields replaced. */
export function redactJson(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSensitiveFieldName(k) ? REDACTED : redactJson(v)]));
  }
  return value;
}

/** The columns of `system_logs` that link an event to a person; anonymization clears all of them. */
export const EVENT_LINK_COLUMNS = ["subject_pseudonym", "session_id", "gen_ai_conversation_id"] as const;

export interface AnonymizableEvent {
  message: string | null;
  payload: unknown;
  /** the application's user id behind the pseudonym, while the subject is known */
  external_id?: string | null;
  session_id?: string | null;
  gen_ai_conversation_id?: string | null;
}

/**
 * The event without its links; its text loses what names the person as an unlinked event's does at
 * ingest (lib/ingest/unlinked.ts: their ids as whole tokens, keyed hash tokens) and what the detectors find.
 */
export function anonymizeEvent<E extends AnonymizableEvent>(event: E): E & Record<(typeof EVENT_LINK_COLUMNS)[number], null> {
  const list = (v: string | null | undefined) => (v ? [v] : []);
  const scrub = personScrubber({ subjects: list(event.external_id), sessionIds: list(event.session_id), conversationIds: list(event.gen_ai_conversation_id) });
  return {
    ...event,
    message: event.message === null ? null : redactText(scrub.text(event.message)!),
    payload: redactJson(scrub.json(event.payload)),
    subject_pseudonym: null,
    session_id: null,
    gen_ai_conversation_id: null,
  };
}

export interface EventSelection {
  /** events that occurred before this instant */
  before: Date;
  classification?: string;
  type?: string;
  /** leave events of these types alone (they have a policy of their own) */
  excludeTypes?: string[];
  /** leave these people's events alone (held by an open access request) */
  exceptSubjects?: string[];
}

/**
 * Anonymizes the selected events in place, in batches (keyset over the primary key), each batch in
 * its own statement so a long run never holds one huge transaction. Returns how many rows changed.
 * Rows already anonymous (no link left) are skipped, so a second run changes nothing.
 */
export async function anonymizeEvents(pool: Queryable, selection: EventSelection, batchSize = 2000, onBatch?: (done: number) => void): Promise<number> {
  let done = 0;
  let after: { occurredAt: Date; eventId: string } | null = null;
  const where = sql`occurred_at < ${selection.before}
    ${selection.classification ? sql`AND classification = ${selection.classification}::"Classification"` : empty}
    ${selection.type ? sql`AND type = ${selection.type}::"EventType"` : empty}
    AND (subject_pseudonym IS NOT NULL OR session_id IS NOT NULL OR gen_ai_conversation_id IS NOT NULL)
    AND NOT (type::text = ANY(${selection.excludeTypes ?? []}::text[]))
    AND (subject_pseudonym IS NULL OR NOT (subject_pseudonym = ANY(${selection.exceptSubjects ?? []}::text[])))`;
  for (;;) {
    const keyset: Sql = after ? sql`AND (occurred_at, event_id) > (${after.occurredAt}, ${after.eventId})` : empty;
    const rows: (AnonymizableEvent & { event_id: string; occurred_at: Date })[] = await query(
      pool,
      sql`SELECT l.event_id, l.occurred_at, l.message, l.payload, l.session_id, l.gen_ai_conversation_id, s.external_id
            FROM system_logs l LEFT JOIN subjects s ON s.pseudonym = l.subject_pseudonym
           WHERE ${where} ${keyset} ORDER BY occurred_at, event_id LIMIT ${batchSize}`,
    );
    if (rows.length === 0) return done;
    // The user id read to scrub the text goes no further.
    const anonymized = rows.map((r) => ({ ...anonymizeEvent(r), external_id: undefined }));
    await query(
      pool,
      sql`UPDATE system_logs l SET message = a.message, payload = a.payload, subject_pseudonym = NULL, session_id = NULL, gen_ai_conversation_id = NULL
            FROM jsonb_to_recordset(${JSON.stringify(anonymized)}::jsonb) AS a(event_id text, occurred_at timestamptz, message text, payload jsonb)
           WHERE l.event_id = a.event_id AND l.occurred_at = a.occurred_at`,
    );
    done += rows.length;
    onBatch?.(done);
    const last = rows[rows.length - 1]!;
    after = { occurredAt: last.occurred_at, eventId: last.event_id };
  }
}
