// Retention a new workspace starts with: the more sensitive, the shorter.
export const DEFAULT_RETENTION = [
  { name: "Public events", classification: "public", keepDays: 365, action: "delete" },
  { name: "Internal events", classification: "internal", keepDays: 180, action: "delete" },
  { name: "Confidential events", classification: "confidential", keepDays: 90, action: "anonymize" },
  { name: "Restricted events", classification: "restricted", keepDays: 30, action: "delete" },
] as const;
