import type { Classification } from "../db/generated/enums";
import type { StorableEvent } from "../ingest/normalize";
import type { CompiledRule } from "./compiled-rule";
import type { DetectorName } from "./detector-types";
import { DETECTORS, findAll, ID_SECRET_DETECTORS, SECRET_DETECTORS } from "./detectors";
import { maxLevel } from "./levels";
import type { RuleRegex } from "./rule-regex";
import { collectSlots, type Slot } from "./slots";

// Classifies and redacts one event. Whatever the rules say, credentials (private keys, tokens,
// provider keys, labelled secrets, values of fields named like secrets) are replaced by a marker
// first, so no rule can keep, hash or split one; then the rules run in priority order. Pure: the
// caller supplies the rules (sorted by priority) and the keyed hash.
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

/** Detector results for one text, computed once per detector while the text stays the same. */
class TextScan {
  private readonly cache = new Map<string, Span[]>();
  constructor(readonly text: string) {}

  detector(name: string): Span[] {
    let spans = this.cache.get(name);
    if (!spans) {
      spans =
        name === "secret" ? findAll(this.text, SECRET_DETECTORS) : name === "secret_id" ? findAll(this.text, ID_SECRET_DETECTORS) : name in DETECTORS ? findAll(this.text, [name as DetectorName]) : [];
      this.cache.set(name, spans);
    }
    return spans;
  }
}

function regexSpans(text: string, regex: RuleRegex): Span[] {
  return regex.spans(text).map(([start, end]) => ({ start, end, detector: null }));
}

function ruleSpans(rule: CompiledRule, slot: Slot, scan: TextScan): Span[] {
  const { text } = scan;
  if (rule.detector === "sensitive_field") return slot.sensitive ? [{ start: 0, end: text.length, detector: null }] : [];
  if (slot.sensitive) return [];
  if (!rule.regex) return rule.detector ? scan.detector(rule.detector) : [{ start: 0, end: text.length, detector: null }];
  if (!rule.detector) return regexSpans(text, rule.regex);
  const regex = rule.regex;
  return scan.detector(rule.detector).filter((s) => regex.test(text.slice(s.start, s.end)));
}

/** Object keys are text too: a key that holds a credential is renamed `[REDACTED_KEY]`, `[REDACTED_KEY_2]`, … */
function hideSecretKeys(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  let found = false;
  if (Array.isArray(value)) {
    for (const item of value) found = hideSecretKeys(item) || found;
    return found;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    found = hideSecretKeys(record[key]) || found;
    if (findAll(key, SECRET_DETECTORS).length === 0) continue;
    const name = (n: number) => `[REDACTED_KEY${n === 1 ? "" : `_${n}`}]`;
    let n = 1;
    while (name(n) in record) n++;
    record[name(n)] = record[key];
    delete record[key];
    found = true;
  }
  return found;
}

/** A copy of JSON-shaped data (what payloads are), much cheaper than structuredClone. */
function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = cloneJson((value as Record<string, unknown>)[key]);
  return out as T;
}

// Field paths repeat from event to event; remember each rule's answer for the common ones.
const PATH_MEMO_LIMIT = 2000;
const pathMemo = new WeakMap<CompiledRule, Map<string, boolean>>();

function pathMatches(rule: CompiledRule, path: string): boolean {
  let memo = pathMemo.get(rule);
  if (!memo) pathMemo.set(rule, (memo = new Map()));
  let hit = memo.get(path);
  if (hit === undefined) {
    hit = rule.path!.test(path);
    if (memo.size < PATH_MEMO_LIMIT) memo.set(path, hit);
  }
  return hit;
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
  const event: StorableEvent = { ...input, genAi: { ...input.genAi }, http: { ...input.http }, payload: cloneJson(input.payload) };
  const keyedSecrets = hideSecretKeys(event.payload);
  const slots = collectSlots(event);
  let level: Classification = keyedSecrets ? "restricted" : (options.baseLevel ?? "internal");
  const categories = new Set<string>(keyedSecrets ? [SECRET_CATEGORY] : []);
  const hits: RuleHit[] = [];

  const hashSpan = (span: Span, value: string) => `[${span.detector ? markerName(span) : "HASH"}:${options.hash(value)}]`;

  for (const slot of slots) {
    let value = slot.get();
    if (value === undefined || value === null) continue;
    let scan = new TextScan(typeof value === "string" ? value : JSON.stringify(value));
    const update = (next: string) => {
      slot.set(next);
      value = next;
      scan = new TextScan(next);
    };
    // Secrets first, whatever the rules say: no rule ever sees, hashes or splits one.
    if (!slot.sensitive && typeof value === "string") {
      const secrets = scan.detector(slot.id ? "secret_id" : "secret");
      if (secrets.length > 0) {
        update(replaceSpans(scan.text, secrets, (sp) => `[${markerName(sp)}]`));
        level = "restricted";
        for (const sp of secrets) if (sp.detector) categories.add(DETECTORS[sp.detector].category);
      }
    }
    if (slot.ruled) {
      for (const rule of rules) {
        if (rule.eventType && rule.eventType !== event.type) continue;
        if (rule.path && !pathMatches(rule, slot.path)) continue;
        const spans = ruleSpans(rule, slot, scan);
        if (spans.length === 0) continue;
        hits.push({ rule: rule.name, path: slot.path, action: rule.action });
        level = maxLevel(level, rule.level);
        for (const c of rule.categories) categories.add(c);
        if (rule.categories.length === 0) for (const s of spans) if (s.detector) categories.add(DETECTORS[s.detector].category);
        if (rule.action === "drop_event") return { kind: "dropped", rule: rule.name, hits };
        if (rule.action === "drop_field") {
          slot.remove();
          value = undefined;
          break;
        }
        if (rule.action === "redact") update(replaceSpans(scan.text, spans, (sp) => `[${markerName(sp)}]`));
        if (rule.action === "hash") update(replaceSpans(scan.text, spans, hashSpan));
      }
    }
    // A value under a key named like a secret is never stored, whatever the rules did with it.
    if (slot.sensitive && value !== undefined && value !== null) {
      slot.set(SECRET_MARKER);
      level = "restricted";
      categories.add(SECRET_CATEGORY);
    }
  }

  return { kind: "stored", event, classification: level, categories: [...categories].sort(), hits };
}
