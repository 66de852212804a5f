import { compileRule, type CompiledRule, type RuleRow } from "../lib/classify/compiled-rule";
import { DEFAULT_RULES } from "../lib/classify/default-rules";
import { classifyEvent } from "../lib/classify/engine";
import { compileRuleRegex, type RuleRegex } from "../lib/classify/rule-regex";
import { wireEventSchema } from "../lib/ingest/event-schema";
import { toStorable, type StorableEvent } from "../lib/ingest/normalize";
import { hashToken } from "../lib/privacy/anonymize";
import { benchEvents } from "./ingest-events";
import { median, printTable } from "./stats";

// npm run bench:regex [events=20000] [runs=7]
// re2 (the native addon) is not a dependency: it builds from C++ for minutes on install. To include
// it: `npm install --no-save re2@1.24.1` (npm must be allowed to run its install script), then run.
// Classifies the same realistic batch (bench/ingest-events.ts, validated and normalised as ingest
// does) with the default rules plus a few admin regex rules, the admin regexes compiled by each
// engine in turn: JavaScript RegExp (before), re2 (RE2 in C++, a native addon) and re2js (RE2 ported
// to JavaScript, what ingestion runs). The engines take turns within every run, so they share the
// machine's conditions. The built-in detectors run on RegExp in every case; only the rule regexes
// change. Then single patterns that are slow for one engine or another, on long texts.
const N = Number(process.argv[2] ?? 20_000);
const RUNS = Number(process.argv[3] ?? 7);

/** Rules an admin adds: ids, hosts, order numbers, a route and model filter, a detector narrowed by a regex. */
const ADMIN_RULES: Omit<RuleRow, "id" | "priority">[] = [
  { name: "Customer ids", matchEventType: null, matchFieldPath: null, matchRegex: String.raw`\bcus_[A-Za-z0-9]{8,32}\b`, matchDetector: null, level: "confidential", categories: ["user.id.customer"], action: "hash" },
  { name: "Order numbers", matchEventType: null, matchFieldPath: null, matchRegex: String.raw`\bORD-\d{6,10}\b`, matchDetector: null, level: "internal", categories: ["user.commerce.order"], action: "classify_only" },
  { name: "Internal hosts", matchEventType: null, matchFieldPath: null, matchRegex: String.raw`[a-z0-9-]+\.corp\.example\.com`, matchDetector: null, level: "internal", categories: ["system.network.host"], action: "redact" },
  { name: "Badge numbers", matchEventType: null, matchFieldPath: "attributes.*", matchRegex: String.raw`\b[A-Z]{2}\d{6}\b`, matchDetector: null, level: "confidential", categories: ["user.id.badge"], action: "redact" },
  { name: "Project routes", matchEventType: "api_request", matchFieldPath: "http.route", matchRegex: "^/api/projects(/|$)", matchDetector: null, level: "internal", categories: ["system.api.projects"], action: "classify_only" },
  { name: "Large models", matchEventType: "ai_interaction", matchFieldPath: "gen_ai.*", matchRegex: "gpt-4o(-mini)?", matchDetector: null, level: "confidential", categories: ["system.ai.model"], action: "classify_only" },
  { name: "Type errors", matchEventType: null, matchFieldPath: "message", matchRegex: String.raw`(Type|Reference)Error: .{0,200}undefined`, matchDetector: null, level: "internal", categories: ["system.error.type"], action: "classify_only" },
  { name: "Company emails", matchEventType: null, matchFieldPath: null, matchRegex: String.raw`@example\.com$`, matchDetector: "email", level: "confidential", categories: ["user.contact.work_email"], action: "hash" },
];

const RULE_ROWS: RuleRow[] = [
  ...[...DEFAULT_RULES].sort((a, b) => a.priority - b.priority).map((r, i) => ({
    id: `default-${i}`,
    name: r.name,
    priority: r.priority,
    matchEventType: r.matchEventType ?? null,
    matchFieldPath: r.matchFieldPath ?? null,
    matchRegex: r.matchRegex ?? null,
    matchDetector: r.matchDetector ?? null,
    level: r.level,
    categories: r.categories,
    action: r.action,
  })),
  ...ADMIN_RULES.map((r, i) => ({ ...r, id: `admin-${i}`, priority: 200 + i * 10 })),
];

type Engine = (pattern: string) => RuleRegex;

interface Re2 {
  lastIndex: number;
  exec(text: string): RegExpExecArray | null;
  test(text: string): boolean;
}
type Re2Constructor = new (pattern: string, flags: string) => Re2;

/** The re2 addon if it is installed, else null. */
async function loadRe2(): Promise<Re2Constructor | null> {
  const name = "re2";
  try {
    return ((await import(name)) as { default: Re2Constructor }).default;
  } catch {
    return null;
  }
}

function re2Engine(RE2: Re2Constructor): Engine {
  return (pattern) => {
    const all = new RE2(pattern, "gu");
    const one = new RE2(pattern, "u");
    return {
      source: pattern,
      spans: (text) => {
        const out: [number, number][] = [];
        all.lastIndex = 0;
        for (let m = all.exec(text); m; m = all.exec(text)) {
          if (m[0].length === 0) all.lastIndex++;
          else out.push([m.index, m.index + m[0].length]);
        }
        return out;
      },
      test: (text) => one.test(text),
    };
  };
}

const ENGINES: Record<string, Engine> = {
  RegExp: (pattern) => {
    const all = new RegExp(pattern, "gu");
    const one = new RegExp(pattern, "u");
    return {
      source: pattern,
      spans: (text) => [...text.matchAll(all)].filter((m) => m[0].length > 0).map((m) => [m.index, m.index + m[0].length]),
      test: (text) => one.test(text),
    };
  },
  // What ingestion runs (lib/classify/rule-regex.ts).
  re2js: compileRuleRegex,
};

