import type { Classification } from "../db/generated/enums";
import type { StorableEvent } from "../ingest/normalize";
import type { CompiledRule } from "./compiled-rule";
import type { DetectorMatch, DetectorName } from "./detector-types";
import { DETECTORS, findAll, SECRET_DETECTORS } from "./detectors";
import { maxLevel } from "./levels";
import { collectSlots, type Slot } from "./slots";

// Applies the classification rules to one event, then the mandatory secret pass: whatever the rules
// say, credentials (private keys, tokens, provider keys, values of fields named like secrets) are
// replaced by a marker before anything is stored. Pure: the caller supplies rules and the hash key.
export interface RuleHit {
  rule: string;
  path: string;
  action: CompiledRule["action"];
}

export type ClassifyOutcome =
  | { kind: "stored"; event: StorableEvent; classification: Classification; categories: string[]; hits: RuleHit[] }
  | { kind: "dropped"; rule: string; hits: RuleHit[] };

export interface ClassifyOptions {
  /** keyed-hash function for the `hash` action: equal inputs give equal tokens */
  hash: (value: string) => string;
  baseLevel?: Classification;
}

const SECRET_MARKER = "[SECRET]";
const SECRET_CATEGORY = "system.credentials";

interface Span {
  start: number;
  end: number;
  detector: DetectorName | null;
}

function detectorSpans(text: string, detector: string): Span[] {
  if (detector === "secret") return findAll(text, SECRET_DETECTORS);
  if (detector in DETECTORS) return findAll(text, [detector as DetectorName]);
  return [];
}

function regexSpans(text: string, regex: RegExp): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(regex)) {
    if (m[0].length === 0) continue;
    spans.push({ start: m.index, end: m.index + m[0].length, detector: null });
  }
  return spans;
}

function ruleSpans(rule: CompiledRule, slot: Slot, text: string): Span[] {
  if (rule.detector === "sensitive_field") return slot.sensitive ? [{ start: 0, end: text.length, detector: null }] : [];
  if (slot.sensitive) return [];
  let spans: Span[] = rule.detector ? detectorSpans(text, rule.detector) : [{ start: 0, end: text.length, detector: null }];
  if (rule.regex) {
    const regex = rule.regex;
    spans = rule.detector
      ? spans.filter((s) => new RegExp(regex.source, regex.flags.replace("g", "")).test(text.slice(s.start, s.end)))
      : regexSpans(text, regex);
  }
  return spans;
}

function markerName(span: Span): string {
  return span.detector ? DETECTORS[span.detector].marker.slice(1, -1) : "REDACTED";
}

function replaceSpans(text: string, spans: Span[], replacement: (span: Span, value: string) => string): string {
  let out = "";
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.start < at) continue;
    out += text.slice(at, span.start) + replacement(span, text.slice(span.start, span.end));
    at = span.end;
  }
  return out + text.slice(at);
}

export function classifyEvent(input: StorableEvent, rules: readonly CompiledRule[], options: ClassifyOptions): ClassifyOutcome {
  const event: StorableEvent = structuredClone(input);
  const slots = collectSlots(event);
  let level: Classification = options.baseLevel ?? "internal";
  const categories = new Set<string>();
  const hits: RuleHit[] = [];

  for (const slot of slots) {
    if (!slot.ruled) continue;
    for (const rule of rules) {
      if (rule.eventType && rule.eventType !== event.type) continue;
      if (rule.path && !rule.path.test(slot.path)) continue;
      const value = slot.get();
      if (value === undefined || value === null) break;
      const text = typeof value === "string" ? value : JSON.stringify(value);
      const spans = ruleSpans(rule, slot, text);
      if (spans.length === 0) continue;
      hits.push({ rule: rule.name, path: slot.path, action: rule.action });
      level = maxLevel(level, rule.level);
      for (const c of rule.categories) categories.add(c);
      if (rule.categories.length === 0) for (const s of spans) if (s.detector) categories.add(DETECTORS[s.detector].category);
      if (rule.action === "drop_event") return { kind: "dropped", rule: rule.name, hits };
      if (rule.action === "drop_field") {
        slot.remove();
        break;
      }
      if (rule.action === "redact") slot.set(replaceSpans(text, spans, (s) => `[${markerName(s)}]`));
      if (rule.action === "hash") {
        // A secret is never stored in any form, not even hashed.
        slot.set(replaceSpans(text, spans, (s, v) => (s.detector && DETECTORS[s.detector].secret ? `[${markerName(s)}]` : `[${s.detector ? markerName(s) : "HASH"}:${options.hash(v)}]`)));
      }
    }
  }

  for (const slot of slots) {
    const value = slot.get();
    if (value === undefined || value === null) continue;
    if (slot.sensitive) {
      slot.set(SECRET_MARKER);
      level = "restricted";
      categories.add(SECRET_CATEGORY);
      continue;
    }
    if (typeof value !== "string") continue;
    const secrets: DetectorMatch[] = findAll(value, SECRET_DETECTORS);
    if (secrets.length === 0) continue;
    slot.set(replaceSpans(value, secrets, (s) => `[${markerName(s)}]`));
    level = "restricted";
    for (const s of secrets) categories.add(DETECTORS[s.detector].category);
  }

  return { kind: "stored", event, classification: level, categories: [...categories].sort(), hits };
}
