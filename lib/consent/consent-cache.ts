import "server-only";
import { database } from "../db/client";
import { rows, sql } from "../db/sql";
import { env } from "../env";

// What ingestion needs to know about subjects' consent, cached per pseudonym for the same few seconds
// as the classification rules (CLEARLOG_RULES_CACHE_MS), and dropped at once when this process records
// a change: a consent change reaches ingestion within seconds.
export interface SubjectConsent {
  restricted: boolean;
  granted: Set<string>;
}

export interface PurposeRule {
  defaultGranted: boolean;
  dropUnconsented: boolean;
}

const cache = new Map<string, { value: SubjectConsent; at: number }>();
let purposes: { value: Map<string, PurposeRule>; at: number } | undefined;

export function forgetConsent(pseudonym: string): void {
  cache.delete(pseudonym);
}

export function forgetAllConsent(): void {
  cache.clear();
  purposes = undefined;
}

export async function purposeRules(now = Date.now()): Promise<Map<string, PurposeRule>> {
  if (purposes && now - purposes.at < env().CLEARLOG_RULES_CACHE_MS) return purposes.value;
  const found = await rows<{ key: string; default_granted: boolean; drop_unconsented: boolean }>(database().pool, sql`SELECT key, default_granted, drop_unconsented FROM consent_purposes`);
  purposes = { value: new Map(found.map((r) => [r.key, { defaultGranted: r.default_granted, dropUnconsented: r.drop_unconsented }])), at: now };
  return purposes.value;
}

/** Consent of each pseudonym: one query for the ones not cached. */
export async function consentOf(pseudonyms: string[], now = Date.now()): Promise<Map<string, SubjectConsent>> {
  const ttl = env().CLEARLOG_RULES_CACHE_MS;
  const out = new Map<string, SubjectConsent>();
  const missing: string[] = [];
  for (const p of pseudonyms) {
    const hit = cache.get(p);
    if (hit && now - hit.at < ttl) out.set(p, hit.value);
    else missing.push(p);
  }
  if (missing.length === 0) return out;
  const rules = await purposeRules(now);
  const { pool } = database();
  const [settings, restricted] = await Promise.all([
    rows<{ subject_pseudonym: string; purpose: string; granted: boolean }>(pool, sql`SELECT subject_pseudonym, purpose, granted FROM consent_settings WHERE subject_pseudonym = ANY(${missing}::text[])`),
    rows<{ pseudonym: string }>(pool, sql`SELECT pseudonym FROM subjects WHERE pseudonym = ANY(${missing}::text[]) AND restricted_at IS NOT NULL`),
  ]);
  const restrictedSet = new Set(restricted.map((r) => r.pseudonym));
  for (const p of missing) {
    const granted = new Set([...rules].filter(([, r]) => r.defaultGranted).map(([k]) => k));
    for (const s of settings) {
      if (s.subject_pseudonym !== p) continue;
      if (s.granted) granted.add(s.purpose);
      else granted.delete(s.purpose);
    }
    const value = { restricted: restrictedSet.has(p), granted };
    cache.set(p, { value, at: now });
    out.set(p, value);
  }
  return out;
}
