// createLogger: the public face of the SDK. Every public method catches everything, so a logging
// problem never becomes an application problem; errors go to `onError`.
import { MAX_BATCH_SIZE, resolveOptions, type ResolvedConfig } from "./config";
import { Delivery, rejectionsOf } from "./delivery";
import { ClearlogError, internalError } from "./errors";
import { aiEvent, apiRequestEvent, errorEvent, str, systemEvent, userActionEvent, type EventContext } from "./events";
import { feedbackDisabled, sendFeedback } from "./feedback";
import { newEventId } from "./ids";
import { utf8Length } from "./json-safe";
import { EventQueue } from "./queue";
import { apiUrl, buildBody, headers, parseJson, type TransportConfig } from "./transport";
import type { Feedback, FeedbackResult, Logger, LoggerOptions, LoggerStats, TimerHandle } from "./types";
import { browserEnvironment, installPageHideHandlers, KEEPALIVE_MAX_BYTES, keepaliveChunk } from "./unload";
import type { WireEvent } from "./wire";

export function createLogger(options: LoggerOptions): Logger {
  try {
    const resolved = resolveOptions(options);
    if (!resolved.ok) {
      console.warn(`[clearlog] ${resolved.error.message}`);
      callSafely(resolved.onError, resolved.error);
      return disabledLogger();
    }
    const logger = new ClearlogLogger(resolved.config);
    for (const warning of resolved.warnings) logger.report(warning);
    return logger;
  } catch (error) {
    console.warn("[clearlog] logger disabled:", error);
    return disabledLogger();
  }
}

function callSafely(onError: ((e: ClearlogError) => void) | undefined, error: ClearlogError): void {
  try {
    onError?.(error);
  } catch {
    // an onError that throws must not throw into the application either
  }
}

/** Every method of a Logger (loggingService forwards these). */
export const LOGGER_METHODS = [
  "logUserAction", "logAIInteraction", "logError", "logApiRequest", "logSystemEvent", "startSession",
  "endSession", "setSubject", "sendFeedback", "flush", "shutdown", "stats",
] as const;

function disabledLogger(): Logger {
  const logger = Object.fromEntries(LOGGER_METHODS.map((name) => [name, () => undefined])) as unknown as Logger;
  logger.sendFeedback = feedbackDisabled;
  logger.flush = logger.shutdown = () => Promise.resolve();
  logger.stats = () => ({ queued: 0, sent: 0, dropped: 0, failedAttempts: 0, rejected: 0 });
  return logger;
}

class ClearlogLogger implements Logger {
  readonly #queue: EventQueue;
  readonly #delivery: Delivery;
  readonly #transport: TransportConfig;
  readonly #counters: LoggerStats = { queued: 0, sent: 0, dropped: 0, failedAttempts: 0, rejected: 0 };
  #subject: string | undefined;
  #sessionId: string | undefined;
  #timer: TimerHandle | null = null;
  #draining: Promise<boolean> | null = null;
  /** after a failed drain, a full batch does not trigger an immediate send before this time */
  #holdUntil = 0;
  #overflowReported = false;
  #keepaliveInFlight = false;
  #closed = false;
  #shutdownPromise: Promise<void> | null = null;
  #removePageHandlers: (() => void) | undefined;

  readonly #c: ResolvedConfig;

