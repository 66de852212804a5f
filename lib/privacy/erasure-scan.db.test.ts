import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { createApiKey } from "../auth/api-keys";
import { database, db } from "../db/client";
import type { Job, PrivacyRequest } from "../db/generated/client";
import { runJob } from "../jobs/worker";
import { extractFeatures } from "../training/extract";
import { registerModelVersion } from "../training/registry";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { everyTable as everyTableOf, scanDatabase } from "@/test/support/database-scan";
import { exportFor, plant, type Planted } from "@/test/support/plant-subject";
import { eraseForRequest, type ErasureReceipt } from "./erasure";
import { requestsFor, transitionRequest } from "./requests";
import { SUBJECT_COLUMNS } from "./subject-data";
import { EVENT_TYPES } from "../notifications/events";
import { seal } from "../notifications/sealed";

// The requirement: plant one subject through every interface (events of every type and OTLP
// over the real HTTP routes, consent, feedback by subject and by event id, sessions, a feature set, a
// model version, an export and other requests), erase, then scan every table of every schema —
// pg_statistic included — for their user id, pseudonym, session ids, e-mail, hash tokens and
// free-text markers, and find none. A second subject planted the same way must survive untouched.
// Nothing personal is printed: hits are reported as `table.column: count` only.

const admin: Actor = { type: "user", id: randomUUID(), role: "admin" };
const pool = () => database().pool;
let server: IngestTestServer;
let apiKey: string;

/** Rows that hold the subject, per registry table, counted the way erasure finds them; plus the subjects row by external id. */
async function subjectRows(s: Planted): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of SUBJECT_COLUMNS) {
    out[c.table] = (await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "${c.table}" WHERE "${c.column}" = $1`, [s.pseudonym])).rows[0]!.n;
  }
  out["subjects.external_id"] = (await pool().query<{ n: number }>("SELECT count(*)::int AS n FROM subjects WHERE external_id = $1", [s.ext])).rows[0]!.n;
  return out;
}

const everyTable = () => everyTableOf(pool());
const scan = (needles: string[]) => scanDatabase(pool(), needles);

/** Row counts of every table in `public`. */
async function tableCounts(): Promise<Record<string, number>> {
  const { rows } = await pool().query<{ t: string }>("SELECT relname AS t FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY 1");
  const out: Record<string, number> = {};
  for (const { t } of rows) out[t] = (await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t}"`)).rows[0]!.n;
  return out;
}

/** The events stored without a link to the person: they stay after erasure, with nothing that names them. */
async function unlinkedEvents(s: Planted) {
  const { rows } = await pool().query<{ row: string; subject_pseudonym: string | null; session_id: string | null }>(
    "SELECT l::text AS row, subject_pseudonym, session_id FROM system_logs l WHERE strpos(l::text, $1) > 0 ORDER BY event_id",
    [s.unlinkedCanary],
  );
  return rows;
}

/** A feature set's membership rows, in pseudonym order. */
async function membersOf(featureSetId: string) {
  return db().featureSetSubject.findMany({ where: { featureSetId }, orderBy: { subjectPseudonym: "asc" }, select: { subjectPseudonym: true, withdrawnAt: true, withdrawal: true } });
}

let a: Planted;
let b: Planted;
let sharedSetId: string;
let onlyBSetId: string;
let mvShared: string;
let sharedMembersBefore: { subjectPseudonym: string; withdrawnAt: Date | null; withdrawal: string | null }[];
/** Planted in a text[] column that holds no subject data, to prove the scan reads arrays. */
const arrayCanary = `canary-${randomUUID()}`;
let aBefore: Record<string, number>;
let bBefore: Record<string, number>;
let aHitsBefore: Record<string, number>;
let bHitsBefore: Record<string, number>;
let auditMark: bigint;
let job: Job;
let request: PrivacyRequest;
let receipt: ErasureReceipt;

let extractedSetId: string;
let mvExtracted: string;

