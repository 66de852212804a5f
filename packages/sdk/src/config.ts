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
  const onError = typeof o.onError === "function" ? o.onError : undefined;
  const debug = o.debug === true;
  const fail = (message: string): ResolveResult => ({
    ok: false,
    error: new ClearlogError("config", `${message}; the Clearlog logger is disabled`),
    ...(onError ? { onError } : {}),
    debug,
  });

  const endpoint = nonEmpty(o.endpoint);
  if (!endpoint) return fail("createLogger needs `endpoint` (the Clearlog server's base URL)");
  const apiKey = nonEmpty(o.apiKey);
  if (!apiKey) return fail("createLogger needs `apiKey` (an API key with the ingest scope)");
  const injected = typeof o.fetch === "function" ? o.fetch : undefined;
  if (!injected && typeof globalThis.fetch !== "function") return fail("no global fetch: pass `fetch` to createLogger");
  // Called as a plain function: a browser's fetch must not be called with another object as `this`.
  const fetch: FetchLike = injected ? (url, init) => injected(url, init) : (url, init) => globalThis.fetch(url, init);

  const warnings: ClearlogError[] = [];
  const int = (key: keyof typeof DEFAULTS, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = o[key];
    if (v === undefined) return DEFAULTS[key];
    if (typeof v === "number" && Number.isFinite(v) && v >= min) return Math.min(Math.floor(v), max);
    warnings.push(new ClearlogError("config", `option ${key} must be a number ≥ ${min}; using ${DEFAULTS[key]}`));
    return DEFAULTS[key];
  };
  const maxQueueSize = int("maxQueueSize", 1);
  const config: ResolvedConfig = {
    endpoint,
    apiKey,
    batchSize: Math.min(int("batchSize", 1, MAX_BATCH_SIZE), maxQueueSize),
    flushIntervalMs: int("flushIntervalMs", 0),
    maxQueueSize,
    maxRetries: int("maxRetries", 0),
    requestTimeoutMs: int("requestTimeoutMs", 1),
    fetch,
    timers: o.timers && typeof o.timers.setTimeout === "function" && typeof o.timers.clearTimeout === "function" ? o.timers : globalTimers,
    now: typeof o.now === "function" ? o.now : () => Date.now(),
    random: typeof o.random === "function" ? o.random : () => Math.random(),
    flushOnPageHide: o.flushOnPageHide !== false,
    debug,
  };
  if (onError) config.onError = onError;
  const component = nonEmpty(o.component);
  if (component) config.component = component;
  const subject = nonEmpty(o.subject);
  if (subject) config.subject = subject;
  const sessionId = nonEmpty(o.sessionId);
  if (sessionId) config.sessionId = sessionId;
  return { ok: true, config, warnings };
}
