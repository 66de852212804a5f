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

/** How many rows hold `pseudonym`, per registry column. */
async function holders(pseudonym: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of SUBJECT_COLUMNS) {
    const where = c.erase === "remove_from_array" ? `$1 = ANY("${c.column}")` : `"${c.column}" = $1`;
    out[`${c.table}.${c.column}`] = Number((await database().pool.query(`SELECT count(*) AS n FROM "${c.table}" WHERE ${where}`, [pseudonym])).rows[0].n);
  }
  return out;
}

describe("rekeyPseudonyms", () => {
  it("rewrites a subject's pseudonym in every registry column, leaves erased pseudonyms alone, and is idempotent", async () => {
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
    const set = await db().featureSet.create({
      data: { featureType: "user_behavior", startDate: new Date(), endDate: new Date(), definitionVersion: 1, includedPseudonyms: [orphan, before] },
    });
    await db().extractedFeature.create({ data: { featureSetId: set.id, entityKey: before, subjectPseudonym: before, features: {} } });

    const planted = await holders(before);
    for (const column of ["system_logs", "logging_sessions", "consent_settings", "consent_history", "privacy_requests", "users", "feature_sets", "extracted_features", "subjects"]) {
      expect(Object.entries(planted).find(([k]) => k.startsWith(`${column}.`))?.[1], column).toBeGreaterThan(0);
    }

    const report = await rekeyPseudonyms(NEW_KEY);
    expect(report.subjects).toBeGreaterThanOrEqual(1);
    expect(Object.values(await holders(before)).every((n) => n === 0)).toBe(true);
    expect(await holders(after)).toEqual(planted);
    // Order kept, the erased person's pseudonym untouched.
    expect((await db().featureSet.findUniqueOrThrow({ where: { id: set.id } })).includedPseudonyms).toEqual([orphan, after]);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).subjectPseudonym).toBe(after);

    expect(await rekeyPseudonyms(NEW_KEY)).toEqual({ subjects: 0, tables: {} });
  });
});
