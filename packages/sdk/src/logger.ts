// createLogger: the public face of the SDK. Every public method catches everything, so a logging
// problem never becomes an application problem; errors go to `onError`.
import { MAX_BATCH_SIZE, resolveOptions, type ResolvedConfig } from "./config";
import { Delivery, rejectionsOf } from "./delivery";
import { ClearlogError } from "./errors";
import { aiEvent, apiRequestEvent, errorEvent, str, systemEvent, userActionEvent, type EventContext } from "./events";
import { feedbackDisabled, feedbackUrl, sendFeedback } from "./feedback";
import { newEventId } from "./ids";
import { utf8Length } from "./json-safe";
import { EventQueue } from "./queue";
import { buildBody, eventsUrl, headers, type TransportConfig } from "./transport";
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
    console.warn("[clearlog] could not create the logger; it is disabled", error);
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

function disabledLogger(): Logger {
  const none = () => undefined;
  return {
    logUserAction: none,
    logAIInteraction: none,
    logError: none,
    logApiRequest: none,
    logSystemEvent: none,
    startSession: none,
    endSession: none,
    setSubject: none,
    sendFeedback: feedbackDisabled,
    flush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    stats: () => ({ queued: 0, sent: 0, dropped: 0, failedAttempts: 0, rejected: 0 }),
  };
}

class ClearlogLogger implements Logger {
  private readonly queue: EventQueue;
  private readonly delivery: Delivery;
  private readonly transport: TransportConfig;
  private readonly counters: LoggerStats = { queued: 0, sent: 0, dropped: 0, failedAttempts: 0, rejected: 0 };
  private subject: string | undefined;
  private sessionId: string | undefined;
  private timer: TimerHandle | null = null;
  private draining: Promise<boolean> | null = null;
  /** after a failed drain, a full batch does not trigger an immediate send before this time */
  private holdUntil = 0;
  private overflowReported = false;
  private keepaliveInFlight = false;
  private closed = false;
  private shutdownPromise: Promise<void> | null = null;
  private removePageHandlers: (() => void) | undefined;

  constructor(private readonly c: ResolvedConfig) {
    this.subject = c.subject;
    this.sessionId = c.sessionId;
    this.queue = new EventQueue(c.maxQueueSize);
    this.transport = { url: eventsUrl(c.endpoint), apiKey: c.apiKey, fetch: c.fetch, timers: c.timers, now: c.now, timeoutMs: c.requestTimeoutMs };
    this.delivery = new Delivery({
      queue: this.queue,
      transport: this.transport,
      stats: this.counters,
      batchSize: c.batchSize,
      maxRetries: c.maxRetries,
      timers: c.timers,
      now: c.now,
      random: c.random,
      report: (e) => this.report(e),
      debug: (m, ...a) => this.debug(m, ...a),
    });
    const env = c.flushOnPageHide ? browserEnvironment() : undefined;
    if (env) this.removePageHandlers = installPageHideHandlers(env, () => this.sendOnPageHide());
  }

  // ---- log calls -------------------------------------------------------------------------------

  logUserAction(action: string, component: string, details?: Record<string, unknown>) {
    return this.log((ctx) => userActionEvent(ctx, action, component, details));
  }

  logAIInteraction(operation: string, interaction: Parameters<Logger["logAIInteraction"]>[1]) {
    return this.log((ctx) => aiEvent(ctx, operation, interaction));
  }

  logError(error: unknown, component?: string, details?: Record<string, unknown>) {
    return this.log((ctx) => errorEvent(ctx, error, component, details));
  }

  logApiRequest(request: Parameters<Logger["logApiRequest"]>[0], details?: Record<string, unknown>) {
    return this.log((ctx) => apiRequestEvent(ctx, request, details));
  }

  logSystemEvent(name: string, details?: Record<string, unknown>, severity?: Parameters<Logger["logSystemEvent"]>[2]) {
    return this.log((ctx) => systemEvent(ctx, name, details, severity));
  }

