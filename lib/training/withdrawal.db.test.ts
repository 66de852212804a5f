import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { recordConsent } from "../consent/consent";
import { database, db } from "../db/client";
import { runJob } from "../jobs/worker";
import type { ErasureReceipt } from "../privacy/erasure";
import { pseudonymFor } from "../privacy/pseudonym";
import { createRequest, transitionRequest } from "../privacy/requests";
import { withdrawFromTraining } from "./withdrawal";

// Taking a subject out of training (lib/training/withdrawal.ts) through the three ways it happens:
// withdrawing ai_training consent, a completed restriction request, and erasure. Membership rows
// are marked, never deleted, so "which model versions contain this subject's data?" keeps its answer.
const admin: Actor = { type: "user", id: randomUUID(), role: "admin" };

/** A portal user whose subject granted ai_training. */
async function person() {
  const pseudonym = pseudonymFor(`training-subject-${randomUUID()}`);
  const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: "Trainee", role: "end_user", subjectPseudonym: pseudonym } });
  await recordConsent(pseudonym, [{ purpose: "ai_training", granted: true }], { method: "explicit" });
  return { pseudonym, userId: user.id, actor: { type: "user", id: user.id, role: "end_user" } as Actor, requester: { pseudonym, userId: user.id } };
}

type Person = Awaited<ReturnType<typeof person>>;

/**
 * Two people, p and q. `withP` includes both, `onlyP` only p, `onlyQ` only q; each has feature rows
 * for its members. Versions: `mvWithP` trained on withP, `mvBoth` on withP and onlyP, `mvOnlyQ` on onlyQ.
 * Feedback from both, eligible for training.
 */
async function world() {
  const [p, q] = [await person(), await person()];
  const model = await db().model.create({ data: { name: `withdrawal-model-${randomUUID()}`, modelType: "classifier" } });
  const version = async (v: string) => (await db().modelVersion.create({ data: { modelId: model.id, version: v } })).id;
  const versions = { mvWithP: await version("1"), mvBoth: await version("2"), mvOnlyQ: await version("3") };
  const set = async (members: Person[]) => {
    const s = await db().featureSet.create({
      data: {
        featureType: "user_behavior",
        startDate: new Date(Date.now() - 86_400_000),
        endDate: new Date(),
        definitionVersion: 1,
        rowCount: members.length,
        subjectCount: members.length,
        completedAt: new Date(),
        subjects: { create: members.map((m) => ({ subjectPseudonym: m.pseudonym })) },
      },
    });
    await db().extractedFeature.createMany({ data: members.map((m) => ({ featureSetId: s.id, entityKey: m.pseudonym, subjectPseudonym: m.pseudonym, features: { sessions: 3 } })) });
    return s.id;
  };
  const sets = { withP: await set([p, q]), onlyP: await set([p]), onlyQ: await set([q]) };
  await db().modelVersionFeatureSet.createMany({
    data: [
      { modelVersionId: versions.mvWithP, featureSetId: sets.withP },
      { modelVersionId: versions.mvBoth, featureSetId: sets.withP },
      { modelVersionId: versions.mvBoth, featureSetId: sets.onlyP },
      { modelVersionId: versions.mvOnlyQ, featureSetId: sets.onlyQ },
    ],
  });
  for (const [who, mv] of [[p, versions.mvWithP], [p, versions.mvBoth], [q, versions.mvOnlyQ]] as const) {
    await db().modelFeedback.create({ data: { modelVersionId: mv, subjectPseudonym: who.pseudonym, rating: 1, source: "end_user", trainingEligible: true } });
  }
  return { p, q, sets, versions };
}

type World = Awaited<ReturnType<typeof world>>;

/** "Which model versions contain this subject's data?": one query over membership ⨝ training sets. */
async function versionsContaining(pseudonym: string): Promise<string[]> {
  const { rows } = await database().pool.query<{ id: string }>(
    `SELECT DISTINCT mvfs.model_version_id AS id
       FROM feature_set_subjects fss JOIN model_version_feature_sets mvfs ON mvfs.feature_set_id = fss.feature_set_id
      WHERE fss.subject_pseudonym = $1 ORDER BY 1`,
    [pseudonym],
  );
  return rows.map((r) => r.id);
}

/** Everything withdrawal can touch in the world's sets: membership rows, staleness, feature rows, feedback. */
async function snapshot(w: World) {
  const setIds = Object.values(w.sets);
  const people = [w.p.pseudonym, w.q.pseudonym];
  const members = await db().featureSetSubject.findMany({ where: { featureSetId: { in: setIds } }, orderBy: [{ featureSetId: "asc" }, { subjectPseudonym: "asc" }] });
  const sets = await db().featureSet.findMany({ where: { id: { in: setIds } }, orderBy: { id: "asc" }, select: { id: true, staleAt: true, subjectCount: true, exclusions: true } });
  const features = await db().extractedFeature.findMany({ where: { featureSetId: { in: setIds } }, orderBy: { id: "asc" } });
  const feedback = await db().modelFeedback.findMany({ where: { subjectPseudonym: { in: people } }, orderBy: { id: "asc" }, select: { id: true, subjectPseudonym: true, trainingEligible: true } });
  return { members, sets, features, feedback };
}

