// Public types of the SDK (options, logger interface, inputs of the log calls).
import type { ClearlogError } from "./errors";
import type { HttpFields, Severity } from "./wire";

/** What the SDK needs from a `fetch` response; the global `Response` satisfies it. */
export interface FetchResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface FetchInit {
  method: "POST";
  headers: Record<string, string>;
  body: string;
  keepalive?: boolean;
  signal?: AbortSignal;
}

/** The global `fetch` fits; tests and other runtimes can inject their own. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponseLike>;

export type TimerHandle = unknown;

/** Timer functions; defaults to the global ones (looked up at call time, so fake timers work). */
export interface TimerApi {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface LoggerOptions {
  /** Base URL of the Clearlog server, e.g. "https://logs.example.com" (events go to {endpoint}/api/v1/events). */
  endpoint: string;
  /** An API key with the `ingest` scope. */
  apiKey: string;
  /** Default component for events that do not name one. */
  component?: string;
  /** The application's own id for the person using it (Clearlog stores only a keyed pseudonym). */
  subject?: string;
  sessionId?: string;
  /** Events per request (default 100, at most 1000). A full batch is sent at once. */
  batchSize?: number;
  /** Longest time an event waits before being sent (default 2000 ms). */
  flushIntervalMs?: number;
  /** Events kept in memory at most (default 10 000); when full the oldest are dropped. */
  maxQueueSize?: number;
  /** Retries per flush for network errors, 408, 429 and 5xx (default 8). */
  maxRetries?: number;
  /** A request that takes longer is aborted and retried (default 15 000 ms). */
  requestTimeoutMs?: number;
  fetch?: FetchLike;
  timers?: TimerApi;
  /** Clock (ms since the epoch) used for timestamps and Retry-After dates; default Date.now. */
  now?: () => number;
  /** Random source in [0, 1) for backoff jitter; default Math.random. */
  random?: () => number;
  /** Send queued events with `fetch(…, { keepalive: true })` when the page is hidden or unloaded (default true in browsers). */
  flushOnPageHide?: boolean;
  onError?: (error: ClearlogError) => void;
  /** Log what the SDK does to the console. */
  debug?: boolean;
}

export interface LoggerStats {
  /** events in memory, in flight or waiting */
  queued: number;
  /** events the server confirmed (accepted, duplicate, or dropped by its own policy) */
  sent: number;
  /** events dropped by the SDK because the queue was full */
  dropped: number;
  /** requests that failed and were (or would have been) retried: network, timeout, 408, 429, 5xx */
  failedAttempts: number;
  /** events the server rejected (400, 207 rejections, other 4xx, 413 for a single event) */
  rejected: number;
}

export interface AiInteraction {
  model: string;
  provider?: string;
  prompt?: string;
  response?: string;
  messages?: { role: string; content: string }[];
  /** a single total; use inputTokens/outputTokens when you have the split */
  tokens?: number;
  inputTokens?: number;
  outputTokens?: number;
  latencyMs?: number;
  costUsd?: number;
  conversationId?: string;
  /** anything else becomes an attribute of the event */
  [detail: string]: unknown;
}

/** What logApiRequest takes: the wire format's HTTP fields. */
export type ApiRequestInfo = HttpFields;

export type Details = Record<string, unknown>;

/** Feedback on a model version (POST {endpoint}/api/v1/feedback; the key needs the `feedback` scope). */
export interface Feedback {
  /** a UUID; the SDK assigns one when absent and reuses it on retries, so the server stores it once */
  id?: string;
  /** the registered model name, with exactly one of `version` or `alias`; or give `modelVersionId` instead */
  model?: string;
  version?: string;
  /** e.g. "production": the version the alias points at now */
  alias?: string;
  modelVersionId?: string;
  /** id of the AI interaction event the feedback is about (what logAIInteraction returned) */
  eventId?: string;
  /** the application's user id; defaults to the logger's subject for `end_user` feedback */
  subject?: string;
  rating?: "up" | "down";
  /** 0 to 10; keep one scale per model (0–1 or 1–5 stars both fit) */
  score?: number;
  /** at most 200 characters */
  label?: string;
  /** the right answer; at most 20 000 characters, classified and redacted like any event text */
  correction?: string;
  /** at most 5000 characters, classified and redacted like any event text */
  comment?: string;
  /** who gave it (default `end_user`) */
  source?: "end_user" | "annotator" | "automated";
}

/** What the server answers for stored feedback: 201 `accepted`, or 200 `duplicate` for a resent id. */
export interface FeedbackResponse {
  id: string;
  status: "accepted" | "duplicate";
  /** false unless the subject consented to ai_training, is not restricted and the event is not excluded */
  trainingEligible: boolean;
}

/** sendFeedback never rejects: it resolves with the server's answer or with what went wrong. */
export type FeedbackResult = ({ ok: true } & FeedbackResponse) | { ok: false; id: string; error: ClearlogError };

/** Every method catches everything: none of them throws into the application. Log calls return
 * the new event's id, or undefined when the event was skipped (reported through onError). */
export interface Logger {
  logUserAction(action: string, component: string, details?: Details): string | undefined;
  logAIInteraction(operation: string, interaction: AiInteraction): string | undefined;
  logError(error: unknown, component?: string, details?: Details): string | undefined;
  logApiRequest(request: ApiRequestInfo, details?: Details): string | undefined;
  logSystemEvent(name: string, details?: Details, severity?: Severity): string | undefined;
  /** Sets the session id of later events (a new random one when not given) and logs `session.start`. */
  startSession(sessionId?: string): string | undefined;
  /** Logs `session.end` for the current session and clears the session id. */
  endSession(): void;
  setSubject(subjectId: string | undefined): void;
  /** Sends feedback on a model version at once (not queued), retrying like events; never rejects. */
  sendFeedback(feedback: Feedback): Promise<FeedbackResult>;
  /** Sends everything queued. Resolves even if the server is down (the events then stay queued). */
  flush(): Promise<void>;
  /** Flushes, stops timers and page listeners; later log calls are ignored. With `timeoutMs`, resolves after at most that long. */
  shutdown(options?: { timeoutMs?: number }): Promise<void>;
  stats(): LoggerStats;
}
