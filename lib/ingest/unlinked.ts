import { SUBJECT_MARKER, withFingerprint, type StorableEvent } from "./normalize";

// What an event loses when it is stored without its subject (no consent for its purpose,
// lib/ingest/consent-policy.ts). Erasure finds a person's rows by pseudonym only, so an unlinked
// event must keep nothing that names the person, or it would outlive their erasure:
//   - the application's user id, and the session and conversation ids the person's events of the
//     same batch carry, wherever they occur as a whole token in a string (every text column and every payload string, object keys included),
//     and JSON numbers equal to one of them, become [SUBJECT], [SESSION], [CONVERSATION];
//   - every keyed token the `hash` rule action left (`[EMAIL:3f2a9c0d1b4e]`) loses its key part
//     (`[EMAIL]`). A token is a keyed hash of a value with no owner attached, so the person's own
//     tokens (their e-mail, their id when it looks like an e-mail) cannot be told from others'; all
//     of them go. An unlinked event is kept for the product's counts, which need no joins.
// Whole token: the characters either side of an occurrence are not letters, digits or `_` (where the
// id itself begins or ends with one), so the id `ann` leaves `annual` alone but `ann.` or `user ann`
// is scrubbed. Ids of any length are scrubbed, a one-character id as well: a false positive costs a
// word of an already unlinked event, a false negative would keep the person in it. Matching is exact
// (case-sensitive), as user ids are. The error fingerprint is computed again from the scrubbed text.
// Only unlinked events pay for this; events stored with their subject are not walked.

export const SESSION_MARKER = "[SESSION]";
export const CONVERSATION_MARKER = "[CONVERSATION]";

/** What names the person: their user ids (one, in practice), sessions and conversations. */
export interface PersonIds {
  subjects: readonly string[];
  sessionIds: readonly string[];
  conversationIds: readonly string[];
}

interface Needle {
  value: string;
  marker: string;
  /** whether the value begins / ends with a word character, so a boundary is needed on that side */
  wordStart: boolean;
  wordEnd: boolean;
}

const WORD_END = /[\p{L}\p{N}\p{M}_]$/u;
const WORD_START = /^[\p{L}\p{N}\p{M}_]/u;
/** `[NAME:` twelve hex digits `]`, what lib/classify/engine.ts writes for the `hash` action. */
const HASH_TOKEN = /\[([A-Z][A-Z0-9_]*):[0-9a-f]{12}\]/g;

function needlesOf(ids: PersonIds): Needle[] {
  const out: Needle[] = [];
  const pairs = [
    ...ids.subjects.map((v) => [v, SUBJECT_MARKER] as const),
    ...ids.sessionIds.map((v) => [v, SESSION_MARKER] as const),
    ...ids.conversationIds.map((v) => [v, CONVERSATION_MARKER] as const),
  ];
  for (const [value, marker] of pairs) {
    if (!value || out.some((n) => n.value === value)) continue;
    out.push({ value, marker, wordStart: WORD_START.test(value), wordEnd: WORD_END.test(value) });
  }
  // Longest first, so a session id that contains the user id is replaced as a whole.
  return out.sort((a, b) => b.value.length - a.value.length);
}

function replaceWhole(text: string, n: Needle): string {
  let at = text.indexOf(n.value);
  if (at === -1) return text;
  let out = "";
  let from = 0;
  while (at !== -1) {
    const end = at + n.value.length;
    const bounded = (!n.wordStart || !WORD_END.test(text.slice(Math.max(0, at - 2), at))) && (!n.wordEnd || !WORD_START.test(text.slice(end, end + 2)));
    if (bounded) {
      out += text.slice(from, at) + n.marker;
      from = end;
      at = text.indexOf(n.value, end);
    } else {
      at = text.indexOf(n.value, at + 1);
    }
  }
  return out + text.slice(from);
}

/** A string without the person's ids (whole tokens) and without keyed hash tokens. */
function scrubText(text: string, needles: readonly Needle[]): string {
  let out = text;
  for (const n of needles) out = replaceWhole(out, n);
  if (out.includes(":") && out.includes("[")) out = out.replace(HASH_TOKEN, "[$1]");
  return out;
}

function scrubValue(value: unknown, needles: readonly Needle[]): unknown {
  if (typeof value === "string") return scrubText(value, needles);
  if (typeof value === "number") {
    const text = String(value);
    return needles.find((n) => n.value === text)?.marker ?? value;
  }
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, needles));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    let name = scrubText(key, needles);
    if (name !== key) {
      // A key that became a name another key has: numbered, as secret keys are.
      const base = name;
      for (let i = 2; Object.hasOwn(out, name) || Object.hasOwn(value, name); i++) name = `${base}_${i}`;
    }
    out[name] = scrubValue(v, needles);
  }
  return out;
}

const orNull = (text: string | null, needles: readonly Needle[]) => (text === null ? null : scrubText(text, needles));

/** A text and a JSON value without the person's ids and keyed tokens (retention's anonymization uses it too). */
export function personScrubber(ids: PersonIds): { text: (t: string | null) => string | null; json: (v: unknown) => unknown } {
  const needles = needlesOf(ids);
  return { text: (t) => orNull(t, needles), json: (v) => scrubValue(v, needles) };
}

/** The event as it is stored without its subject: links cleared, ids and hash tokens scrubbed. */
export function unlinkedEvent(event: StorableEvent, ids: PersonIds): StorableEvent {
  const needles = needlesOf(ids);
  const scrubbed: StorableEvent = {
    ...event,
    name: scrubText(event.name, needles),
    message: orNull(event.message, needles),
    component: orNull(event.component, needles),
    subject: null,
    sessionId: null,
    userAgent: orNull(event.userAgent, needles),
    genAi: { ...event.genAi, conversationId: null, provider: orNull(event.genAi.provider, needles), model: orNull(event.genAi.model, needles), operation: orNull(event.genAi.operation, needles) },
    http: { ...event.http, method: orNull(event.http.method, needles), route: orNull(event.http.route, needles) },
    errorType: orNull(event.errorType, needles),
    errorFingerprint: null,
    payload: scrubValue(event.payload, needles) as Record<string, unknown>,
  };
  return withFingerprint(scrubbed);
}
