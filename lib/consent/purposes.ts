// The purposes a new workspace starts with; consent_purposes holds the editable copy.
export interface PurposeDefinition {
  key: string;
  name: string;
  description: string;
  legalBasis: "consent" | "contract" | "legal_obligation" | "legitimate_interests";
  defaultGranted: boolean;
  isSaleOrSharing: boolean;
  dropUnconsented: boolean;
}

export const NOTICE_VERSION = "2026-11";

export const DEFAULT_PURPOSES: readonly PurposeDefinition[] = [
  { key: "essential", name: "Essential operation", description: "Security, fraud prevention and keeping the service running.", legalBasis: "contract", defaultGranted: true, isSaleOrSharing: false, dropUnconsented: false },
  { key: "analytics", name: "Product analytics", description: "Understanding how features are used, to improve them.", legalBasis: "consent", defaultGranted: false, isSaleOrSharing: false, dropUnconsented: false },
  { key: "error_reporting", name: "Error reporting", description: "Diagnosing crashes and failed requests.", legalBasis: "legitimate_interests", defaultGranted: true, isSaleOrSharing: false, dropUnconsented: false },
  { key: "ai_training", name: "AI model training", description: "Using your interactions to train and evaluate models.", legalBasis: "consent", defaultGranted: false, isSaleOrSharing: false, dropUnconsented: false },
  { key: "personalization", name: "Personalization", description: "Tailoring content and recommendations to you.", legalBasis: "consent", defaultGranted: false, isSaleOrSharing: false, dropUnconsented: false },
  { key: "marketing", name: "Marketing", description: "Sharing data with advertising partners and sending offers.", legalBasis: "consent", defaultGranted: false, isSaleOrSharing: true, dropUnconsented: true },
];
