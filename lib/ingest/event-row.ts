import type { StorableEvent } from "./normalize";

// An event as a system_logs row. Pure: ingestion writes these, and the rule tester shows one.
export interface EventRow {
  event_id: string;
  occurred_at: string;
  type: string;
  severity: string;
  name: string;
  message: string | null;
  component: string | null;
  subject_pseudonym: string | null;
  session_id: string | null;
  classification: string;
  categories: string[];
  purpose: string | null;
  training_excluded: boolean;
  api_key_id: string | null;
  gen_ai_provider_name: string | null;
  gen_ai_request_model: string | null;
  gen_ai_operation_name: string | null;
  gen_ai_conversation_id: string | null;
  gen_ai_usage_input_tokens: number | null;
  gen_ai_usage_output_tokens: number | null;
  gen_ai_latency_ms: number | null;
  gen_ai_cost_usd: number | null;
  http_request_method: string | null;
  http_route: string | null;
  http_response_status_code: number | null;
  http_duration_ms: number | null;
  http_request_size: number | null;
  http_response_size: number | null;
  error_type: string | null;
  error_fingerprint: string | null;
  payload: Record<string, unknown>;
}

export interface RowDecisions {
  classification: string;
  categories: string[];
  subjectPseudonym: string | null;
  trainingExcluded: boolean;
  apiKeyId: string | null;
}

export function toEventRow(event: StorableEvent, d: RowDecisions): EventRow {
  return {
    event_id: event.eventId,
    occurred_at: event.occurredAt.toISOString(),
    type: event.type,
    severity: event.severity,
    name: event.name,
    message: event.message,
    component: event.component,
    subject_pseudonym: d.subjectPseudonym,
    session_id: event.sessionId,
    classification: d.classification,
    categories: d.categories,
    purpose: event.purpose,
    training_excluded: d.trainingExcluded,
    api_key_id: d.apiKeyId,
    gen_ai_provider_name: event.genAi.provider,
    gen_ai_request_model: event.genAi.model,
    gen_ai_operation_name: event.genAi.operation,
    gen_ai_conversation_id: event.genAi.conversationId,
    gen_ai_usage_input_tokens: event.genAi.inputTokens,
    gen_ai_usage_output_tokens: event.genAi.outputTokens,
    gen_ai_latency_ms: event.genAi.latencyMs,
    gen_ai_cost_usd: event.genAi.costUsd,
    http_request_method: event.http.method,
    http_route: event.http.route,
    http_response_status_code: event.http.status,
    http_duration_ms: event.http.durationMs,
    http_request_size: event.http.requestSize,
    http_response_size: event.http.responseSize,
    error_type: event.errorType,
    error_fingerprint: event.errorFingerprint,
    payload: event.payload,
  };
}