beforeAll(async () => {
  apiKey = (await createApiKey({ name: "erasure scan", scopes: ["ingest", "feedback", "consent", "privacy"] }, { type: "cli" })).secret;
  server = await startIngestServer();
  // The application listens to every event: deliveries about them (sealed) are planted too.
  await db().webhookEndpoint.create({ data: { url: "https://hooks.example.test/clearlog", eventTypes: [...EVENT_TYPES], secretSealed: seal("whsec_erasure-scan"), secretHint: "…scan" } });
  const modelName = `erasure-model-${randomUUID().slice(0, 8)}`;
  const model = await db().model.create({ data: { name: modelName, modelType: "classifier" } });
  mvShared = (await db().modelVersion.create({ data: { modelId: model.id, version: "1.0.0" } })).id;
  const mvB = (await db().modelVersion.create({ data: { modelId: model.id, version: "2.0.0", tags: ["bench", arrayCanary] } })).id;
  a = await plant({ url: server.url, apiKey }, modelName);
  b = await plant({ url: server.url, apiKey }, modelName);
  // A feature set extracted the real way (both consented to ai_training) and a model version trained on it.
  const day = 86_400_000;
  extractedSetId = (await extractFeatures("user_behavior", { startDate: new Date(Date.now() - day), endDate: new Date(Date.now() + day) })).featureSetId;
  mvExtracted = (await registerModelVersion({ model_name: modelName, model_type: "classifier", model_version: "3.0.0", feature_sets: [extractedSetId] })).versionId;
  const set = (members: string[], exclusions: object) =>
    db().featureSet.create({
      data: {
        featureType: "user_behavior",
        startDate: new Date(Date.now() - 86_400_000),
        endDate: new Date(),
        definitionVersion: 1,
        exclusions,
        rowCount: members.length,
        subjectCount: members.length,
        subjects: { create: members.map((subjectPseudonym) => ({ subjectPseudonym })) },
      },
    });
  sharedSetId = (await set([a.pseudonym, b.pseudonym], { erased: 2, optedOut: 1 })).id;
  onlyBSetId = (await set([b.pseudonym], {})).id;
  await db().extractedFeature.createMany({
    data: [
      { featureSetId: sharedSetId, entityKey: a.pseudonym, subjectPseudonym: a.pseudonym, features: { sessions: 3, subject: a.ext, contact: a.email } },
      { featureSetId: sharedSetId, entityKey: b.pseudonym, subjectPseudonym: b.pseudonym, features: { sessions: 1, subject: b.ext } },
      { featureSetId: onlyBSetId, entityKey: b.pseudonym, subjectPseudonym: b.pseudonym, features: { contact: b.email } },
    ],
  });
  await db().modelVersionFeatureSet.createMany({ data: [{ modelVersionId: mvShared, featureSetId: sharedSetId }, { modelVersionId: mvB, featureSetId: onlyBSetId }] });
  await exportFor(a);
  await exportFor(b);
  // The planner's statistics now sample every small table whole: the needles are in pg_statistic.
  await pool().query("ANALYZE");

  sharedMembersBefore = await membersOf(sharedSetId);
  [aBefore, bBefore, aHitsBefore, bHitsBefore] = [await subjectRows(a), await subjectRows(b), await scan(a.needles), await scan(b.needles)];
  auditMark = (await db().auditLog.aggregate({ _max: { id: true } }))._max.id ?? 0n;

  await transitionRequest({ id: a.erasureRequestId, to: "verified" }, admin);
  await transitionRequest({ id: a.erasureRequestId, to: "in_progress" }, admin);
  const queued = await db().job.findFirstOrThrow({ where: { privacyRequestId: a.erasureRequestId } });
  expect(queued).toMatchObject({ kind: "erasure", status: "queued", attempts: 0 });
  job = await runJob(queued.id);
  request = await db().privacyRequest.findUniqueOrThrow({ where: { id: a.erasureRequestId } });
  receipt = request.receipt as unknown as ErasureReceipt;
});

afterAll(async () => {
  await server?.stop();
});

