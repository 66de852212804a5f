// The bounded in-memory queue. Events are serialized once, when logged (so later changes to the
// objects the application passed in do not alter what is sent), and kept in order.
//
// Two parts: `inflight` (the batch being sent, at most one at a time) and `pending` (waiting).
// The bound covers both. When full, the oldest *pending* event is dropped: events in flight may
// already be stored by the server, so dropping them would only make the count wrong.

export interface QueuedEvent {
  id: string;
  /** the event's JSON text, exactly as it goes on the wire (every retry sends the same bytes) */
  json: string;
  /** UTF-8 byte length of `json` */
  bytes: number;
}

export class EventQueue {
  /** waiting, oldest first (at most maxQueueSize events, so splicing the front stays cheap) */
  #pending: QueuedEvent[] = [];
  #inflight: QueuedEvent[] = [];

  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get pendingCount(): number {
    return this.#pending.length;
  }

  get size(): number {
    return this.#pending.length + this.#inflight.length;
  }

  /** Adds an event at the back; returns the events dropped to stay within the bound (oldest first). */
  push(event: QueuedEvent): QueuedEvent[] {
    this.#pending.push(event);
    return this.#pending.splice(0, Math.min(Math.max(this.size - this.#max, 0), this.#pending.length));
  }

  /** Moves up to `n` events from the front of pending into flight and returns them. */
  take(n: number): QueuedEvent[] {
    const batch = this.#pending.splice(0, n);
    this.#inflight.push(...batch);
    return batch;
  }

  /** The first `n` in-flight events are done (sent, rejected or dropped): forget them. */
  settle(n: number): void {
    this.#inflight.splice(0, n);
  }

  /** Sending stopped: what is still in flight goes back to the front of pending, in order. */
  requeue(): void {
    this.#pending.unshift(...this.#inflight.splice(0));
  }

  /** In-flight then pending events, oldest first (what a page-unload send should carry). */
  oldestFirst(): QueuedEvent[] {
    return [...this.#inflight, ...this.#pending];
  }

  /** Removes the given events from pending (not from flight); returns the ids removed. */
  removePending(ids: ReadonlySet<string>): string[] {
    const removed = this.#pending.filter((e) => ids.has(e.id)).map((e) => e.id);
    this.#pending = this.#pending.filter((e) => !ids.has(e.id));
    return removed;
  }
}
