import "server-only";
import { Worker } from "node:worker_threads";
import { adversarialTexts, type RegexCheck } from "./regex-safety";

// The second line of defence behind the shape rules of regex-safety.ts: the compiled pattern is run,
// in a worker thread the server can stop at any moment, over texts built to make it backtrack. A
// pattern that needs more than the budget on one of them is refused. A JavaScript regex cannot be
// interrupted from the thread running it, hence the worker: a runaway pattern is terminated, never
// waited for. Fails closed: if the check cannot run, the regex is not accepted.

/** As long as the longest event message Clearlog accepts. */
export const RUNTIME_TEXT_LENGTH = 20_000;
/** A linear pattern needs about 1 ms on such a text; a quadratic one hundreds. */
export const RUNTIME_BUDGET_MS = 100;
const STARTUP_TIMEOUT_MS = 10_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const regex = new RegExp(workerData.pattern, "gu");
workerData.texts.forEach((text, index) => {
  parentPort.postMessage({ type: "start", index });
  const started = performance.now();
  let count = 0;
  for (const match of text.matchAll(regex)) count += match[0].length > 0 ? 1 : 0;
  parentPort.postMessage({ type: "done", index, ms: performance.now() - started, count });
});
`;

type WorkerMessage = { type: "start"; index: number } | { type: "done"; index: number; ms: number };

function describe(text: string): string {
  const head = text.slice(0, 6);
  return `${JSON.stringify(`${head}…`)} and ${JSON.stringify(text.slice(-1))} at the end`;
}

export interface RuntimeOptions {
  length?: number;
  budgetMs?: number;
}

/** Runs the pattern over adversarial texts in a worker; refuses it if one takes longer than the budget. */
export function checkRegexRuntime(pattern: string, options: RuntimeOptions = {}): Promise<RegexCheck> {
  const length = options.length ?? RUNTIME_TEXT_LENGTH;
  const budgetMs = options.budgetMs ?? RUNTIME_BUDGET_MS;
  const texts = adversarialTexts(pattern, length);
  if (texts.length === 0) return Promise.resolve({ ok: true });
  const slow = (index: number): RegexCheck => ({
    ok: false,
    message: `takes more than ${budgetMs} ms on a ${length.toLocaleString("en-US")}-character text (${describe(texts[index] ?? "")}), so one long field would stall ingestion. Bound the repetitions (e.g. {1,64} instead of + or *) or begin the pattern with fixed text.`,
  });

  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pattern, texts }, resourceLimits: { maxOldGenerationSizeMb: 128 } });
    let current = -1;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    const finish = (result: RegexCheck) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const watch = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(current < 0 ? { ok: false, message: "could not be checked for safety in time; try again." } : slow(current)), ms);
    };
    watch(STARTUP_TIMEOUT_MS);
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "start") {
        current = message.index;
        // Slack for the messages themselves; the time measured inside the worker decides.
        watch(budgetMs * 5);
        return;
      }
      if (message.ms > budgetMs) finish(slow(message.index));
      else if (message.index === texts.length - 1) finish({ ok: true });
    });
    worker.on("error", (error) => finish({ ok: false, message: `could not be checked for safety (${error.message}); simplify it.` }));
    worker.on("exit", () => finish({ ok: false, message: "could not be checked for safety; try again." }));
  });
}