describe("erasure: the planted-data scan", () => {
  it("plants the subject in every table that can hold them, and the scan sees rows, gzipped bytea and pg_statistic", async () => {
    // Every registered column was planted (none is left at zero), for both subjects alike.
    expect(SUBJECT_COLUMNS.filter((c) => !(aBefore[c.table]! > 0)).map((c) => c.table)).toEqual([]);
    expect(Object.keys(aBefore)).toEqual(Object.keys(bBefore));
    expect(aBefore).toMatchObject({ system_logs: 8, model_feedback: 2, privacy_requests: 3, subjects: 1, "subjects.external_id": 1 });
    const everywhere = [...new Set(SUBJECT_COLUMNS.map((c) => `public.${c.table}`)), "public.subject_exports.archive", "pg_catalog.pg_statistic"];
    expect(Object.keys(aHitsBefore)).toEqual(expect.arrayContaining(everywhere));
    // Feedback about their event by id only, without a subject, is planted too (and quotes them; shown for the survivor).
    expect(await db().modelFeedback.findMany({ where: { eventId: b.aiEventId }, select: { subjectPseudonym: true } })).toEqual(
      expect.arrayContaining([{ subjectPseudonym: null }, { subjectPseudonym: b.pseudonym }]),
    );
    // The scan reads arrays (and their statistics), and tables of every schema (pg-boss keeps its queue in its own).
    expect(await scan([arrayCanary])).toEqual({ "public.model_versions": 1, "pg_catalog.pg_statistic": 1 });
    expect(new Set((await everyTable()).map((t) => t.schema))).toEqual(new Set(["pg_catalog", "information_schema", "public", "pgboss"]));
  });

  it("stores the events of a purpose they withdrew (events API and OTLP) without a link and without their ids or e-mail token", async () => {
    const rows = await unlinkedEvents(a);
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      expect(r).toMatchObject({ subject_pseudonym: null, session_id: null });
      for (const needle of a.needles) expect(r.row.includes(needle)).toBe(false);
      expect(r.row).toContain("[SUBJECT]");
    }
    expect(rows.filter((r) => r.row.includes("[EMAIL]"))).toHaveLength(6);
  });

  it("finds none of the subject's ids, e-mail, tokens or words in any table of any schema afterwards, pg_statistic included", async () => {
    expect(job.status).toBe("succeeded");
    expect(await scan(a.needles)).toEqual({});
    expect(await subjectRows(a)).toEqual(Object.fromEntries(Object.keys(aBefore).map((k) => [k, 0])));
    // The unlinked events are not theirs any more and stay, naming no one.
    expect(await unlinkedEvents(a)).toHaveLength(6);
  });

  it("leaves the second subject's data exactly as it was", async () => {
    expect(await subjectRows(b)).toEqual(bBefore);
    // Their rows are untouched; the statistics refreshed for the first subject still sample theirs.
    const { "pg_catalog.pg_statistic": statsBefore, ...rowsBefore } = bHitsBefore;
    const { "pg_catalog.pg_statistic": statsAfter, ...rowsAfter } = await scan(b.needles);
    expect(rowsAfter).toEqual(rowsBefore);
    expect(statsBefore).toBeGreaterThan(0);
    expect(statsAfter).toBeGreaterThan(0);
    const onlyB = await db().featureSet.findUniqueOrThrow({ where: { id: onlyBSetId } });
    expect(onlyB).toMatchObject({ staleAt: null, exclusions: {}, subjectCount: 1 });
    expect(await membersOf(onlyBSetId)).toEqual([{ subjectPseudonym: b.pseudonym, withdrawnAt: null, withdrawal: null }]);
    expect(await db().featureSetSubject.findMany({ where: { subjectPseudonym: b.pseudonym }, orderBy: { featureSetId: "asc" } })).toEqual(
      [sharedSetId, onlyBSetId, extractedSetId].sort().map((featureSetId) => ({ featureSetId, subjectPseudonym: b.pseudonym, withdrawnAt: null, withdrawal: null })),
    );
    const details = (await db().privacyRequest.findUniqueOrThrow({ where: { id: b.erasureRequestId } })).details;
    expect(details?.includes(b.email)).toBe(true);
  });

  it("writes audit rows during erasure that hold none of the needles", async () => {
    const rows = await db().auditLog.findMany({ where: { id: { gt: auditMark } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.action)).toEqual(["privacy_request.verified", "privacy_request.in_progress", "privacy_request.erasure_completed"]);
    expect(rows[2]).toMatchObject({ actorType: "system", resourceId: a.erasureRequestId, outcome: "success", metadata: { ...receipt.tables, featureSets: 2, modelVersions: 2 } });
    const { rows: text } = await pool().query<{ row: string }>("SELECT a::text AS row FROM audit_log a WHERE id > $1", [auditMark.toString()]);
    expect(text).toHaveLength(3);
    for (const { row } of text) for (const needle of [...a.needles, ...b.needles]) expect(row.includes(needle)).toBe(false);
  });
});

