import { findCards, findEmails, findIbans, findIps, findPhones, findSsns, resolveOverlaps } from "./detector-patterns";
import type { Detector, DetectorMatch, DetectorName } from "./detector-types";
import { findAuthorizationCredentials, findJwts, findLabelledSecrets, findPrivateKeys, findProviderKeys, mayContainSecret } from "./secret-patterns";
import { isSensitiveFieldName } from "./sensitive-names";
import { findUnlabelledSecrets } from "./unlabelled-secrets";

// The built-in detectors used by classification at ingest (see docs/ingestion.md and
// lib/classify/engine.ts). Pure and synchronous: safe in the browser, the edge and tests.
//
// Cost: every finder is linear in the text (anchored, bounded patterns; see detector-patterns.ts).
// Texts are scanned whole, never truncated: a cap that stopped scanning would let a secret past the
// cap be stored in the clear. The ingest size limit (256 KiB per event) bounds the work per call.

type Spec = Omit<Detector, "name">;

const SPECS: Record<DetectorName, Spec> = {
  email: { marker: "[EMAIL]", category: "user.contact.email", level: "confidential", secret: false, find: findEmails },
  phone: { marker: "[PHONE]", category: "user.contact.phone", level: "confidential", secret: false, find: findPhones },
  payment_card: { marker: "[CARD]", category: "user.financial.card", level: "restricted", secret: false, find: findCards },
  iban: { marker: "[IBAN]", category: "user.financial.bank_account", level: "confidential", secret: false, find: findIbans },
  ip_address: { marker: "[IP]", category: "user.device.ip_address", level: "internal", secret: false, find: findIps },
  us_ssn: { marker: "[SSN]", category: "user.government_id", level: "restricted", secret: false, find: findSsns },
  jwt: { marker: "[JWT]", category: "system.credentials", level: "restricted", secret: true, find: findJwts },
  bearer_token: { marker: "[TOKEN]", category: "system.credentials", level: "restricted", secret: true, find: findAuthorizationCredentials },
  private_key: { marker: "[PRIVATE_KEY]", category: "system.credentials", level: "restricted", secret: true, find: findPrivateKeys },
  provider_api_key: { marker: "[API_KEY]", category: "system.credentials", level: "restricted", secret: true, find: findProviderKeys },
  labelled_secret: { marker: "[SECRET]", category: "system.credentials", level: "restricted", secret: true, find: findLabelledSecrets },
  unlabelled_secret: { marker: "[SECRET]", category: "system.credentials", level: "restricted", secret: true, find: findUnlabelledSecrets },
};

export const DETECTORS: Readonly<Record<DetectorName, Detector>> = Object.fromEntries(
  (Object.keys(SPECS) as DetectorName[]).map((name) => [name, { name, ...SPECS[name] }]),
) as Record<DetectorName, Detector>;

/**
 * Tie-break between matches of equal length and secrecy: the more specific detector wins, so
 * `Bearer eyJ…` reads `Bearer [JWT]` and `Bearer clk_…` reads `Bearer [API_KEY]`.
 */
const PRIORITY: readonly DetectorName[] = [
  "private_key",
  "jwt",
  "provider_api_key",
  "bearer_token",
  "labelled_secret",
  "unlabelled_secret",
  "payment_card",
  "us_ssn",
  "iban",
  "email",
  "phone",
  "ip_address",
];

export function detectorNames(): DetectorName[] {
  return Object.keys(SPECS) as DetectorName[];
}

/** The detectors whose matches are credentials: never stored in any form, whatever the rules say. */
export const SECRET_DETECTORS: readonly DetectorName[] = detectorNames().filter((n) => SPECS[n].secret);

/**
 * For identifiers (event ids, purpose keys, session and conversation ids): random by design, so a long
 * random id is not taken for an unlabelled secret; every other credential shape still is.
 */
export const ID_SECRET_DETECTORS: readonly DetectorName[] = SECRET_DETECTORS.filter((n) => n !== "unlabelled_secret");

const rank = (a: DetectorMatch, b: DetectorMatch): number =>
  Number(SPECS[b.detector].secret) - Number(SPECS[a.detector].secret) ||
  b.end - b.start - (a.end - a.start) ||
  PRIORITY.indexOf(a.detector) - PRIORITY.indexOf(b.detector) ||
  a.start - b.start;

/**
 * Cheap necessary conditions, checked before a detector scans a text: every detector's match needs
 * them (a secret one of the hint words, an email an `@`, the numeric ones a digit, an IPv6 at least
 * a digit or a colon). They only ever skip work that could not find anything.
 */
class Possible {
  private digit?: boolean;
  private secret?: boolean;
  constructor(private readonly text: string) {}

  private hasDigit(): boolean {
    return (this.digit ??= /\d/.test(this.text));
  }

  for(name: DetectorName): boolean {
    if (name === "labelled_secret") return this.text.includes("=") || this.text.includes(":");
    if (name === "unlabelled_secret") return this.text.length >= 32;
    if (SPECS[name].secret) return (this.secret ??= mayContainSecret(this.text));
    switch (name) {
      case "email":
        return this.text.includes("@") || /%40/i.test(this.text);
      case "ip_address":
        return this.hasDigit() || this.text.includes(":");
      default:
        return this.hasDigit();
    }
  }
}

/**
 * Matches of the given detectors (all by default), sorted by start and non-overlapping. Where matches
 * overlap, a secret detector beats a non-secret one, then the longer match wins, then the more
 * specific detector (PRIORITY), then the earlier one.
 */
export function findAll(text: string, names: readonly DetectorName[] = detectorNames()): DetectorMatch[] {
  if (text.length === 0) return [];
  const matches: DetectorMatch[] = [];
  const possible = new Possible(text);
  for (const name of new Set(names)) {
    if (!possible.for(name)) continue;
    for (const m of DETECTORS[name].find(text)) matches.push(m);
  }
  return resolveOverlaps(matches, rank);
}

export { isSensitiveFieldName };
