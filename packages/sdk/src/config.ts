// Validates createLogger's options. Unusable ones (no endpoint, no API key, no fetch) make a logger
// that does nothing; out-of-range numbers fall back to their defaults. Both are reported.
import { ClearlogError } from "./errors";
import type { FetchLike, LoggerOptions, TimerApi, TimerHandle } from "./types";

export const DEFAULTS = {
  batchSize: 100,
  flushIntervalMs: 2000,
  maxQueueSize: 10_000,
  maxRetries: 8,
  requestTimeoutMs: 15_000,
} as const;

/** Largest batch the SDK sends in one request. */
export const MAX_BATCH_SIZE = 1000;

export interface ResolvedConfig {
  endpoint: string;
  apiKey: string;
  component?: string;
  subject?: string;
  sessionId?: string;
  batchSize: number;
  flushIntervalMs: number;
  maxQueueSize: number;
  maxRetries: number;
  requestTimeoutMs: number;
  fetch: FetchLike;
  timers: TimerApi;
  now: () => number;
  random: () => number;
  flushOnPageHide: boolean;
  onError?: (error: ClearlogError) => void;
  debug: boolean;
}

export type ResolveResult =
  | { ok: true; config: ResolvedConfig; warnings: ClearlogError[] }
  | { ok: false; error: ClearlogError; onError?: (error: ClearlogError) => void; debug: boolean };

const globalTimers: TimerApi = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle: TimerHandle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function nonEmpty(v: unknown): string | undefined {
  return typeof v === "string" && v.trim().length > 0 ? v : undefined;
}

export function resolveOptions(input: unknown): ResolveResult {
  const o = (input !== null && typeof input === "object" ? input : {}) as Partial<LoggerOptions>;
  const fn = <T>(v: T): T | undefined => (typeof v === "function" ? v : undefined);
  const onError = fn(o.onError);
  const debug = o.debug === true;
  const endpoint = nonEmpty(o.endpoint);
  const apiKey = nonEmpty(o.apiKey);
  const injected = fn(o.fetch);
  const problem = !endpoint
    ? "no `endpoint` (the server's URL; loggingService: CLEARLOG_URL)"
    : !apiKey
      ? "no `apiKey` (an ingest key; loggingService: CLEARLOG_API_KEY)"
      : !injected && typeof globalThis.fetch !== "function"
        ? "no global fetch: pass `fetch`"
        : undefined;
  if (problem) return { ok: false, error: new ClearlogError("config", `${problem}; Clearlog logger disabled`), onError, debug };

  const warnings: ClearlogError[] = [];
  const int = (key: keyof typeof DEFAULTS, min: number, max = Infinity): number => {
    const v = o[key];
    if (v === undefined) return DEFAULTS[key];
    if (typeof v === "number" && Number.isFinite(v) && v >= min) return Math.min(Math.floor(v), max);
    warnings.push(new ClearlogError("config", `${key} must be a number ≥ ${min}; using ${DEFAULTS[key]}`));
    return DEFAULTS[key];
  };
  const maxQueueSize = int("maxQueueSize", 1);
  const config: ResolvedConfig = {
    endpoint: endpoint!,
    apiKey: apiKey!,
    component: nonEmpty(o.component),
    subject: nonEmpty(o.subject),
    sessionId: nonEmpty(o.sessionId),
    batchSize: Math.min(int("batchSize", 1, MAX_BATCH_SIZE), maxQueueSize),
    flushIntervalMs: int("flushIntervalMs", 0),
    maxQueueSize,
    maxRetries: int("maxRetries", 0),
    requestTimeoutMs: int("requestTimeoutMs", 1),
    // Called as a plain function: a browser's fetch must not be called with another object as `this`.
    fetch: injected ? (url, init) => injected(url, init) : (url, init) => globalThis.fetch(url, init),
    timers: fn(o.timers?.setTimeout) && fn(o.timers?.clearTimeout) ? o.timers! : globalTimers,
    now: fn(o.now) ?? (() => Date.now()),
    random: fn(o.random) ?? (() => Math.random()),
    flushOnPageHide: o.flushOnPageHide !== false,
    onError,
    debug,
  };
  return { ok: true, config, warnings };
}
