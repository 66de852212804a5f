// The one error type the SDK hands to `onError`. The SDK never throws into the host application:
// everything that goes wrong is reported through `onError` (and `console.warn` when `debug` is on).

export type ClearlogErrorCode =
  /** createLogger was given options it cannot work with; the logger does nothing */
  | "config"
  /** a log call had arguments that could not be turned into an event; the event was skipped */
  | "invalid_argument"
  /** the memory queue was full: the oldest events were dropped (see stats().dropped) */
  | "queue_overflow"
  /** the server rejected events (400, 207 per-event rejections, other 4xx): they were dropped */
  | "rejected"
  /** a single event was still too large (413) on its own: it was dropped */
  | "too_large"
  /** network errors / 408 / 429 / 5xx outlasted maxRetries: the events stay queued for the next flush */
  | "retries_exhausted"
  /** shutdown() finished with events that could not be sent */
  | "shutdown"
  /** a bug in the SDK itself, caught before it reached the application */
  | "internal";

/** A per-event rejection from the server (a `rejected` result of a BatchResponse). */
export interface Rejection {
  id: string | null;
  field: string;
  reason: string;
}

export interface ClearlogErrorDetails {
  status?: number;
  rejections?: Rejection[];
  eventIds?: string[];
  cause?: unknown;
}

export class ClearlogError extends Error {
  readonly code: ClearlogErrorCode;
  declare readonly status?: number;
  declare readonly rejections?: Rejection[];
  declare readonly eventIds?: string[];

  constructor(code: ClearlogErrorCode, message: string, details: ClearlogErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ClearlogError";
    this.code = code;
    const { status, rejections, eventIds } = details;
    Object.assign(this, status === undefined ? {} : { status }, rejections && { rejections }, eventIds && { eventIds });
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A bug in the SDK, caught before it reached the application. */
export function internalError(error: unknown): ClearlogError {
  return new ClearlogError("internal", `Clearlog SDK error: ${errorMessage(error)}`, { cause: error });
}
