import "server-only";
import { noticeRequestStep } from "../notifications/notices";
import { once } from "node:events";
import { createGzip, gunzipSync } from "node:zlib";
import type pg from "pg";
import { writeAudit } from "../audit/audit";
import { database, db } from "../db/client";
import { transaction } from "../db/transaction";
import { SafeError } from "../errors";
import type { JobRecord, Progress } from "../jobs/jobs";
import { consentFor } from "../consent/consent";

// Access and portability (GDPR art. 15 and 20): one machine-readable JSON archive of everything
// Clearlog holds about a person — their events, sessions, consent and its history, their requests
// and the feedback they gave — built as a job, gzipped into `subject_exports`, downloadable by the
// person for EXPORT_DAYS. Events are read in pages straight into the compressor, so memory stays
// bounded by the compressed size however many events the person has.
export const EXPORT_FORMAT = "clearlog.subject-export/2";
export const EXPORT_DAYS = 7;
const PAGE = 2000;

export interface ExportCounts {
  [section: string]: number;
}

class ArchiveWriter {
  private readonly gzip = createGzip();
  private readonly chunks: Buffer[] = [];
  constructor() {
    this.gzip.on("data", (c: Buffer) => this.chunks.push(c));
  }
  async write(text: string): Promise<void> {
    if (!this.gzip.write(text)) await once(this.gzip, "drain");
  }
  async finish(): Promise<Buffer> {
    this.gzip.end();
    await once(this.gzip, "end");
    return Buffer.concat(this.chunks);
  }
}

export async function buildSubjectExport(job: JobRecord, progress: Progress) {
  const request = job.privacyRequestId ? await db().privacyRequest.findUnique({ where: { id: job.privacyRequestId } }) : null;
  if (!request || request.type !== "access") throw new SafeError("This export is not attached to an access request.");
  // A request rejected or cancelled while its job waited gets no archive.
  if (request.status !== "in_progress") throw new SafeError("This access request is no longer in progress, so no archive was built.", "conflict");
  const pseudonym = request.subjectPseudonym;
  if (!pseudonym) throw new SafeError("No data is linked to this request any more.", "conflict");
  const { pool } = database();

  const subject = await db().subject.findUnique({ where: { pseudonym } });
  const total = Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM system_logs WHERE subject_pseudonym = $1", [pseudonym])).rows[0]!.n);
  await progress(0, total, "events");

  const out = new ArchiveWriter();
  const generatedAt = new Date();
  await out.write(`{"format":${JSON.stringify(EXPORT_FORMAT)},"generatedAt":${JSON.stringify(generatedAt.toISOString())},`);
  await out.write(`"subject":${JSON.stringify({ ...(subject ? { id: subject.externalId } : {}), restricted: Boolean(subject?.restrictedAt) })},"events":[`);
  let events = 0;
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const { rows }: pg.QueryResult<{ j: string; occurred_at: Date; event_id: string }> = await pool.query(
      `SELECT jsonb_strip_nulls(to_jsonb(l) - 'subject_pseudonym' - 'api_key_id' - 'search_vector')::text AS j, occurred_at, event_id FROM system_logs l
        WHERE subject_pseudonym = $1 AND ($2::timestamptz IS NULL OR (occurred_at, event_id) > ($2, $3))
        ORDER BY occurred_at, event_id LIMIT ${PAGE}`,
      [pseudonym, after?.at ?? null, after?.id ?? null],
    );
    if (rows.length === 0) break;
    await out.write((events > 0 ? "," : "") + rows.map((r) => r.j).join(","));
    events += rows.length;
    const last: { occurred_at: Date; event_id: string } = rows[rows.length - 1]!;
    after = { at: last.occurred_at, id: last.event_id };
    await progress(events, Math.max(total, events), "events");
  }
  await progress(events, Math.max(total, events), "sessions, consent, requests and feedback");

  const [sessions, consent, history, requests, feedback, trainingSets, trainingRows] = await Promise.all([
    db().loggingSession.findMany({ where: { subjectPseudonym: pseudonym }, orderBy: { firstSeenAt: "asc" }, omit: { subjectPseudonym: true, id: true } }),
    consentFor(pseudonym),
    db().consentHistory.findMany({ where: { subjectPseudonym: pseudonym }, orderBy: [{ recordedAt: "asc" }, { id: "asc" }], omit: { subjectPseudonym: true, id: true } }),
    db().privacyRequest.findMany({
      where: { OR: [{ subjectPseudonym: pseudonym }, ...(request.requesterId ? [{ requesterId: request.requesterId }] : [])] },
      orderBy: { receivedAt: "asc" },
      select: { id: true, type: true, status: true, purpose: true, details: true, receivedAt: true, dueAt: true, completedAt: true, rejectionReason: true, extensionReason: true, resolutionNote: true, events: { select: { fromStatus: true, toStatus: true, note: true, occurredAt: true }, orderBy: { occurredAt: "asc" } } },
    }),
    db().modelFeedback.findMany({
      where: { subjectPseudonym: pseudonym },
      orderBy: { createdAt: "asc" },
      select: { eventId: true, rating: true, score: true, label: true, correction: true, comment: true, source: true, createdAt: true, modelVersion: { select: { version: true, model: { select: { name: true } } } } },
    }),
    // The training sets that included the person, the model versions trained on them, and their rows.
    db().featureSetSubject.findMany({
      where: { subjectPseudonym: pseudonym },
      orderBy: { featureSet: { createdAt: "asc" } },
      select: {
        withdrawnAt: true,
        withdrawal: true,
        featureSet: {
          select: { id: true, featureType: true, startDate: true, endDate: true, completedAt: true, modelVersions: { select: { modelVersion: { select: { version: true, model: { select: { name: true } } } } } } },
        },
      },
    }),
    db().extractedFeature.findMany({ where: { subjectPseudonym: pseudonym }, orderBy: { createdAt: "asc" }, select: { featureSetId: true, features: true, createdAt: true } }),
  ]);
  const training = {
    featureSets: trainingSets.map(({ featureSet: s, withdrawnAt, withdrawal }) => ({
      id: s.id,
      featureType: s.featureType,
      range: { start: s.startDate, end: s.endDate },
      extractedAt: s.completedAt,
      withdrawnAt,
      withdrawal,
      models: s.modelVersions.map((l) => `${l.modelVersion.model.name} ${l.modelVersion.version}`),
    })),
    features: trainingRows,
  };
  // Readable, not a dump: no nulls (absent means "none"), bigints as text.
  const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x === null ? undefined : x));
  await out.write(`],"sessions":${json(sessions)},"consent":{"current":${json(consent.map((c) => ({ purpose: c.purpose, name: c.name, granted: c.granted, method: c.method, noticeVersion: c.noticeVersion, updatedAt: c.updatedAt })))},"history":${json(history)}},`);
  await out.write(`"requests":${json(requests)},"feedback":${json(feedback)},"training":${json(training)}}`);
  const archive = await out.finish();

  const counts: ExportCounts = { events, sessions: sessions.length, consentHistory: history.length, requests: requests.length, feedback: feedback.length, trainingSets: trainingSets.length };
  const expiresAt = new Date(generatedAt.getTime() + EXPORT_DAYS * 86_400_000);
  const saved = await transaction(async (tx) => {
    await tx.subjectExport.deleteMany({ where: { jobId: job.id } });
    const created = await tx.subjectExport.create({
      data: { jobId: job.id, requesterId: request.requesterId, subjectPseudonym: pseudonym, archive: new Uint8Array(archive), byteSize: archive.length, counts, expiresAt },
    });
    // Completed only if still in progress: a rejection while the archive was built wins.
    const completed = await tx.privacyRequest.updateMany({ where: { id: request.id, status: "in_progress" }, data: { status: "completed", completedAt: new Date(), receipt: { exportId: created.id, counts } } });
    if (completed.count === 0) throw new SafeError("This access request is no longer in progress, so no archive was kept.", "conflict");
    await tx.privacyRequestEvent.create({
      data: { requestId: request.id, fromStatus: "in_progress", toStatus: "completed", actorType: "system", note: `Your archive is ready to download until ${expiresAt.toISOString().slice(0, 10)}.` },
    });
    await noticeRequestStep(tx, { requestId: request.id, from: "in_progress", to: "completed" });
    await writeAudit({ actor: { type: "system" }, action: "privacy_request.export_completed", resourceType: "privacy_request", resourceId: request.id, outcome: "success", metadata: { ...counts, bytes: archive.length } }, tx);
    return created;
  });
  await progress(events, Math.max(total, events), "ready");
  return { exportId: saved.id, counts, byteSize: archive.length, expiresAt: expiresAt.toISOString() };
}

