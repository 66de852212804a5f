import { enumValues, FeatureType } from "../db/enums";

// What each feature type computes, column by column. Pure data: the extraction SQL writes exactly
// these keys, the downloads use them as columns, the manifest and the pages describe them.
// Bump a type's version whenever its SQL changes what a column means; the manifest records it.
export const FEATURE_TYPES = enumValues(FeatureType);
export type FeatureTypeName = FeatureType;

export type ColumnType = "string" | "integer" | "double" | "timestamp" | "string_list" | "json";

export interface FeatureColumn {
  name: string;
  type: ColumnType;
  description: string;
}

export interface FeatureDefinition {
  label: string;
  version: number;
  /** what one row is about */
  entity: "subject" | "error_fingerprint";
  summary: string;
  columns: readonly FeatureColumn[];
}

export const FEATURE_DEFINITIONS: Record<FeatureTypeName, FeatureDefinition> = {
  user_behavior: {
    label: "User behavior",
    version: 1,
    entity: "subject",
    summary: "One row per consenting subject with events in the range: how much and how they use the product.",
    columns: [
      { name: "events", type: "integer", description: "events of every type in the range" },
      { name: "events_by_action", type: "json", description: "user actions by name, e.g. {\"search\": 12}" },
      { name: "sessions", type: "integer", description: "distinct sessions" },
      { name: "mean_session_seconds", type: "double", description: "mean time between a session's first and last event in the range" },
      { name: "active_days", type: "integer", description: "distinct UTC days with an event" },
      { name: "error_rate", type: "double", description: "share of the subject's events that are errors" },
      { name: "first_seen", type: "timestamp", description: "first event in the range" },
      { name: "last_seen", type: "timestamp", description: "last event in the range" },
    ],
  },
  ai_usage: {
    label: "AI usage",
    version: 1,
    entity: "subject",
    summary: "One row per consenting subject with AI interactions in the range: volume, tokens, models, latency and the feedback they gave.",
    columns: [
      { name: "interactions", type: "integer", description: "AI interactions" },
      { name: "input_tokens", type: "integer", description: "sum of gen_ai.usage.input_tokens" },
      { name: "output_tokens", type: "integer", description: "sum of gen_ai.usage.output_tokens" },
      { name: "models", type: "string_list", description: "models used, sorted" },
      { name: "mean_latency_ms", type: "double", description: "mean latency of the interactions that report one" },
      { name: "p95_latency_ms", type: "double", description: "95th percentile latency" },
      { name: "cost_usd", type: "double", description: "sum of reported cost" },
      { name: "feedback_count", type: "integer", description: "feedback the subject gave in the range (training-eligible only)" },
      { name: "mean_feedback_score", type: "double", description: "mean score of that feedback, when scored" },
      { name: "thumbs_up", type: "integer", description: "positive ratings" },
      { name: "thumbs_down", type: "integer", description: "negative ratings" },
    ],
  },
  error_patterns: {
    label: "Error patterns",
    version: 1,
    entity: "error_fingerprint",
    summary: "One row per error fingerprint: how often it happens, to how many consenting subjects, and whether it is rising. Errors without a subject (system errors) count; they carry no person.",
    columns: [
      { name: "error_type", type: "string", description: "most frequent error name for the fingerprint" },
      { name: "count", type: "integer", description: "occurrences in the range" },
      { name: "affected_subjects", type: "integer", description: "distinct consenting subjects who hit it" },
      { name: "components", type: "string_list", description: "components it occurred in, sorted" },
      { name: "first_seen", type: "timestamp", description: "first occurrence in the range" },
      { name: "last_seen", type: "timestamp", description: "last occurrence in the range" },
      { name: "first_half_count", type: "integer", description: "occurrences in the first half of the range" },
      { name: "second_half_count", type: "integer", description: "occurrences in the second half" },
      { name: "trend", type: "string", description: "rising (second half ≥ 1.25× the first), falling (≤ 0.8×) or stable" },
    ],
  },
};

/** Why a subject seen in the range was left out. */
export const EXCLUSION_REASONS = {
  no_consent: "never granted AI training consent",
  withdrawn: "withdrew or refused AI training consent",
  restricted: "restricted processing (GDPR art. 18)",
  erased: "erased: the subject link no longer exists",
  events_excluded: "consents now, but every event in the range was marked excluded from training when it arrived",
} as const;
export type ExclusionReason = keyof typeof EXCLUSION_REASONS;
