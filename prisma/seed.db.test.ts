import { beforeAll, describe, expect, it } from "vitest";
import { authenticateApiKey } from "../lib/auth/api-keys";
import { hashPassword, verifyPassword } from "../lib/auth/password";
import { DEFAULT_RULES } from "../lib/classify/default-rules";
import { DEFAULT_PURPOSES } from "../lib/consent/purposes";
import { database, db } from "../lib/db/client";
import { pseudonymFor } from "../lib/privacy/pseudonym";
import { DEFAULT_RETENTION } from "../lib/retention/default-policies";
import { DEMO_ACCOUNTS, DEMO_END_USER_SUBJECT, demoAccountsInUse, seedDemoWorkspace, type SeedResult } from "./seed";

const TABLES = [
  "users", "api_keys", "subjects", "consent_purposes", "consent_settings", "consent_history", "classification_rules",
  "retention_policies", "system_logs", "logging_sessions", "privacy_requests", "model_registry", "model_versions",
  "model_aliases", "model_feedback", "audit_log",
] as const;
/** Tables that must hold pseudonyms only: the application's user ids live in `subjects` alone. */
const PSEUDONYMOUS = ["system_logs", "logging_sessions", "consent_settings", "consent_history", "privacy_requests", "model_feedback"] as const;
const RAW_SUBJECT_ID = "user-1[0-9]{3}";

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await database().pool.query(sql, params)).rows as T[];
}

async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of TABLES) result[table] = (await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  return result;
}

const now = new Date();
let seed: SeedResult;
let seededCounts: Record<string, number>;

beforeAll(async () => {
  seed = await seedDemoWorkspace({ events: 600, now });
  seededCounts = await counts();
}, 120_000);

