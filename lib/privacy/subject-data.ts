// Every column where a subject's pseudonym can be stored, and what erasure does with its rows.
// Erasure walks this list; a database test fails when a column named like `*pseudonym*` exists
// that is not on it, so a later table that holds subject data cannot be forgotten.
export interface SubjectColumn {
  table: string;
  column: string;
  /** delete the rows; unlink (set the column to null, and `alsoClear` with it); take the subject out
   *  of training sets (lib/training/withdrawal.ts: the pseudonym becomes a random token); or, for the
   *  notification outbox, delete the finished deliveries and unlink those still waiting, which go out
   *  (a requester's receipt must not be lost to a quick erasure) and then keep no payload */
  erase: "delete" | "unlink" | "training_membership" | "outbox";
  alsoClear?: readonly string[];
  /** other columns of the same rows holding the same pseudonym, rewritten with it by key rotation */
  mirrors?: readonly string[];
}

export const SUBJECT_COLUMNS: readonly SubjectColumn[] = [
  { table: "system_logs", column: "subject_pseudonym", erase: "delete" },
  { table: "logging_sessions", column: "subject_pseudonym", erase: "delete" },
  { table: "consent_settings", column: "subject_pseudonym", erase: "delete" },
  { table: "consent_history", column: "subject_pseudonym", erase: "delete" },
  { table: "model_feedback", column: "subject_pseudonym", erase: "delete" },
  // First: it finds the feature sets through the rows below before they go.
  { table: "feature_set_subjects", column: "subject_pseudonym", erase: "training_membership" },
  { table: "extracted_features", column: "subject_pseudonym", erase: "delete", mirrors: ["entity_key"] },
  { table: "subject_exports", column: "subject_pseudonym", erase: "delete" },
  { table: "trace_subjects", column: "subject_pseudonym", erase: "delete" },
  // Webhooks and e-mails about them, sealed payloads and all (the erasure's own notices come after).
  { table: "notification_deliveries", column: "subject_pseudonym", erase: "outbox" },
  // Requests stay as the record that the person's rights were honoured; their words go.
  { table: "privacy_requests", column: "subject_pseudonym", erase: "unlink", alsoClear: ["details", "requester_contact", "resolution_note"] },
  // Portal sessions the application issued stay (unlinked) so the person can read the receipt in them.
  { table: "portal_sessions", column: "subject_pseudonym", erase: "unlink", alsoClear: ["return_url"] },
  // The portal account stays so the person can sign in and read the receipt.
  { table: "users", column: "subject_pseudonym", erase: "unlink" },
  // Last: the link between the application's id and the pseudonym.
  { table: "subjects", column: "pseudonym", erase: "delete" },
];

/**
 * Rows that hold none of the person's ids but point at their rows, erased with them: feedback sent
 * about one of their events by its id only (no subject) quotes or judges what they said.
 */
export interface SubjectReference {
  table: string;
  column: string;
  /** the referenced column, of a table in SUBJECT_COLUMNS whose rows erasure deletes */
  references: { table: string; column: string };
}

export const SUBJECT_REFERENCES: readonly SubjectReference[] = [{ table: "model_feedback", column: "event_id", references: { table: "system_logs", column: "event_id" } }];
