// The JSON that applications send to POST /api/v1/events, and what Clearlog answers. Shared by the
// SDK and the server (lib/ingest/event-schema.ts validates against it); types only, no runtime code.

export type EventType = "user_action" | "ai_interaction" | "api_request" | "error" | "system";
export type Severity = "debug" | "info" | "warn" | "error" | "fatal";

export interface AiFields {
  /** gen_ai.provider.name, e.g. "openai" */
  provider?: string;
  /** gen_ai.request.model */
  model: string;
  /** gen_ai.operation.name: "chat", "text_completion", "embeddings", … (default "chat") */
  operation?: string;
  prompt?: string;
  response?: string;
  messages?: { role: string; content: string }[];
  /** gen_ai.usage.input_tokens / output_tokens; or a single total in `tokens` */
  inputTokens?: number;
  outputTokens?: number;
  tokens?: number;
  latencyMs?: number;
  costUsd?: number;
  /** gen_ai.conversation.id */
  conversationId?: string;
}

export interface HttpFields {
  method: string;
  /** the route template (`/api/projects/:id`), not the raw URL */
  route: string;
  status: number;
  durationMs?: number;
  requestSize?: number;
  responseSize?: number;
  /** bodies are stored only if sent, and are classified like any other text */
  requestBody?: string;
  responseBody?: string;
}

export interface ErrorFields {
  name?: string;
  message: string;
  stack?: string;
}

export interface WireEvent {
  /** client-generated, unique per event; resending the same id and timestamp stores nothing twice */
  id: string;
  type: EventType;
  /** ISO 8601 string or milliseconds since the epoch */
  timestamp: string | number;
  /** the application's own user id; Clearlog stores only a keyed pseudonym of it */
  subject?: string;
  sessionId?: string;
  component?: string;
  /** what happened: the action of a user action, the name of a system event */
  name?: string;
  action?: string;
  severity?: Severity;
  message?: string;
  /** consent purpose the event serves (essential, analytics, error_reporting, …) */
  purpose?: string;
  userAgent?: string;
  attributes?: Record<string, unknown>;
  ai?: AiFields;
  http?: HttpFields;
  error?: ErrorFields;
}

export interface EventBatch {
  events: WireEvent[];
}

export type EventResult =
  | { id: string; status: "accepted" | "duplicate" }
  | { id: string; status: "dropped"; reason: string }
  | { id: string | null; status: "rejected"; field: string; reason: string };

/** 200 when nothing was rejected, 207 when some were, 400 when all were. */
export interface BatchResponse {
  accepted: number;
  duplicates: number;
  dropped: number;
  rejected: number;
  results: EventResult[];
}

/** Every error answer (400, 401, 403, 413, 415, 429, 5xx) has this shape. */
export interface ErrorResponse {
  error: string;
}
