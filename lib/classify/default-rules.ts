import type { EventType } from "../db/generated/enums";

// The classification rules a new workspace starts with; admins edit them in the console.
export interface DefaultRule {
  name: string;
  description: string;
  priority: number;
  matchEventType?: EventType;
  matchFieldPath?: string;
  matchRegex?: string;
  matchDetector?: string;
  level: "public" | "internal" | "confidential" | "restricted";
  categories: string[];
  action: "redact" | "hash" | "drop_field" | "drop_event" | "classify_only";
}

export const DEFAULT_RULES: readonly DefaultRule[] = [
  { name: "Secrets and credentials", description: "Private keys, API keys, bearer tokens and JWTs are never stored.", priority: 10, matchDetector: "secret", level: "restricted", categories: ["system.credentials"], action: "redact" },
  { name: "Payment cards", description: "Luhn-valid card numbers.", priority: 20, matchDetector: "payment_card", level: "restricted", categories: ["user.financial.card"], action: "redact" },
  { name: "Government identifiers", description: "US social security numbers.", priority: 30, matchDetector: "us_ssn", level: "restricted", categories: ["user.government_id"], action: "redact" },
  { name: "Bank accounts", description: "IBANs with a valid checksum.", priority: 40, matchDetector: "iban", level: "confidential", categories: ["user.financial.bank_account"], action: "redact" },
  { name: "Email addresses", description: "Kept joinable as keyed hashes.", priority: 50, matchDetector: "email", level: "confidential", categories: ["user.contact.email"], action: "hash" },
  { name: "Phone numbers", description: "International and national formats.", priority: 60, matchDetector: "phone", level: "confidential", categories: ["user.contact.phone"], action: "redact" },
  { name: "IP addresses", description: "IPv4 and IPv6 addresses in free text.", priority: 70, matchDetector: "ip_address", level: "internal", categories: ["user.device.ip_address"], action: "redact" },
  { name: "Sensitive field names", description: "Fields named password, secret, token, authorization, cookie…", priority: 80, matchDetector: "sensitive_field", level: "restricted", categories: ["system.credentials"], action: "drop_field" },
  { name: "AI prompts and responses", description: "Free text exchanged with models is confidential by default.", priority: 90, matchEventType: "ai_interaction", matchFieldPath: "gen_ai.*", level: "confidential", categories: ["user.content.ai_conversation"], action: "classify_only" },
  { name: "Health checks", description: "Load-balancer probes are noise.", priority: 100, matchEventType: "api_request", matchFieldPath: "http.route", matchRegex: "^/(healthz|readyz)$", level: "public", categories: [], action: "drop_event" },
];