function rulesFor(engine: Engine): CompiledRule[] {
  return RULE_ROWS.map((row) => {
    const rule = compileRule(row);
    return row.matchRegex ? { ...rule, regex: engine(row.matchRegex) } : rule;
  });
}

/** Events as ingest holds them before classification, with admin-rule matter planted in some. */
function storableEvents(count: number, seed: number): StorableEvent[] {
  const extras = ["customer cus_8fK2mQ91xZ opened ORD-00481516", "proxy build-07.corp.example.com timed out", "badge AB123456 scanned", "ops@example.com paged"];
  return benchEvents(count, seed).map((raw, i) => {
    const event = toStorable(wireEventSchema.parse(raw));
    if (i % 7 === 0) event.payload = { ...event.payload, attributes: { ...((event.payload.attributes as object | undefined) ?? {}), extra: extras[i % extras.length] } };
    return event;
  });
}

function classifyAll(events: readonly StorableEvent[], rules: readonly CompiledRule[], hash: (value: string) => string): { ms: number; checksum: string } {
  const start = performance.now();
  let stored = 0;
  let hits = 0;
  let chars = 0;
  for (const event of events) {
    const outcome = classifyEvent(event, rules, { hash });
    hits += outcome.hits.length;
    if (outcome.kind === "stored") {
      stored++;
      chars += JSON.stringify(outcome.event.payload).length + (outcome.event.message?.length ?? 0);
    }
  }
  return { ms: performance.now() - start, checksum: `${stored}/${hits}/${chars}` };
}

/** Milliseconds to find every match of the pattern in the text, or "skipped" where it would take too long. */
function timeOne(engine: Engine, pattern: string, text: string): string {
  const regex = engine(pattern);
  const start = performance.now();
  regex.spans(text);
  return `${(performance.now() - start).toFixed(1)} ms`;
}

/**
 * Patterns that backtrack in RegExp (exponentially, then quadratically), and one whose every match is
 * long, where RE2's constant factor shows (the cost grows with the program size times the text).
 */
function worstCases(): [string, string][] {
  const cases: { pattern: string; text: string; label: string; regexpText?: string; regexpLabel?: string }[] = [
    { pattern: "(a+)+$", text: `${"a".repeat(20_000)}!`, label: '20,000 × "a" then "!"', regexpText: `${"a".repeat(24)}!`, regexpLabel: '24 × "a" then "!"' },
    { pattern: "[a-z]+@x", text: "a".repeat(20_000), label: '20,000 × "a"', regexpText: "a".repeat(20_000) },
    { pattern: ".{500}", text: "lorem ipsum dolor sit amet ".repeat(741), label: "20,000 characters of words" },
  ];
  const rows: [string, string][] = [];
  for (const c of cases) {
    const cells = Object.entries(ENGINES).map(([name, engine]) => {
      const text = name === "RegExp" ? (c.regexpText ?? c.text) : c.text;
      const note = name === "RegExp" && c.regexpLabel ? ` (on ${c.regexpLabel} only)` : "";
      return `${name} ${timeOne(engine, c.pattern, text)}${note}`;
    });
    rows.push([`${c.pattern} on ${c.label}`, cells.join(", ")]);
  }
  return rows;
}

async function main() {
  const RE2 = await loadRe2();
  if (RE2) ENGINES.re2 = re2Engine(RE2);
  else console.log("re2 is not installed: comparing RegExp and re2js only (see the top of bench/regex.ts)");
  const events = storableEvents(N, 1);
  const hash = hashToken("bench-key-0123456789abcdef0123456789abcdef");
  const ruleSets = Object.fromEntries(Object.entries(ENGINES).map(([name, engine]) => [name, rulesFor(engine)]));
  const regexRules = RULE_ROWS.filter((r) => r.matchRegex).length;
  console.log(`${N} events per run, ${RUNS} runs (plus one warm-up), ${RULE_ROWS.length} rules of which ${regexRules} with a regex`);

  const times: Record<string, number[]> = Object.fromEntries(Object.keys(ENGINES).map((name) => [name, []]));
  const ratios: Record<string, number[]> = Object.fromEntries(Object.keys(ENGINES).map((name) => [name, []]));
  for (let run = 0; run <= RUNS; run++) {
    // Rotate the order so no engine always runs first (or right after the collector).
    const names = Object.keys(ENGINES);
    const order = [...names.slice(run % names.length), ...names.slice(0, run % names.length)];
    const results: Record<string, { ms: number; checksum: string }> = {};
    for (const name of order) results[name] = classifyAll(events, ruleSets[name]!, hash);
    const reference = results.RegExp!;
    for (const name of names) {
      if (results[name]!.checksum !== reference.checksum) throw new Error(`${name} classified differently from RegExp: ${results[name]!.checksum} vs ${reference.checksum}`);
    }
    if (run === 0) continue;
    for (const name of names) {
      times[name]!.push(results[name]!.ms);
      ratios[name]!.push(reference.ms / results[name]!.ms);
    }
    console.log(`run ${run}: ${names.map((name) => `${name} ${Math.round((N / results[name]!.ms) * 1000)} ev/s`).join(", ")}`);
  }

  printTable([
    ...Object.keys(ENGINES).map((name): [string, string] => [
      `${name}: classification, median`,
      `${Math.round((N / median(times[name]!)) * 1000)} events/s (${(median(ratios[name]!)).toFixed(2)} × RegExp, median of per-run ratios)`,
    ]),
    ...worstCases(),
  ]);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