describe("seedDemoWorkspace", () => {
  it("reports what it created", () => {
    expect(seed).toEqual({ seeded: true, apiKey: expect.stringMatching(/^clk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/), events: 600 });
  });

  it("creates a user per role (three end users) whose published demo password verifies", async () => {
    const users = await db().user.findMany({ orderBy: { email: "asc" } });
    expect(users).toHaveLength(5);
    expect(users.map((u) => u.role).sort()).toEqual(["admin", "data_scientist", "end_user", "end_user", "end_user"]);
    for (const account of DEMO_ACCOUNTS) {
      const user = users.find((u) => u.email === account.email)!;
      expect(user.role).toBe(account.role);
      expect(await verifyPassword(account.password, user.passwordHash!)).toBe(true);
      expect(await verifyPassword(`${account.password}x`, user.passwordHash!)).toBe(false);
      expect(user.subjectPseudonym).toBe("subject" in account ? pseudonymFor(account.subject) : null);
    }
    // The end user's portal has data: their pseudonym is a seeded subject with events.
    const pseudonym = pseudonymFor(DEMO_END_USER_SUBJECT);
    expect(await db().subject.findUnique({ where: { pseudonym } })).toMatchObject({ externalId: DEMO_END_USER_SUBJECT });
    expect(await db().systemLog.count({ where: { subjectPseudonym: pseudonym } })).toBeGreaterThan(0);
  });

  it("creates exactly one API key, stored hashed, that authenticates for every scope", async () => {
    const keys = await db().apiKey.findMany();
    expect(keys).toHaveLength(1);
    expect(seed.apiKey!.startsWith(`${keys[0]!.prefix}_`)).toBe(true);
    expect(keys[0]!.secretHash).not.toContain(seed.apiKey!.slice(13));
    for (const scope of ["ingest", "consent", "feedback", "privacy"] as const) {
      expect(await authenticateApiKey(seed.apiKey!, scope)).toMatchObject({ keyId: keys[0]!.id });
    }
    const wrong = `${seed.apiKey!.slice(0, -1)}${seed.apiKey!.endsWith("A") ? "B" : "A"}`;
    await expect(authenticateApiKey(wrong, "ingest")).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("stores events of all five types, within the week before now, with sessions that add up", async () => {
    const types = await rows<{ type: string; n: number }>(`SELECT type::text, count(*)::int AS n FROM system_logs GROUP BY 1 ORDER BY 1`);
    expect(types.map((t) => t.type)).toEqual(["ai_interaction", "api_request", "error", "system", "user_action"]);
    expect(types.reduce((sum, t) => sum + t.n, 0)).toBe(600);
    const [span] = await rows<{ min: Date; max: Date }>(`SELECT min(occurred_at), max(occurred_at) FROM system_logs`);
    expect(span!.max.getTime()).toBeLessThanOrEqual(now.getTime());
    expect(span!.min.getTime()).toBeGreaterThan(now.getTime() - 7 * 86_400_000);
    const [sessions] = await rows<{ total: number; with_session: number; orphans: number }>(
      `SELECT (SELECT sum(event_count)::int FROM logging_sessions) AS total,
              (SELECT count(*)::int FROM system_logs WHERE session_id IS NOT NULL) AS with_session,
              (SELECT count(*)::int FROM system_logs l WHERE session_id IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM logging_sessions s WHERE s.session_key = l.session_id)) AS orphans`,
    );
    expect(sessions!.with_session).toBeGreaterThan(0);
    expect(sessions).toEqual({ total: sessions!.with_session, with_session: sessions!.with_session, orphans: 0 });
  });

  it("keeps raw subject ids out of every pseudonymous table", async () => {
    // The pattern does find them where they belong, so a miss below is meaningful.
    const [linked] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM subjects t WHERE t::text ~ $1`, [RAW_SUBJECT_ID]);
    expect(linked!.n).toBe(40);
    const leaks: Record<string, number> = {};
    for (const table of PSEUDONYMOUS) {
      expect(seededCounts[table], table).toBeGreaterThan(0);
      leaks[table] = (await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} t WHERE t::text ~ $1`, [RAW_SUBJECT_ID]))[0]!.n;
    }
    expect(leaks).toEqual(Object.fromEntries(PSEUDONYMOUS.map((t) => [t, 0])));
  });

  it("records consent for every subject and purpose, with matching history", async () => {
    expect(seededCounts.consent_purposes).toBe(DEFAULT_PURPOSES.length);
    expect(seededCounts.consent_settings).toBe(40 * DEFAULT_PURPOSES.length);
    const [missing] = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM subjects s CROSS JOIN consent_purposes p
        WHERE NOT EXISTS (SELECT 1 FROM consent_settings c WHERE c.subject_pseudonym = s.pseudonym AND c.purpose = p.key)`,
    );
    expect(missing!.n).toBe(0);
    const [unmatched] = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM consent_settings c
        WHERE NOT EXISTS (SELECT 1 FROM consent_history h WHERE h.subject_pseudonym = c.subject_pseudonym AND h.purpose = c.purpose
                            AND h.granted = c.granted AND h.method = c.method AND h.notice_version = c.notice_version)`,
    );
    expect(unmatched!.n).toBe(0);
    expect(seededCounts.consent_history).toBe(seededCounts.consent_settings);
    // Essential purposes are granted by default; consent-based ones vary across subjects.
    const granted = await rows<{ purpose: string; yes: number }>(
      `SELECT purpose, count(*) FILTER (WHERE granted)::int AS yes FROM consent_settings GROUP BY 1`,
    );
    expect(granted.find((g) => g.purpose === "essential")!.yes).toBe(40);
    expect(granted.find((g) => g.purpose === "analytics")!.yes).toBeGreaterThan(0);
    expect(granted.find((g) => g.purpose === "analytics")!.yes).toBeLessThan(40);
  });

  it("adds privacy requests, a model with a production alias, default rules and retention", async () => {
    expect(seededCounts.privacy_requests).toBeGreaterThanOrEqual(2);
    const requests = await db().privacyRequest.findMany();
    expect(requests.every((r) => /^[0-9a-f]{64}$/.test(r.subjectPseudonym ?? ""))).toBe(true);
    const aliases = await db().modelAlias.findMany({ include: { model: true, modelVersion: true } });
    expect(aliases).toHaveLength(1);
    expect(aliases[0]).toMatchObject({ alias: "production", model: { name: "support-assistant" }, modelVersion: { version: "1.0.0" } });
    expect(aliases[0]!.modelVersion.modelId).toBe(aliases[0]!.modelId);
    expect(seededCounts.model_feedback).toBeGreaterThan(0);
    // Its lineage: the version was trained on an AI usage set extracted from consenting subjects.
    const lineage = await db().modelVersionFeatureSet.findMany({ include: { featureSet: true } });
    expect(lineage).toHaveLength(1);
    expect(lineage[0]!.featureSet).toMatchObject({ featureType: "ai_usage", staleAt: null });
    expect(lineage[0]!.featureSet.completedAt).not.toBeNull();
    expect(lineage[0]!.featureSet.subjectCount).toBeGreaterThan(0);
    expect(seededCounts.classification_rules).toBe(DEFAULT_RULES.length);
    expect((await db().retentionPolicy.findMany()).map((p) => p.classification).sort()).toEqual(
      DEFAULT_RETENTION.map((p) => p.classification).sort(),
    );
    expect(await db().auditLog.count({ where: { action: "workspace.seed", actorType: "system" } })).toBe(1);
  });

  it("does nothing the second time", async () => {
    const before = await counts(); // audit_log has grown since: the API key test logged a denied key
    expect(before.system_logs).toBe(seededCounts.system_logs);
    expect(await seedDemoWorkspace({ events: 600, now: new Date() })).toEqual({ seeded: false });
    expect(await counts()).toEqual(before);
  });

  it("demoAccountsInUse lists the demo logins whose published password still works", async () => {
    const all = await demoAccountsInUse();
    expect(all.map((a) => a.email)).toEqual(DEMO_ACCOUNTS.map((a) => a.email));
    expect(all.every((a) => DEMO_ACCOUNTS.some((d) => d.email === a.email && d.password === a.password))).toBe(true);
    await db().user.update({ where: { email: "scientist@clearlog.demo" }, data: { passwordHash: await hashPassword("a-private-password-123") } });
    const left = await demoAccountsInUse();
    expect(left.map((a) => a.email)).toEqual(["admin@clearlog.demo", "user@clearlog.demo", "eli@clearlog.demo", "noor@clearlog.demo"]);
  });
});
