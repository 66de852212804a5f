// Event type names, labels and chart colours; pure so client charts can import them.
export const EVENT_TYPES = ["user_action", "ai_interaction", "api_request", "error", "system"] as const;
export type EventTypeKey = (typeof EVENT_TYPES)[number];
export type DailyVolume = { day: string } & Record<EventTypeKey, number>;

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
