// Erasure receipts in words, for the person (privacy center) and the admin (request page).
const TABLE_LABELS: Record<string, string> = {
  system_logs: "events deleted",
  logging_sessions: "sessions deleted",
  consent_settings: "consent choices deleted",
  consent_history: "consent history entries deleted",
  model_feedback: "feedback entries deleted",
  extracted_features: "training feature rows deleted",
  subject_exports: "data archives deleted",
  privacy_requests: "requests stripped of your details",
  users: "accounts unlinked from your data",
  feature_set_subjects: "training set memberships marked erased",
  subjects: "identity links deleted",
};

export interface ReceiptSummary {
  erasedAt: string;
  lines: { table: string; label: string; count: number }[];
  featureSets: number;
  modelVersions: number;
  /** ids, for the admin's page (they name no person) */
  featureSetIds: string[];
  modelVersionIds: string[];
}

/** The receipt of a completed erasure request, or null for any other request. */
export function receiptSummary(type: string, receipt: unknown): ReceiptSummary | null {
  if (type !== "erasure" || !receipt || typeof receipt !== "object") return null;
  const r = receipt as { erasedAt?: string; tables?: Record<string, number>; featureSets?: string[]; modelVersions?: string[] };
  return {
    erasedAt: r.erasedAt ?? "",
    lines: Object.entries(r.tables ?? {})
      .map(([table, count]) => ({ table, label: TABLE_LABELS[table] ?? table, count }))
      .sort((a, b) => Object.keys(TABLE_LABELS).indexOf(a.table) - Object.keys(TABLE_LABELS).indexOf(b.table)),
    featureSets: r.featureSets?.length ?? 0,
    modelVersions: r.modelVersions?.length ?? 0,
    featureSetIds: r.featureSets ?? [],
    modelVersionIds: r.modelVersions ?? [],
  };
}
