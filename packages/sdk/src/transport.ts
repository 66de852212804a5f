// One HTTP request to POST {endpoint}/api/v1/events, and what its answer means for the SDK.
import type { QueuedEvent } from "./queue";
import type { FetchLike, TimerApi } from "./types";

export type SendOutcome =
  /** 200 or 207: a BatchResponse (body is the parsed JSON, or undefined) */
  | { kind: "ok"; status: number; body: unknown }
  /** network error, timeout, 408, 429, 5xx (or anything unexpected): try again later */
  | { kind: "retry"; status?: number; retryAfterMs?: number; error: unknown }
  /** 413: the body was too large */
  | { kind: "too_large"; status: number }
  /** 400, 401, 403, other 4xx: the server will reject these events again; do not retry */
  | { kind: "reject"; status: number; body: unknown };

export interface TransportConfig {
  url: string;
  apiKey: string;
  fetch: FetchLike;
  timers: TimerApi;
  now: () => number;
  timeoutMs: number;
}

/** {endpoint}/api/v1/{path}, whether or not the endpoint ends with a slash. */
export function apiUrl(endpoint: string, path: "events" | "feedback"): string {
  return `${endpoint.trim().replace(/\/+$/, "")}/api/v1/${path}`;
}

/** `{"events":[…]}` from already-serialized events. */
export function buildBody(events: readonly QueuedEvent[]): string {
  return `{"events":[${events.map((e) => e.json).join(",")}]}`;
}

/** The bytes of `{"events":[]}`; each event adds its own and a comma's (one too many, for simplicity). */
export const EMPTY_BODY_BYTES = 13;

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const h = header.trim();
  if (/^\d+(\.\d+)?$/.test(h)) return Math.round(Number(h) * 1000);
  const date = Date.parse(h);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function sleep(timers: TimerApi, ms: number): Promise<void> {
  return new Promise((resolve) => timers.setTimeout(resolve, ms));
}

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

/** Exponential backoff with full jitter: uniform in [0, min(cap, base · 2^(failures-1))). */
export function backoffDelay(failures: number, random: () => number): number {
  const exp = Math.min(Math.max(failures - 1, 0), 20);
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exp);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

export function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

export function headers(apiKey: string): Record<string, string> {
  return { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" };
}

/** Sends one body; never throws (a synchronous throw from fetch counts as a network error). */
export async function postEvents(cfg: TransportConfig, body: string): Promise<SendOutcome> {
  const controller = typeof AbortController === "function" ? new AbortController() : undefined;
  const timedOut = new Error(`request timed out after ${cfg.timeoutMs} ms`);
  let timeoutReject: ((reason: unknown) => void) | undefined;
  const timer = cfg.timers.setTimeout(() => {
    timeoutReject?.(timedOut);
    controller?.abort();
  }, cfg.timeoutMs);
  try {
    const exchange = (async () => {
      const res = await cfg.fetch(cfg.url, { method: "POST", headers: headers(cfg.apiKey), body, signal: controller?.signal });
      return { res, text: await res.text().catch(() => "") };
    })();
    const { res, text } = await Promise.race([
      exchange,
      // Also ends the wait when fetch ignores the signal (or there is no AbortController).
      new Promise<never>((_, reject) => {
        timeoutReject = reject;
      }),
    ]);
    const status = res.status;
    const answer = parseJson(text);
    if (status === 200 || status === 207) return { kind: "ok", status, body: answer };
    if (status === 413) return { kind: "too_large", status };
    if (status === 408 || status === 429 || status >= 500 || status < 200 || (status >= 300 && status < 400)) {
      const error = new Error(`HTTP ${status}${describeError(answer)}`);
      return { kind: "retry", status, error, retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), cfg.now()) };
    }
    return { kind: status < 300 ? "ok" : "reject", status, body: answer };
  } catch (error) {
    return { kind: "retry", error: controller?.signal.aborted || error === timedOut ? timedOut : error };
  } finally {
    cfg.timers.clearTimeout(timer);
  }
}

/** ": message" from an ErrorResponse body, or "". */
export function describeError(body: unknown): string {
  if (body && typeof body === "object" && typeof (body as { error?: unknown }).error === "string") {
    return `: ${(body as { error: string }).error}`;
  }
  return "";
}
