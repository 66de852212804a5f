import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { recordConsent } from "../consent/consent";
import { database, db } from "../db/client";
import { ingestEvents } from "../ingest/ingest";
import { flushSessions } from "../ingest/session-tracker";
import { rekeyPseudonyms } from "./key-rotation";
import { pseudonymFor } from "./pseudonym";
import { SUBJECT_COLUMNS } from "./subject-data";

const NEW_KEY = "rotated-secret-0123456789abcdef0123456789abcdef";

/** How many rows hold `pseudonym`, per registry column and mirror. */
async function holders(pseudonym: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of SUBJECT_COLUMNS) {
    for (const column of [c.column, ...(c.mirrors ?? [])]) {
      out[`${c.table}.${column}`] = Number((await database().pool.query(`SELECT count(*) AS n FROM "${c.table}" WHERE "${column}" = $1`, [pseudonym])).rows[0].n);
    }
  }
  return out;
}

describe("rekeyPseudonyms", () => {
  it("rewrites a subject's pseudonym in every registry column and mirror, leaves erased pseudonyms alone, and is idempotent", async () => {
    const ext = `rekey-${randomUUID()}`;
    const before = pseudonymFor(ext);
    const after = pseudonymFor(ext, NEW_KEY);
    const orphan = pseudonymFor(`erased-${randomUUID()}`);
    const sessionId = `s-${randomUUID()}`;
    await recordConsent(before, [{ purpose: "analytics", granted: true }], { method: "explicit" });
    expect(await ingestEvents([{ id: randomUUID(), type: "user_action", timestamp: new Date().toISOString(), subject: ext, sessionId, action: "open" }], { apiKeyId: null, ip: null, userAgent: null })).toMatchObject({ accepted: 1 });
    await flushSessions();
    const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: "R", role: "end_user", subjectPseudonym: before } });
    await db().privacyRequest.create({ data: { subjectPseudonym: before, requesterId: user.id, type: "objection", dueAt: new Date() } });
    const tombstone = `erased:${randomUUID()}`;
    const set = await db().featureSet.create({
      data: {
        featureType: "user_behavior",
        startDate: new Date(),
        endDate: new Date(),
        definitionVersion: 1,
        subjectCount: 3,
        subjects: { create: [{ subjectPseudonym: orphan }, { subjectPseudonym: before }, { subjectPseudonym: tombstone, withdrawnAt: new Date(), withdrawal: "erased" }] },
      },
    });
    await db().extractedFeature.create({ data: { featureSetId: set.id, entityKey: before, subjectPseudonym: before, features: {} } });
    // An error_patterns row keys on a fingerprint, not a pseudonym: its entity_key stays.
    const fingerprint = await db().extractedFeature.create({ data: { featureSetId: set.id, entityKey: "3f2a9c0d1e4b5a67", subjectPseudonym: before, features: {} } });

    const planted = await holders(before);
    const columns = ["system_logs", "logging_sessions", "consent_settings", "consent_history", "privacy_requests", "users", "feature_set_subjects", "extracted_features", "subjects"];
    for (const column of columns) {
      expect(Object.entries(planted).find(([k]) => k.startsWith(`${column}.`))?.[1], column).toBeGreaterThan(0);
    }
    expect(planted).toMatchObject({ "feature_set_subjects.subject_pseudonym": 1, "extracted_features.subject_pseudonym": 2, "extracted_features.entity_key": 1 });

    const report = await rekeyPseudonyms(NEW_KEY);
    expect(report.subjects).toBeGreaterThanOrEqual(1);
    expect(Object.values(await holders(before)).every((n) => n === 0)).toBe(true);
    expect(await holders(after)).toEqual(planted);
    // The member rekeyed; the erased person's pseudonym and the erased token untouched.
    const members = await db().featureSetSubject.findMany({ where: { featureSetId: set.id }, select: { subjectPseudonym: true, withdrawal: true } });
    expect(members).toHaveLength(3);
    expect(members).toEqual(
      expect.arrayContaining([
        { subjectPseudonym: orphan, withdrawal: null },
        { subjectPseudonym: after, withdrawal: null },
        { subjectPseudonym: tombstone, withdrawal: "erased" },
      ]),
    );
    const features = await db().extractedFeature.findMany({ where: { featureSetId: set.id }, select: { id: true, entityKey: true, subjectPseudonym: true } });
    expect(features).toEqual(
      expect.arrayContaining([
        { id: expect.any(String), entityKey: after, subjectPseudonym: after },
        { id: fingerprint.id, entityKey: "3f2a9c0d1e4b5a67", subjectPseudonym: after },
      ]),
    );
    expect(features).toHaveLength(2);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).subjectPseudonym).toBe(after);

    expect(await rekeyPseudonyms(NEW_KEY)).toEqual({ subjects: 0, tables: {} });
  });
});