const membershipOf = (pseudonym: string) => db().featureSetSubject.findMany({ where: { subjectPseudonym: pseudonym }, orderBy: { featureSetId: "asc" } });
const staleAt = async (id: string) => (await db().featureSet.findUniqueOrThrow({ where: { id } })).staleAt;
const sorted = (ids: string[]) => [...ids].sort();

/** The effects every reason shares: p's sets stale, p's feature rows and feedback out of training; q and onlyQ untouched. */
async function expectPTakenOut(w: World, before: Awaited<ReturnType<typeof snapshot>>, feedback: "ineligible" | "erased" = "ineligible") {
  expect(await staleAt(w.sets.withP)).toBeInstanceOf(Date);
  expect(await staleAt(w.sets.onlyP)).toBeInstanceOf(Date);
  expect(await db().extractedFeature.count({ where: { subjectPseudonym: w.p.pseudonym } })).toBe(0);
  const pFeedback = await db().modelFeedback.findMany({ where: { subjectPseudonym: w.p.pseudonym }, select: { trainingEligible: true } });
  expect(pFeedback).toEqual(feedback === "erased" ? [] : [{ trainingEligible: false }, { trainingEligible: false }]);

  const after = await snapshot(w);
  const ofQ = <T extends { subjectPseudonym: string | null }>(rows: T[]) => rows.filter((r) => r.subjectPseudonym === w.q.pseudonym);
  expect(ofQ(after.members)).toEqual(ofQ(before.members));
  expect(ofQ(after.members).every((m) => m.withdrawnAt === null && m.withdrawal === null)).toBe(true);
  expect(ofQ(after.features)).toEqual(ofQ(before.features));
  expect(ofQ(after.feedback)).toEqual([expect.objectContaining({ trainingEligible: true })]);
  expect(after.sets.find((s) => s.id === w.sets.onlyQ)).toEqual(before.sets.find((s) => s.id === w.sets.onlyQ));
  expect(await staleAt(w.sets.onlyQ)).toBeNull();
  // Nobody is taken out of a set: the counts stay.
  expect(after.members).toHaveLength(before.members.length);
  expect(after.sets.map((s) => s.subjectCount)).toEqual(before.sets.map((s) => s.subjectCount));
}

describe("withdrawing ai_training consent", () => {
  it("marks the person's membership of every set that includes them, stales those sets, drops their feature rows and feedback eligibility, and nothing else", async () => {
    const w = await world();
    const before = await snapshot(w);
    expect(before.sets.every((s) => s.staleAt === null)).toBe(true);
    expect(await versionsContaining(w.p.pseudonym)).toEqual(sorted([w.versions.mvWithP, w.versions.mvBoth]));
    expect(await versionsContaining(w.q.pseudonym)).toEqual(sorted([w.versions.mvWithP, w.versions.mvBoth, w.versions.mvOnlyQ]));

    const start = new Date();
    await recordConsent(w.p.pseudonym, [{ purpose: "ai_training", granted: false }], { method: "explicit" });

    const marked = await membershipOf(w.p.pseudonym);
    expect(marked.map((m) => m.featureSetId)).toEqual(sorted([w.sets.withP, w.sets.onlyP]));
    for (const m of marked) {
      expect(m).toMatchObject({ subjectPseudonym: w.p.pseudonym, withdrawal: "withdrawn" });
      expect(m.withdrawnAt!.getTime()).toBeGreaterThanOrEqual(start.getTime() - 1000);
    }
    await expectPTakenOut(w, before);
    // The rows are marked, not deleted: the answer is still there, for the person and for others.
    expect(await versionsContaining(w.p.pseudonym)).toEqual(sorted([w.versions.mvWithP, w.versions.mvBoth]));
    expect(await versionsContaining(w.q.pseudonym)).toEqual(sorted([w.versions.mvWithP, w.versions.mvBoth, w.versions.mvOnlyQ]));
  });

  it("a second withdrawal (after granting again) keeps the first withdrawn_at and staleness", async () => {
    const w = await world();
    await recordConsent(w.p.pseudonym, [{ purpose: "ai_training", granted: false }], { method: "explicit" });
    const first = await snapshot(w);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await recordConsent(w.p.pseudonym, [{ purpose: "ai_training", granted: true }], { method: "explicit" });
    await recordConsent(w.p.pseudonym, [{ purpose: "ai_training", granted: false }], { method: "explicit" });
    expect(await snapshot(w)).toEqual(first);
    // Called directly again, it marks nothing and reports nothing.
    expect(await db().$transaction((tx) => withdrawFromTraining(tx, w.p.pseudonym, "withdrawn"))).toEqual({ featureSets: [], modelVersions: [], memberships: 0, featureRows: 0 });
    expect(await snapshot(w)).toEqual(first);
  });

  it("granting ai_training, or withdrawing another purpose, does nothing to sets", async () => {
    const w = await world();
    const fresh = await person();
    await db().featureSetSubject.create({ data: { featureSetId: w.sets.onlyQ, subjectPseudonym: fresh.pseudonym } });
    const before = await snapshot(w);
    await recordConsent(fresh.pseudonym, [{ purpose: "ai_training", granted: true }], { method: "explicit" });
    await recordConsent(w.p.pseudonym, [{ purpose: "analytics", granted: true }], { method: "explicit" });
    await recordConsent(w.p.pseudonym, [{ purpose: "analytics", granted: false }], { method: "explicit" });
    expect(await snapshot(w)).toEqual(before);
    expect(await membershipOf(fresh.pseudonym)).toMatchObject([{ withdrawnAt: null, withdrawal: null }]);
  });
});

