import "server-only";
import { consentOf, purposeRules } from "../consent/consent-cache";
import type { EventResult } from "@clearlog/sdk";
import type { StorableEvent } from "./normalize";
import { unlinkedEvent, type PersonIds } from "./unlinked";

// What a person decided holds at ingest: for each event, given its purpose and its subject's consent,
// store it linked, store it without any link to the subject, or do not store it. AI interactions of
// subjects without `ai_training` consent (and of no known subject) are marked excluded from training.
export interface Candidate {
  index: number;
  event: StorableEvent;
  /** the subject's pseudonym: of the event's own subject, or of its trace's (lib/ingest/trace-subjects.ts) */
  pseudonym: string | null;
  trainingExcluded: boolean;
}

/**
 * Decides in place: unlinks the events whose subject did not consent to their purpose, marks
 * training exclusions, and returns the results of the events that must not be stored.
 */
export async function applyConsent(candidates: Candidate[]): Promise<Map<number, EventResult>> {
  const decided = new Map<number, EventResult>();
  const purposes = await purposeRules();
  const subjects = [...new Set(candidates.filter((c) => c.pseudonym).map((c) => c.pseudonym!))];
  const consent = subjects.length > 0 ? await consentOf(subjects) : new Map();
  const toUnlink: Candidate[] = [];
  for (const c of candidates) {
    const { event } = c;
    const purpose = event.purpose ?? "essential";
    const rule = purposes.get(purpose);
    if (!rule) {
      decided.set(c.index, { id: event.eventId, status: "rejected", field: `events[${c.index}].purpose`, reason: `is not a configured purpose (${[...purposes.keys()].join(", ")})` });
      continue;
    }
    c.trainingExcluded = event.type === "ai_interaction";
    if (!c.pseudonym) continue;
    const state = consent.get(c.pseudonym);
    if (!state) continue;
    if (state.restricted && purpose !== "essential") {
      decided.set(c.index, { id: event.eventId, status: "dropped", reason: "the subject has restricted processing" });
      continue;
    }
    if (!state.granted.has(purpose)) {
      if (rule.dropUnconsented) {
        decided.set(c.index, { id: event.eventId, status: "dropped", reason: `no consent for ${purpose}` });
        continue;
      }
      toUnlink.push(c);
      continue;
    }
    if (event.type === "ai_interaction") c.trainingExcluded = !state.granted.has("ai_training");
  }
  if (toUnlink.length > 0) unlink(candidates, toUnlink);
  return decided;
}

/**
 * Kept for the product, without any link to the person nor anything that names them
 * (lib/ingest/unlinked.ts). What names them is known from the whole batch: a span that took its
 * subject from its trace carries no user id, and a person's other events bring their sessions and
 * conversations. Only batches with events to unlink pay for this.
 */
function unlink(candidates: readonly Candidate[], toUnlink: readonly Candidate[]): void {
  const known = new Map<string, { subjects: string[]; sessionIds: string[]; conversationIds: string[] }>();
  for (const c of candidates) {
    if (!c.pseudonym) continue;
    const ids = known.get(c.pseudonym) ?? { subjects: [], sessionIds: [], conversationIds: [] };
    known.set(c.pseudonym, ids);
    const add = (list: string[], value: string | null) => {
      if (value && !list.includes(value)) list.push(value);
    };
    add(ids.subjects, c.event.subject);
    add(ids.sessionIds, c.event.sessionId);
    add(ids.conversationIds, c.event.genAi.conversationId);
  }
  for (const c of toUnlink) {
    const ids: PersonIds = known.get(c.pseudonym!)!;
    c.event = unlinkedEvent(c.event, ids);
    c.pseudonym = null;
  }
}
