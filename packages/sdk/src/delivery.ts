// Sends the queue to the server, one request at a time and in order: retries with backoff,
// splits on 413, drops what the server rejects deterministically, keeps the rest for later.
import { ClearlogError, errorMessage, type Rejection } from "./errors";
import type { EventQueue, QueuedEvent } from "./queue";
import { BACKOFF_BASE_MS, backoffDelay, buildBody, describeError, postEvents, sleep, type SendOutcome, type TransportConfig } from "./transport";
import type { LoggerStats, TimerApi } from "./types";

/** A Retry-After longer than this is not waited out inside a flush: sending pauses until then. */
export const MAX_RETRY_AFTER_WAIT_MS = 60_000;

export interface DeliveryDeps {
  queue: EventQueue;
  transport: TransportConfig;
  stats: LoggerStats;
  batchSize: number;
  maxRetries: number;
  timers: TimerApi;
  now: () => number;
  random: () => number;
  report: (error: ClearlogError) => void;
}

interface ResultLike {
  id?: unknown;
  status?: unknown;
  field?: unknown;
  reason?: unknown;
}

/** The `rejected` results of a BatchResponse. */
export function rejectionsOf(body: unknown): Rejection[] {
  const results = body && typeof body === "object" ? (body as { results?: unknown }).results : undefined;
  if (!Array.isArray(results)) return [];
  return (results as ResultLike[])
    .filter((r) => r && r.status === "rejected")
    .map((r) => ({
      id: typeof r.id === "string" ? r.id : null,
      field: typeof r.field === "string" ? r.field : "",
      reason: typeof r.reason === "string" ? r.reason : "rejected",
    }));
}

export function formatRejections(rejections: readonly Rejection[]): string {
  const shown = rejections.slice(0, 5).map((r) => `${r.id ?? "?"} ${r.field}: ${r.reason}`);
  return shown.join("; ") + (rejections.length > 5 ? "; …" : "");
}

export class Delivery {
  /** failed attempts in a row, across flushes: keeps the backoff long while the server stays down */
  #consecutiveFailures = 0;
  /** no request before this time (a long Retry-After) */
  pausedUntil = 0;

  readonly #d: DeliveryDeps;

  constructor(d: DeliveryDeps) {
    this.#d = d;
  }

  /** Sends pending events until none are left (true) or sending has to stop for now (false). */
  async drain(): Promise<boolean> {
    const { queue } = this.#d;
    while (queue.pendingCount > 0) {
      if (this.#d.now() < this.pausedUntil) return false;
      const batch = queue.take(this.#d.batchSize);
      if (!(await this.#deliver(batch))) {
        queue.requeue();
        return false;
      }
    }
    return true;
  }

  /** Delivers one batch (the events just taken into flight); false when it must be retried later. */
  async #deliver(batch: QueuedEvent[]): Promise<boolean> {
    const chunks: QueuedEvent[][] = [batch];
    let retries = 0;
    while (chunks.length > 0) {
      const chunk = chunks[0] as QueuedEvent[];
      const outcome = await postEvents(this.#d.transport, buildBody(chunk));
      if (outcome.kind === "retry") {
        this.#d.stats.failedAttempts++;
        this.#consecutiveFailures++;
        const wait = outcome.retryAfterMs ?? backoffDelay(this.#consecutiveFailures, this.#d.random);
        if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > MAX_RETRY_AFTER_WAIT_MS) {
          this.pausedUntil = this.#d.now() + outcome.retryAfterMs;
          return false;
        }
        if (retries >= this.#d.maxRetries) {
          this.#d.report(
            new ClearlogError("retries_exhausted", `${chunk.length} event(s) not sent after ${retries + 1} attempt(s) (${errorMessage(outcome.error)}); kept queued`, {
              status: outcome.status,
              cause: outcome.error,
            }),
          );
          return false;
        }
        retries++;
        await sleep(this.#d.timers, wait);
        continue;
      }
      this.#consecutiveFailures = 0;
      retries = 0;
      if (outcome.kind === "too_large" && chunk.length > 1) {
        const half = Math.ceil(chunk.length / 2);
        chunks.splice(0, 1, chunk.slice(0, half), chunk.slice(half));
        continue;
      }
      this.#settle(chunk, outcome);
      this.#d.queue.settle(chunk.length);
      chunks.shift();
    }
    return true;
  }

  /** Counts and reports the answer for a chunk that is done. */
  #settle(chunk: QueuedEvent[], outcome: Exclude<SendOutcome, { kind: "retry" }>): void {
    const { stats } = this.#d;
    const eventIds = chunk.map((e) => e.id);
    if (outcome.kind === "too_large") {
      stats.rejected += 1;
      this.#d.report(new ClearlogError("too_large", `Event ${eventIds[0]} too large (413): dropped`, { status: 413, eventIds }));
      return;
    }
    const rejections = rejectionsOf(outcome.body);
    if (outcome.kind === "reject") {
      stats.rejected += chunk.length;
      const what = rejections.length > 0 ? formatRejections(rejections) : `HTTP ${outcome.status}${describeError(outcome.body)}`;
      this.#d.report(
        new ClearlogError("rejected", `${chunk.length} event(s) rejected (${what}): dropped`, {
          status: outcome.status,
          rejections,
          eventIds,
        }),
      );
      return;
    }
    const reported = outcome.body && typeof outcome.body === "object" ? (outcome.body as { rejected?: unknown }).rejected : undefined;
    const rejected = Math.min(chunk.length, Math.max(rejections.length, typeof reported === "number" ? reported : 0));
    stats.sent += chunk.length - rejected;
    stats.rejected += rejected;
    if (rejected > 0) {
      this.#d.report(
        new ClearlogError("rejected", `${rejected} event(s) rejected: ${formatRejections(rejections)}`, {
          status: outcome.status,
          rejections,
          eventIds: rejections.flatMap((r) => (r.id === null ? [] : [r.id])),
        }),
      );
    }
  }

  /** How long to wait before the next flush after one that failed (never 0: no tight loop when maxRetries is 0). */
  retryDelay(): number {
    return this.#consecutiveFailures > 0 ? Math.max(BACKOFF_BASE_MS, backoffDelay(this.#consecutiveFailures, this.#d.random)) : 0;
  }
}