  constructor(c: ResolvedConfig) {
    this.#c = c;
    this.#subject = c.subject;
    this.#sessionId = c.sessionId;
    this.#queue = new EventQueue(c.maxQueueSize);
    this.#transport = { url: apiUrl(c.endpoint, "events"), apiKey: c.apiKey, fetch: c.fetch, timers: c.timers, now: c.now, timeoutMs: c.requestTimeoutMs };
    this.#delivery = new Delivery({
      queue: this.#queue,
      transport: this.#transport,
      stats: this.#counters,
      batchSize: c.batchSize,
      maxRetries: c.maxRetries,
      timers: c.timers,
      now: c.now,
      random: c.random,
      report: (e) => this.report(e),
    });
    const env = c.flushOnPageHide ? browserEnvironment() : undefined;
    if (env) this.#removePageHandlers = installPageHideHandlers(env, () => this.#sendOnPageHide());
  }

  // ---- log calls -------------------------------------------------------------------------------

  logUserAction(action: string, component: string, details?: Record<string, unknown>) {
    return this.#log((ctx) => userActionEvent(ctx, action, component, details));
  }

  logAIInteraction(operation: string, interaction: Parameters<Logger["logAIInteraction"]>[1]) {
    return this.#log((ctx) => aiEvent(ctx, operation, interaction));
  }

  logError(error: unknown, component?: string, details?: Record<string, unknown>) {
    return this.#log((ctx) => errorEvent(ctx, error, component, details));
  }

  logApiRequest(request: Parameters<Logger["logApiRequest"]>[0], details?: Record<string, unknown>) {
    return this.#log((ctx) => apiRequestEvent(ctx, request, details));
  }

  logSystemEvent(name: string, details?: Record<string, unknown>, severity?: Parameters<Logger["logSystemEvent"]>[2]) {
    return this.#log((ctx) => systemEvent(ctx, name, details, severity));
  }

  // (str, newEventId and logSystemEvent never throw, so these need no guard.)
  startSession(sessionId?: string): string | undefined {
    if (this.#closed) return undefined;
    const id = str(sessionId) ?? newEventId();
    this.#sessionId = id;
    this.logSystemEvent("session.start");
    return id;
  }

  endSession(): void {
    if (this.#closed || this.#sessionId === undefined) return;
    this.logSystemEvent("session.end");
    this.#sessionId = undefined;
  }

  setSubject(subjectId: string | undefined): void {
    this.#subject = str(subjectId);
  }

  sendFeedback(feedback: Feedback): Promise<FeedbackResult> {
    const transport = { ...this.#transport, url: apiUrl(this.#c.endpoint, "feedback") };
    const deps = { transport, maxRetries: this.#c.maxRetries, random: this.#c.random, closed: this.#closed, report: (e: ClearlogError) => this.report(e) };
    return sendFeedback(this.#subject === undefined ? deps : { ...deps, subject: this.#subject }, feedback);
  }

  // ---- sending ---------------------------------------------------------------------------------

  async flush(): Promise<void> {
    try {
      await this.#startDrain();
    } catch (error) {
      this.#reportInternal(error);
    }
  }

  shutdown(options?: { timeoutMs?: number }): Promise<void> {
    try {
      if (this.#shutdownPromise) return this.#shutdownPromise;
      this.#closed = true;
      this.#removePageHandlers?.();
      this.#clearTimer();
      const done = this.flush().then(() => true);
      const timeoutMs = options?.timeoutMs;
      let handle: TimerHandle | undefined;
      const timeout =
        typeof timeoutMs === "number" && timeoutMs >= 0
          ? new Promise<boolean>((resolve) => {
              handle = this.#c.timers.setTimeout(() => resolve(false), timeoutMs);
            })
          : undefined;
      this.#shutdownPromise = (timeout ? Promise.race([done, timeout]) : done)
        .then(() => {
          if (handle !== undefined) this.#c.timers.clearTimeout(handle);
          const left = this.#queue.size;
          if (left > 0) this.report(new ClearlogError("shutdown", `${left} event(s) not sent at shutdown`));
        })
        .catch((error: unknown) => this.#reportInternal(error));
      return this.#shutdownPromise;
    } catch (error) {
      this.#reportInternal(error);
      return Promise.resolve();
    }
  }

  stats(): LoggerStats {
    return { ...this.#counters, queued: this.#queue.size };
  }

  // ---- internals -------------------------------------------------------------------------------

  report(error: ClearlogError): void {
    // Without onError, what loses data is still worth a console line; transient trouble only in debug.
    const loud = this.#c.debug || (!this.#c.onError && error.code !== "retries_exhausted");
    if (loud) console.warn(`[clearlog] ${error.message}`);
    callSafely(this.#c.onError, error);
  }

  #reportInternal(error: unknown): void {
    this.report(internalError(error));
  }

  #guard<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (error) {
      this.#reportInternal(error);
      return fallback;
    }
  }

  #log(build: (ctx: EventContext) => WireEvent): string | undefined {
    return this.#guard(() => {
      if (this.#closed) return undefined; // shut down: later log calls are ignored
      const ctx: EventContext = {
        id: newEventId(),
        timestamp: new Date(this.#c.now()).toISOString(),
        subject: this.#subject,
        sessionId: this.#sessionId,
        component: this.#c.component,
      };
      let event: WireEvent;
      try {
        event = build(ctx);
      } catch (error) {
        if (error instanceof ClearlogError) this.report(error);
        else this.report(new ClearlogError("invalid_argument", "Could not build the event; skipped", { cause: error }));
        return undefined;
      }
      this.#enqueue(event);
      return event.id;
    }, undefined);
  }

  #enqueue(event: WireEvent): void {
    const json = JSON.stringify(event);
    const dropped = this.#queue.push({ id: event.id, json, bytes: utf8Length(json) });
    if (dropped.length > 0) {
      this.#counters.dropped += dropped.length;
      if (!this.#overflowReported) {
        this.#overflowReported = true;
        this.report(
          new ClearlogError("queue_overflow", `Queue full (${this.#c.maxQueueSize}): oldest events dropped`, {
            eventIds: dropped.map((e) => e.id),
          }),
        );
      }
    }
    if (this.#queue.pendingCount >= this.#c.batchSize && !this.#draining && this.#c.now() >= this.#holdUntil) void this.#startDrain();
    else this.#scheduleTimer();
  }

  #startDrain(): Promise<boolean> {
    if (this.#draining) return this.#draining;
    this.#clearTimer();
    const run = this.#delivery.drain().catch((error: unknown) => {
      this.#reportInternal(error);
      this.#queue.requeue();
      return false;
    });
    this.#draining = run.then((ok) => {
      this.#draining = null;
      if (ok) this.#overflowReported = false;
      else this.#holdUntil = this.#c.now() + Math.max(this.#c.flushIntervalMs, this.#delivery.retryDelay());
      if (this.#queue.pendingCount > 0) this.#scheduleTimer();
      return ok;
    });
    return this.#draining;
  }

  #scheduleTimer(): void {
    if (this.#closed || this.#timer !== null || this.#draining) return;
    const now = this.#c.now();
    const delay = Math.max(this.#c.flushIntervalMs, this.#holdUntil - now, this.#delivery.pausedUntil - now);
    const handle = this.#c.timers.setTimeout(() => {
      this.#timer = null;
      void this.#startDrain();
    }, delay);
    // A pending periodic flush must not keep a Node process alive; call shutdown() before exiting.
    (handle as { unref?: () => void } | null)?.unref?.();
    this.#timer = handle;
  }

  #clearTimer(): void {
    if (this.#timer === null) return;
    this.#c.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Page hidden or unloading: one keepalive request with the oldest queued events that fit (see unload.ts). */
  #sendOnPageHide(): void {
    this.#guard(() => {
      if (this.#keepaliveInFlight || this.#queue.size === 0) return;
      const chunk = keepaliveChunk(this.#queue.oldestFirst(), KEEPALIVE_MAX_BYTES, MAX_BATCH_SIZE);
      if (chunk.length === 0) return;
      this.#keepaliveInFlight = true;
      const ids = new Set(chunk.map((e) => e.id));
      const init = { method: "POST" as const, headers: headers(this.#c.apiKey), body: buildBody(chunk), keepalive: true };
      Promise.resolve()
        .then(() => this.#c.fetch(this.#transport.url, init))
        .then(async (res) => {
          const body = parseJson(await res.text().catch(() => ""));
          if (res.status < 200 || res.status >= 300) return;
          // The page lived on: what the server confirmed need not be sent again (in-flight events
          // are left to their own request, which counts them).
          const removed = new Set(this.#queue.removePending(ids));
          const rejections = rejectionsOf(body).filter((r) => r.id !== null && removed.has(r.id));
          this.#counters.sent += removed.size - rejections.length;
          this.#counters.rejected += rejections.length;
          if (rejections.length > 0) {
            this.report(new ClearlogError("rejected", `${rejections.length} event(s) rejected`, { status: res.status, rejections }));
          }
        })
        .catch(() => {}) // the events stay queued for the next flush, if the page lives on
        .finally(() => {
          this.#keepaliveInFlight = false;
        });
    }, undefined);
  }
}