describe("a completed restriction request", () => {
  it("marks the person's memberships restricted, with the same effects as a withdrawal", async () => {
    const w = await world();
    const before = await snapshot(w);
    const request = await createRequest(w.p.requester, { type: "restriction" }, w.p.actor);
    await transitionRequest({ id: request.id, to: "verified" }, admin);
    await transitionRequest({ id: request.id, to: "in_progress" }, admin);
    expect(await snapshot(w)).toEqual(before);
    await transitionRequest({ id: request.id, to: "completed" }, admin);

    const marked = await membershipOf(w.p.pseudonym);
    expect(marked.map((m) => [m.featureSetId, m.withdrawal])).toEqual(sorted([w.sets.withP, w.sets.onlyP]).map((id) => [id, "restricted"]));
    expect(marked.every((m) => m.withdrawnAt instanceof Date)).toBe(true);
    await expectPTakenOut(w, before);
    expect(await versionsContaining(w.p.pseudonym)).toEqual(sorted([w.versions.mvWithP, w.versions.mvBoth]));
  });
});

describe("erasure", () => {
  async function erase(p: Person): Promise<ErasureReceipt> {
    const request = await createRequest(p.requester, { type: "erasure" }, p.actor);
    await transitionRequest({ id: request.id, to: "verified" }, admin);
    await transitionRequest({ id: request.id, to: "in_progress" }, admin);
    const job = await db().job.findFirstOrThrow({ where: { privacyRequestId: request.id } });
    const done = await runJob(job.id);
    expect(done.status).toBe("succeeded");
    return done.result as ErasureReceipt;
  }

  it("tombstones the person's memberships (no row holds the pseudonym, the member count is unchanged) and the receipt names the sets and model versions", async () => {
    const w = await world();
    const before = await snapshot(w);
    const receipt = await erase(w.p);

    expect(await db().featureSetSubject.count({ where: { subjectPseudonym: w.p.pseudonym } })).toBe(0);
    const { rows } = await database().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM feature_set_subjects WHERE strpos(subject_pseudonym, $1) > 0", [w.p.pseudonym]);
    expect(rows[0]!.n).toBe(0);
    const after = await snapshot(w);
    for (const id of Object.values(w.sets)) {
      expect(after.members.filter((m) => m.featureSetId === id)).toHaveLength(before.members.filter((m) => m.featureSetId === id).length);
    }
    const tombstones = after.members.filter((m) => m.subjectPseudonym !== w.q.pseudonym);
    expect(tombstones.map((m) => m.featureSetId)).toEqual(sorted([w.sets.withP, w.sets.onlyP]));
    for (const t of tombstones) {
      expect(t).toMatchObject({ subjectPseudonym: expect.stringMatching(/^erased:[0-9a-f-]{36}$/), withdrawal: "erased", withdrawnAt: expect.any(Date) });
    }
    await expectPTakenOut(w, before, "erased");

    expect(receipt.featureSets).toEqual(sorted([w.sets.withP, w.sets.onlyP]));
    expect(receipt.modelVersions).toEqual(sorted([w.versions.mvWithP, w.versions.mvBoth]));
    expect(receipt.tables.feature_set_subjects).toBe(2);
    // Nothing names the person any more; the receipt is the answer.
    expect(await versionsContaining(w.p.pseudonym)).toEqual([]);
    expect(await versionsContaining(w.q.pseudonym)).toEqual(sorted([w.versions.mvWithP, w.versions.mvBoth, w.versions.mvOnlyQ]));
  });

  it("of a person who had withdrawn keeps the first withdrawn_at, marks the rows erased and still names the sets in the receipt", async () => {
    const w = await world();
    await recordConsent(w.p.pseudonym, [{ purpose: "ai_training", granted: false }], { method: "explicit" });
    const withdrawn = await membershipOf(w.p.pseudonym);
    const receipt = await erase(w.p);
    const tombstones = (await snapshot(w)).members.filter((m) => m.subjectPseudonym !== w.q.pseudonym);
    expect(tombstones.map((m) => [m.featureSetId, m.withdrawnAt, m.withdrawal])).toEqual(withdrawn.map((m) => [m.featureSetId, m.withdrawnAt, "erased"]));
    expect(tombstones.every((m) => m.subjectPseudonym.startsWith("erased:"))).toBe(true);
    expect(receipt).toMatchObject({ featureSets: sorted([w.sets.withP, w.sets.onlyP]), modelVersions: sorted([w.versions.mvWithP, w.versions.mvBoth]) });
  });
});