export interface ExportOwner {
  userId: string | null;
  pseudonym: string | null;
}

/** The person's archives: their account's, or their subject's (a portal session has no account). */
function ownedBy(owner: ExportOwner) {
  const or = [...(owner.userId ? [{ requesterId: owner.userId }] : []), ...(owner.pseudonym ? [{ subjectPseudonym: owner.pseudonym }] : [])];
  return or.length ? { OR: or } : { id: { in: [] as string[] } };
}

/** The archive for its requester, decompressed; null when it is not theirs, expired or gone. */
export async function exportArchiveFor(exportId: string, owner: ExportOwner): Promise<{ json: Buffer; createdAt: Date } | null> {
  const row = await db().subjectExport.findFirst({ where: { AND: [{ id: exportId, expiresAt: { gt: new Date() } }, ownedBy(owner)] } });
  return row ? { json: gunzipSync(row.archive), createdAt: row.createdAt } : null;
}

export async function deleteExpiredExports(now = new Date()): Promise<number> {
  return (await db().subjectExport.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}

/** What the privacy center shows: the person's archives still available, and an export in progress. */
export async function exportsFor(owner: ExportOwner) {
  const [ready, running] = await Promise.all([
    db().subjectExport.findMany({
      where: { AND: [{ expiresAt: { gt: new Date() } }, ownedBy(owner)] },
      orderBy: { createdAt: "desc" },
      take: 3,
      select: { id: true, byteSize: true, counts: true, createdAt: true, expiresAt: true },
    }),
    db().job.findFirst({
      where: { kind: "subject_export", status: { in: ["queued", "running"] }, privacyRequest: ownedBy(owner) },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  return { ready, running };
}