  startSession(sessionId?: string): string | undefined {
    return this.guard(() => {
      if (this.closed) return undefined;
      const id = str(sessionId) ?? newEventId();
      this.sessionId = id;
      this.logSystemEvent("session.start");
      return id;
    }, undefined);
  }

  endSession(): void {
    this.guard(() => {
      if (this.closed || this.sessionId === undefined) return;
      this.logSystemEvent("session.end");
      this.sessionId = undefined;
    }, undefined);
  }

  setSubject(subjectId: string | undefined): void {
    this.guard(() => {
      this.subject = str(subjectId);
    }, undefined);
  }

  sendFeedback(feedback: Feedback): Promise<FeedbackResult> {
    const transport = { ...this.transport, url: feedbackUrl(this.c.endpoint) };
    const deps = { transport, maxRetries: this.c.maxRetries, random: this.c.random, closed: this.closed, report: (e: ClearlogError) => this.report(e), debug: (m: string) => this.debug(m) };
    return sendFeedback(this.subject === undefined ? deps : { ...deps, subject: this.subject }, feedback);
  }

  // ---- sending ---------------------------------------------------------------------------------

  async flush(): Promise<void> {
    try {
      await this.startDrain();
    } catch (error) {
      this.reportInternal(error);
    }
  }

  shutdown(options?: { timeoutMs?: number }): Promise<void> {
    try {
      if (this.shutdownPromise) return this.shutdownPromise;
      this.closed = true;
      this.removePageHandlers?.();
      this.clearTimer();
      const done = this.flush().then(() => true);
      const timeoutMs = options?.timeoutMs;
      let handle: TimerHandle | undefined;
      const timeout =
        typeof timeoutMs === "number" && timeoutMs >= 0
          ? new Promise<boolean>((resolve) => {
              handle = this.c.timers.setTimeout(() => resolve(false), timeoutMs);
            })
          : undefined;
      this.shutdownPromise = (timeout ? Promise.race([done, timeout]) : done)
        .then(() => {
          if (handle !== undefined) this.c.timers.clearTimeout(handle);
          const left = this.queue.size;
          if (left > 0) this.report(new ClearlogError("shutdown", `Shut down with ${left} event(s) not sent`));
        })
        .catch((error: unknown) => this.reportInternal(error));
      return this.shutdownPromise;
    } catch (error) {
      this.reportInternal(error);
      return Promise.resolve();
    }
  }

  stats(): LoggerStats {
    return { ...this.counters, queued: this.queue.size };
  }

  // ---- internals -------------------------------------------------------------------------------

  report(error: ClearlogError): void {
    // Without onError, what loses data is still worth a console line; transient trouble only in debug.
    const loud = this.c.debug || (!this.c.onError && error.code !== "retries_exhausted");
    if (loud) console.warn(`[clearlog] ${error.message}`);
    callSafely(this.c.onError, error);
  }