describe("erasure: the receipt", () => {
  it("counts per table what was planted, names the feature set and model version, and is the job's result", () => {
    // Feedback is counted with the rows that pointed at their event by id only.
    // Deliveries about them grew with the request's own steps after the count (verified, in progress).
    expect(receipt.tables.notification_deliveries).toBeGreaterThan(aBefore.notification_deliveries!);
    expect(receipt.tables).toEqual({
      ...Object.fromEntries(SUBJECT_COLUMNS.map((c) => [c.table, aBefore[c.table]])),
      model_feedback: aBefore.model_feedback! + 1,
      notification_deliveries: receipt.tables.notification_deliveries,
    });
    expect(receipt.tables.system_logs).toBe(8);
    expect(receipt).toMatchObject({ requestId: a.erasureRequestId });
    expect([...receipt.featureSets].sort()).toEqual([sharedSetId, extractedSetId].sort());
    expect([...receipt.modelVersions].sort()).toEqual([mvShared, mvExtracted].sort());
    expect(new Date(receipt.erasedAt).getTime()).toBe(request.completedAt?.getTime());
    expect(job).toMatchObject({ status: "succeeded", stage: "done", attempts: 1, processed: SUBJECT_COLUMNS.length, total: SUBJECT_COLUMNS.length, error: null });
    expect(job.result).toEqual(request.receipt);
  });

  it("marks the shared feature set stale, turns the subject's membership into an erased token, and keeps the other subject in it", async () => {
    const shared = await db().featureSet.findUniqueOrThrow({ where: { id: sharedSetId } });
    expect(shared.staleAt).toBeInstanceOf(Date);
    // Exclusions count who was left out when the set was built; the erased person was included.
    expect(shared).toMatchObject({ exclusions: { erased: 2, optedOut: 1 }, subjectCount: 2 });
    const members = await membersOf(sharedSetId);
    expect(members).toHaveLength(2);
    expect(members.find((m) => m.subjectPseudonym === b.pseudonym)).toEqual(sharedMembersBefore.find((m) => m.subjectPseudonym === b.pseudonym));
    const tombstone = members.find((m) => m.subjectPseudonym !== b.pseudonym);
    expect(tombstone).toMatchObject({ subjectPseudonym: expect.stringMatching(/^erased:[0-9a-f-]{36}$/), withdrawal: "erased" });
    expect(tombstone?.withdrawnAt).toBeInstanceOf(Date);
    expect(await db().extractedFeature.count({ where: { featureSetId: sharedSetId } })).toBe(1);
  });

  it("completes the request by the system, unlinks it, and keeps it visible to the requester with the receipt", async () => {
    expect(request).toMatchObject({ status: "completed", subjectPseudonym: null, details: null, requesterId: a.userId });
    const mine = await requestsFor({ userId: a.userId });
    const erasure = mine.find((r) => r.id === a.erasureRequestId);
    expect(erasure?.receipt).toEqual(request.receipt);
    expect(erasure?.events.at(-1)).toMatchObject({ fromStatus: "in_progress", toStatus: "completed", actorType: "system", note: "Your data was erased: 8 events and everything linked to you." });
    expect(erasure?.events.map((e) => e.toStatus)).toEqual(["received", "verified", "in_progress", "completed"]);
    // The self-service access request stays too, unlinked.
    expect(mine.map((r) => [r.type, r.subjectPseudonym, r.details])).toEqual(expect.arrayContaining([["access", null, null], ["erasure", null, null]]));
    expect(mine).toHaveLength(2);
    expect(await db().user.findUniqueOrThrow({ where: { id: a.userId } })).toMatchObject({ subjectPseudonym: null });
  });

  it("is idempotent: running the job again, or a new job, or eraseForRequest, returns the same receipt and changes nothing", async () => {
    const before = await tableCounts();
    // The erased token stays the same: a rerun finds no row holding the pseudonym.
    const membersAfterFirst = await membersOf(sharedSetId);
    expect(await runJob(job.id)).toEqual(job);
    expect(await eraseForRequest(a.erasureRequestId)).toEqual(receipt);
    const again = await db().job.create({ data: { kind: "erasure", privacyRequestId: a.erasureRequestId } });
    const rerun = await runJob(again.id);
    expect(rerun).toMatchObject({ status: "succeeded", error: null });
    expect(rerun.result).toEqual(request.receipt);
    expect(await tableCounts()).toEqual({ ...before, jobs: before.jobs! + 1 });
    expect(await db().privacyRequest.findUniqueOrThrow({ where: { id: a.erasureRequestId } })).toEqual(request);
    expect(await membersOf(sharedSetId)).toEqual(membersAfterFirst);
    const shared = await db().featureSet.findUniqueOrThrow({ where: { id: sharedSetId } });
    expect(shared.exclusions).toEqual({ erased: 2, optedOut: 1 });
    expect(await subjectRows(b)).toEqual(bBefore);
  });
});
