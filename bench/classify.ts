import { createHash } from "node:crypto";
import { compileRule, type CompiledRule } from "../lib/classify/compiled-rule";
import { DEFAULT_RULES } from "../lib/classify/default-rules";
import { SECRET_DETECTORS } from "../lib/classify/detectors";
import { classifyEvent } from "../lib/classify/engine";
import { wireEventSchema } from "../lib/ingest/event-schema";
import { toStorable, type StorableEvent } from "../lib/ingest/normalize";
import { unlinkedEvent } from "../lib/ingest/unlinked";
import { benchEvents } from "./ingest-events";

// Classification speed, in memory (no database): the events of bench:ingest plus AI interactions with
// long prompts (a support ticket, a log excerpt with a URL and, in some, a pasted secret key),
// classified with the rules a new workspace starts with. Prints events/s, the median of 7 rounds, with
// the scan for unlabelled secrets on (as shipped) and off (the detector taken out of the mandatory secret
// pass for the measurement), alternating in the same run so the machine's load affects both alike.
// The URL-parameter and `key=` checks of the labelled-secret detector are on in both. Then what an
// event stored without its subject costs on top (lib/ingest/unlinked.ts: ids and keyed tokens scrubbed).
//   npx tsx --conditions=react-server bench/classify.ts [events=20000]
const COUNT = Number(process.argv[2] ?? 20_000);
const ROUNDS = 7;

const rules: CompiledRule[] = [...DEFAULT_RULES]
  .sort((a, b) => a.priority - b.priority)
  .map((r, i) =>
    compileRule({
      id: `default-${i}`, name: r.name, priority: r.priority, matchEventType: r.matchEventType ?? null, matchFieldPath: r.matchFieldPath ?? null,
      matchRegex: r.matchRegex ?? null, matchDetector: r.matchDetector ?? null, level: r.level, categories: r.categories, action: r.action,
    }),
  );
const hash = (v: string) => createHash("sha256").update(`bench:${v}`).digest("hex").slice(0, 12);

const TICKET =
  "Customer writes: since the upgrade to 4.2.1 the nightly export to https://files.example.com/exports/2026-12-02.csv?lang=en&page=3 " +
  "fails after 12 minutes with ETIMEDOUT. Build 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b, request id 3f2b8c1e-7d4a-4b6e-9c2f-1a2b3c4d5e6f. " +
  "They attached the log excerpt below and asked whether the retry policy can be raised to five attempts.\n";
const SECRETS = ["aws_secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "https://s3.example.com/b/o?X-Amz-Signature=3b1f7a9c2d4e6f80&X-Amz-Expires=600", "token Zx81QmT4vLp02RaYw9Kd7hPq3sNc5VbE"];

function events(): StorableEvent[] {
  const wire: unknown[] = benchEvents(COUNT);
  for (let i = 0; i < COUNT / 4; i++) {
    const prompt = TICKET.repeat(1 + (i % 4)) + (i % 10 === 0 ? SECRETS[i % SECRETS.length] : "No credentials were shared.");
    wire.push({ id: `long-${i}`, timestamp: new Date().toISOString(), type: "ai_interaction", ai: { provider: "openai", model: "gpt-4o-mini", prompt, response: "Raise the timeout and retry with backoff.", inputTokens: 900, outputTokens: 120 } });
  }
  return wire.map((w) => toStorable(wireEventSchema.parse(w)));
}

function rate(list: StorableEvent[]): number {
  const started = performance.now();
  for (const e of list) classifyEvent(e, rules, { hash });
  return list.length / ((performance.now() - started) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const list = events();
const detectors = SECRET_DETECTORS as string[];
const at = detectors.indexOf("unlabelled_secret");
const on: number[] = [];
const off: number[] = [];
rate(list.slice(0, 2000)); // warm-up
for (let r = 0; r < ROUNDS; r++) {
  on.push(rate(list));
  detectors.splice(at, 1);
  off.push(rate(list));
  detectors.splice(at, 0, "unlabelled_secret");
}
const a = median(off);
const b = median(on);
process.stdout.write(
  `classification, ${list.length} events, median of ${ROUNDS} rounds\n` +
    `  without the unlabelled-secret scan: ${Math.round(a).toLocaleString("en")} events/s\n` +
    `  with it (as shipped):               ${Math.round(b).toLocaleString("en")} events/s (${((b / a - 1) * 100).toFixed(1)}%)\n`,
);

// The scrub of events stored without their subject, on the classified events (their e-mail tokens
// included), against classification alone; events stored with their subject do not pay it.
const classified = list.map((e) => {
  const out = classifyEvent(e, rules, { hash });
  return out.kind === "stored" ? out.event : e;
});
function unlinkRate(): number {
  const started = performance.now();
  for (const e of classified) unlinkedEvent(e, { subjects: e.subject ? [e.subject] : ["bench-user-7"], sessionIds: e.sessionId ? [e.sessionId] : [], conversationIds: [] });
  return classified.length / ((performance.now() - started) / 1000);
}
const scrub: number[] = [];
for (let r = 0; r < ROUNDS; r++) scrub.push(unlinkRate());
const s = median(scrub);
process.stdout.write(
  `  scrubbing an unlinked event (ids and keyed tokens): ${Math.round(s).toLocaleString("en")} events/s; ` +
    `classification + scrub ${Math.round(1 / (1 / b + 1 / s)).toLocaleString("en")} events/s (${((1 / (1 / b + 1 / s) / b - 1) * 100).toFixed(1)}% for unlinked events only)\n`,
);
