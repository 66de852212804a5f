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
  private items: (QueuedEvent | undefined)[] = [];
  private head = 0;
  private inflight: QueuedEvent[] = [];

  constructor(private readonly max: number) {}

  get pendingCount(): number {
    return this.items.length - this.head;
  }

  get inflightCount(): number {
    return this.inflight.length;
  }

  get size(): number {
    return this.pendingCount + this.inflight.length;
  }

  /** Adds an event at the back; returns the events dropped to stay within the bound (oldest first). */
  push(event: QueuedEvent): QueuedEvent[] {
    this.items.push(event);
    const dropped: QueuedEvent[] = [];
    while (this.size > this.max && this.pendingCount > 0) {
      const oldest = this.items[this.head];
      this.items[this.head] = undefined;
      this.head++;
      if (oldest) dropped.push(oldest);
    }
    this.compact();
    return dropped;
  }

  /** Moves up to `n` events from the front of pending into flight and returns them. */
  take(n: number): QueuedEvent[] {
    const count = Math.min(n, this.pendingCount);
    const batch = this.items.slice(this.head, this.head + count) as QueuedEvent[];
    for (let i = this.head; i < this.head + count; i++) this.items[i] = undefined;
    this.head += count;
    this.inflight.push(...batch);
    this.compact();
    return batch;
  }

  /** The first `n` in-flight events are done (sent, rejected or dropped): forget them. */
  settle(n: number): void {
    this.inflight.splice(0, n);
  }

  /** Sending stopped: what is still in flight goes back to the front of pending, in order. */
  requeue(): void {
    if (this.inflight.length === 0) return;
    this.items = [...this.inflight, ...this.items.slice(this.head)];
    this.head = 0;
    this.inflight = [];
  }

  /** In-flight then pending events, oldest first (what a page-unload send should carry). */
  *oldestFirst(): Generator<QueuedEvent> {
    yield* this.inflight;
    for (let i = this.head; i < this.items.length; i++) {
      const e = this.items[i];
      if (e) yield e;
    }
  }

  /** Removes the given events from pending (not from flight); returns the ids removed. */
  removePending(ids: ReadonlySet<string>): string[] {
    const removed: string[] = [];
    const kept: QueuedEvent[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const e = this.items[i];
      if (!e) continue;
      if (ids.has(e.id)) removed.push(e.id);
      else kept.push(e);
    }
    if (removed.length > 0) {
      this.items = kept;
      this.head = 0;
    }
    return removed;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
