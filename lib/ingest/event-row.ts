import type { StorableEvent } from "./normalize";

import type { Classification } from "../db/enums";
import type { EventRow } from "../logs/columns";

// An event as a system_logs row (its type comes from the column table, lib/logs/columns.ts). Pure:
// ingestion writes these, and the rule tester shows one.
export type { EventRow };

export interface RowDecisions {
  classification: Classification;
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
