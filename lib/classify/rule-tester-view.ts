import type { Classification } from "../db/generated/enums";
import { toEventRow } from "../ingest/event-row";
import type { StorableEvent } from "../ingest/normalize";
import type { DetectorName } from "./detector-types";
import { DETECTORS, detectorNames, findAll, SECRET_DETECTORS } from "./detectors";
import { collectSlots } from "./slots";

// What the rule tester shows of an event: which built-in detectors find something where (as markers,
// never the values), and the row as ingestion would store it.

export interface DetectorHit {
  /** a detector name, or `sensitive_field` for a value under a key named like a secret */
  detector: string;
  marker: string;
  path: string;
  count: number;
}

const SECRET_MARKER = "[SECRET]";
const NOT_SECRET = detectorNames().filter((n) => !SECRET_DETECTORS.includes(n));
const REDACTED_KEY = "[REDACTED_KEY]";

/** Walks payload keys; a key that is itself a credential is reported by the path of its parent. */
function secretKeys(value: unknown, path: string, found: (detector: DetectorName, path: string) => void): void {
  if (value === null || typeof value !== "object") return;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  for (const [key, child] of entries) {
    const keyMatches = Array.isArray(value) ? [] : findAll(key, SECRET_DETECTORS);
    const childPath = keyMatches.length > 0 ? `${path}${path ? "." : ""}${REDACTED_KEY}` : `${path}${path ? "." : ""}${key}`;
    for (const m of keyMatches) found(m.detector, childPath);
    secretKeys(child, childPath, found);
  }
}

/**
 * The detectors that find something in the event as it arrives, before any rule runs, by field path.
 * Rules act on ruled fields; typed id fields (session, model, …) only get the credential pass.
 */
export function detectorHits(event: StorableEvent): DetectorHit[] {
  const hits = new Map<string, DetectorHit>();
  const add = (detector: string, marker: string, path: string) => {
    const key = `${detector}|${path}`;
    const hit = hits.get(key);
    if (hit) hit.count++;
    else hits.set(key, { detector, marker, path, count: 1 });
  };
  const copy: StorableEvent = { ...event, genAi: { ...event.genAi }, http: { ...event.http }, payload: structuredClone(event.payload) };
  for (const slot of collectSlots(copy)) {
    const value = slot.get();
    if (value === undefined || value === null) continue;
    if (slot.sensitive) {
      add("sensitive_field", SECRET_MARKER, slot.path);
      continue;
    }
    const text = typeof value === "string" ? value : JSON.stringify(value);
    // The credential pass reads strings only; rules read numbers too (a card number sent as a number).
    const names: readonly DetectorName[] = typeof value === "string" ? (slot.ruled ? detectorNames() : SECRET_DETECTORS) : slot.ruled ? NOT_SECRET : [];
    for (const m of findAll(text, names)) add(m.detector, DETECTORS[m.detector].marker, slot.path);
  }
  secretKeys(event.payload, "", (detector, path) => add(detector, DETECTORS[detector].marker, path));
  return [...hits.values()];
}

/** The row as ingestion would write it to system_logs (empty columns left out). */
export function storedView(event: StorableEvent, classification: Classification, categories: string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {
    ...toEventRow(event, {
      classification,
      categories,
      // The subject is replaced by its keyed pseudonym; the tester does not compute it.
      subjectPseudonym: event.subject === null ? null : "(the subject's pseudonym)",
      trainingExcluded: false,
      apiKeyId: null,
    }),
    training_excluded: undefined,
    api_key_id: undefined,
  };
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined));
}