  private reportInternal(error: unknown): void {
    this.report(new ClearlogError("internal", `Clearlog SDK error: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
  }

  private debug(message: string, ...args: unknown[]): void {
    if (this.c.debug) console.debug(`[clearlog] ${message}`, ...args);
  }

  private guard<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (error) {
      this.reportInternal(error);
      return fallback;
    }
  }

  private log(build: (ctx: EventContext) => WireEvent): string | undefined {
    return this.guard(() => {
      if (this.closed) {
        this.debug("the logger is shut down; event ignored");
        return undefined;
      }
      const ctx: EventContext = { id: newEventId(), timestamp: new Date(this.c.now()).toISOString() };
      if (this.subject !== undefined) ctx.subject = this.subject;
      if (this.sessionId !== undefined) ctx.sessionId = this.sessionId;
      if (this.c.component !== undefined) ctx.component = this.c.component;
      let event: WireEvent;
      try {
        event = build(ctx);
      } catch (error) {
        if (error instanceof ClearlogError) this.report(error);
        else this.report(new ClearlogError("invalid_argument", `Could not build the event; it was skipped`, { cause: error }));
        return undefined;
      }
      this.enqueue(event);
      return event.id;
    }, undefined);
  }

  private enqueue(event: WireEvent): void {
    const json = JSON.stringify(event);
    const dropped = this.queue.push({ id: event.id, json, bytes: utf8Length(json) });
    if (dropped.length > 0) {
      this.counters.dropped += dropped.length;
      if (!this.overflowReported) {
        this.overflowReported = true;
        this.report(
          new ClearlogError("queue_overflow", `The queue is full (${this.c.maxQueueSize} events): dropping the oldest events`, {
            eventIds: dropped.map((e) => e.id),
          }),
        );
      }
    }
    if (this.queue.pendingCount >= this.c.batchSize && !this.draining && this.c.now() >= this.holdUntil) void this.startDrain();
    else this.scheduleTimer();
  }

  private startDrain(): Promise<boolean> {
    if (this.draining) return this.draining;
    this.clearTimer();
    const run = this.delivery.drain().catch((error: unknown) => {
      this.reportInternal(error);
      this.queue.requeue();
      return false;
    });
    this.draining = run.then((ok) => {
      this.draining = null;
      if (ok) this.overflowReported = false;
      else this.holdUntil = this.c.now() + Math.max(this.c.flushIntervalMs, this.delivery.retryDelay());
      if (this.queue.pendingCount > 0) this.scheduleTimer();
      return ok;
    });
    return this.draining;
  }

  private scheduleTimer(): void {
    if (this.closed || this.timer !== null || this.draining) return;
    const now = this.c.now();
    const delay = Math.max(this.c.flushIntervalMs, this.holdUntil - now, this.delivery.pausedUntil - now);
    const handle = this.c.timers.setTimeout(() => {
      this.timer = null;
      void this.startDrain();
    }, delay);
    // A pending periodic flush must not keep a Node process alive; call shutdown() before exiting.
    (handle as { unref?: () => void } | null)?.unref?.();
    this.timer = handle;
  }

  private clearTimer(): void {
    if (this.timer === null) return;
    this.c.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Page hidden or unloading: one keepalive request with the oldest queued events that fit (see unload.ts). */
  sendOnPageHide(): void {
    this.guard(() => {
      if (this.keepaliveInFlight || this.queue.size === 0) return;
      const chunk = keepaliveChunk(this.queue.oldestFirst(), KEEPALIVE_MAX_BYTES, MAX_BATCH_SIZE);
      if (chunk.length === 0) return;
      this.keepaliveInFlight = true;
      this.debug(`page hidden: sending ${chunk.length} event(s) with keepalive`);
      const ids = new Set(chunk.map((e) => e.id));
      const init = { method: "POST" as const, headers: headers(this.c.apiKey), body: buildBody(chunk), keepalive: true };
      Promise.resolve()
        .then(() => this.c.fetch(this.transport.url, init))
        .then(async (res) => {
          const text = await res.text().catch(() => "");
          if (res.status < 200 || res.status >= 300) return;
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          // The page lived on: what the server confirmed need not be sent again (in-flight events
          // are left to their own request, which counts them).
          const removed = new Set(this.queue.removePending(ids));
          const rejections = rejectionsOf(body).filter((r) => r.id !== null && removed.has(r.id));
          this.counters.sent += removed.size - rejections.length;
          this.counters.rejected += rejections.length;
          if (rejections.length > 0) {
            this.report(new ClearlogError("rejected", `The server rejected ${rejections.length} event(s)`, { status: res.status, rejections }));
          }
        })
        .catch((error: unknown) => this.debug("keepalive send failed; events stay queued", error))
        .finally(() => {
          this.keepaliveInFlight = false;
        });
    }, undefined);
  }
}
