// Event type names, labels and chart colours; pure so client charts can import them.
import type { Classification, EventType } from "../db/enums";

export { CLASSIFICATIONS, EVENT_TYPES } from "../db/enums";
export type EventTypeKey = EventType;

/** Events of each type in one time bucket; `bucket` is the bucket's start as an ISO string. */
export type VolumeBucket = { bucket: string } & Record<EventTypeKey, number>;

export const EVENT_TYPE_LABELS: Record<EventTypeKey, string> = {
  user_action: "User actions",
  ai_interaction: "AI interactions",
  api_request: "API requests",
  error: "Errors",
  system: "System",
};

export const EVENT_TYPE_COLORS: Record<EventTypeKey, string> = {
  user_action: "#2f6fed",
  ai_interaction: "#8b5cf6",
  api_request: "#14b8a6",
  error: "#ef4444",
  system: "#94a3b8",
};

export type ClassificationKey = Classification;

export const CLASSIFICATION_LABELS: Record<ClassificationKey, string> = {
  public: "Public",
  internal: "Internal",
  confidential: "Confidential",
  restricted: "Restricted",
};

/** From calm to alarming, so the most sensitive share stands out. */
export const CLASSIFICATION_COLORS: Record<ClassificationKey, string> = {
  public: "#22c55e",
  internal: "#2f6fed",
  confidential: "#f59e0b",
  restricted: "#ef4444",
};

/** AI charts lead with the AI interaction violet; further models get distinct hues. */
export const MODEL_COLORS = ["#8b5cf6", "#2f6fed", "#ec4899", "#14b8a6", "#f59e0b", "#0ea5e9", "#a855f7", "#94a3b8"] as const;

/** Two shades per chart: the median lighter, the 95th percentile darker. */
export const LATENCY_COLORS = {
  api: { p50: "#5eead4", p95: "#0f766e" },
  ai: { p50: "#c4b5fd", p95: "#6d28d9" },
} as const;
