import type { Classification } from "../db/generated/enums";

export type DetectorName =
  | "email"
  | "phone"
  | "payment_card"
  | "iban"
  | "ip_address"
  | "us_ssn"
  | "jwt"
  | "bearer_token"
  | "private_key"
  | "provider_api_key"
  | "labelled_secret"
  | "unlabelled_secret";

export interface DetectorMatch {
  start: number;
  end: number;
  detector: DetectorName;
}

export interface Detector {
  name: DetectorName;
  /** what replaces a redacted match, e.g. `[EMAIL]` */
  marker: string;
  /** data category in the taxonomy, e.g. `user.contact.email` */
  category: string;
  level: Classification;
  /** secrets are never stored in any form, whatever the rules say */
  secret: boolean;
  find(text: string): DetectorMatch[];
}
