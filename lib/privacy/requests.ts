import "server-only";
import type { z } from "zod";
import { writeAudit, type Actor } from "../audit/audit";
import { db } from "../db/client";
import { lockFor, transaction } from "../db/transaction";
import type { Prisma } from "../db/generated/client";
import { SafeError } from "../errors";
import { forgetConsent } from "../consent/consent-cache";
import { createJob, dispatchJob } from "../jobs/jobs";
import { withdrawFromTraining } from "../training/withdrawal";
import {
  ADMIN_TRANSITIONS,
  JOB_FOR_REQUEST,
  OPEN_STATUSES,
  RESPONSE_DAYS,
  type RequestStatus,
  type createRequestSchema,
  type extendSchema,
  type transitionSchema,
} from "./request-rules";

// Privacy requests: created by the person (portal), moved along by admins, every step in the
// request's timeline and in the audit log (which never holds the person's words).
const DAY = 86_400_000;

export interface Requester {
  pseudonym: string;
  /** the portal account, so the person keeps seeing the request after erasure */
  userId: string | null;
}

export async function createRequest(requester: Requester, input: z.infer<typeof createRequestSchema>, actor: Actor) {
  return transaction(async (tx) => {
    const receivedAt = new Date();
    const request = await tx.privacyRequest.create({
      data: {
        subjectPseudonym: requester.pseudonym,
        requesterId: requester.userId,
        type: input.type,
        details: input.details || null,
        receivedAt,
        dueAt: new Date(receivedAt.getTime() + RESPONSE_DAYS * DAY),
      },
    });
    await tx.privacyRequestEvent.create({ data: { requestId: request.id, toStatus: "received", actorType: actor.type } });
    await writeAudit({ actor, action: "privacy_request.create", resourceType: "privacy_request", resourceId: request.id, outcome: "success", metadata: { type: input.type } }, tx);
    return request;
  });
}

async function lockRequest(tx: Prisma.TransactionClient, id: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM privacy_requests WHERE id = ${id}::uuid FOR UPDATE`;
  const request = rows.length ? await tx.privacyRequest.findUnique({ where: { id } }) : null;
  if (!request) throw new SafeError("That request does not exist.", "not_found");
  return request;
}

export async function transitionRequest(input: z.infer<typeof transitionSchema>, actor: Actor) {
  const { updated, job, restricted } = await transaction(async (tx) => {
    const request = await lockRequest(tx, input.id);
    const from = request.status as RequestStatus;
    if (!ADMIN_TRANSITIONS[from].includes(input.to)) {
      throw new SafeError(`A ${from.replace("_", " ")} request cannot be moved to ${input.to.replace("_", " ")}.`, "conflict");
    }
    const jobKind = JOB_FOR_REQUEST[request.type];
    if (jobKind && input.to === "completed") {
      // Completing these must mean the archive exists or the data is gone: that is their job's step.
      throw new SafeError(`An ${request.type} request is completed by its job once the work is done.`, "conflict");
    }
    const now = new Date();
    const updated = await tx.privacyRequest.update({
      where: { id: request.id },
      data: {
        status: input.to,
        ...(input.to === "completed" ? { completedAt: now } : {}),
        ...(input.to === "rejected" ? { rejectionReason: input.reason, completedAt: now } : {}),
      },
    });
    await tx.privacyRequestEvent.create({ data: { requestId: request.id, fromStatus: from, toStatus: input.to, note: input.to === "rejected" ? input.reason : null, actorType: actor.type } });
    await writeAudit({ actor, action: `privacy_request.${input.to}`, resourceType: "privacy_request", resourceId: request.id, outcome: "success", metadata: { from, to: input.to, type: request.type } }, tx);
    const job = jobKind && input.to === "in_progress" ? await createJob(tx, jobKind, { privacyRequestId: request.id, requestedById: actor.type === "user" ? actor.id : null }) : null;
    // A completed restriction request takes effect at ingest: only essential events are kept.
    const restricted = request.type === "restriction" && input.to === "completed" && request.subjectPseudonym ? request.subjectPseudonym : null;
    if (restricted) {
      await tx.subject.updateMany({ where: { pseudonym: restricted, restrictedAt: null }, data: { restrictedAt: now } });
      await withdrawFromTraining(tx, restricted, "restricted");
    }
    return { updated, job, restricted };
  });
  if (job) await dispatchJob(job);
  if (restricted) forgetConsent(restricted);
  return updated;
}

/** Starts the request's job again after it failed (the request is still in progress). */
export async function retryRequestJob(id: string, actor: Actor) {
  const job = await transaction(async (tx) => {
    const request = await lockRequest(tx, id);
    const kind = JOB_FOR_REQUEST[request.type];
    if (!kind || request.status !== "in_progress") throw new SafeError("Only an access or erasure request in progress has a job to run.", "conflict");
    const active = await tx.job.count({ where: { privacyRequestId: id, status: { in: ["queued", "running"] } } });
    if (active > 0) throw new SafeError("This request's job is already queued or running.", "conflict");
    await writeAudit({ actor, action: "privacy_request.retry_job", resourceType: "privacy_request", resourceId: id, outcome: "success", metadata: { type: request.type } }, tx);
    return createJob(tx, kind, { privacyRequestId: id, requestedById: actor.type === "user" ? actor.id : null });
  });
  await dispatchJob(job);
  return job;
}

/**
 * "Download my data" in the privacy center: the person is signed in, so the access request is
 * verified at once and its export job starts. One export at a time per person.
 */
export async function startSelfServiceExport(requester: Requester, actor: Actor) {
  const job = await transaction(async (tx) => {
    await lockFor(tx, "export", requester.pseudonym);
    const running = await tx.job.findFirst({
      where: { kind: "subject_export", status: { in: ["queued", "running"] }, privacyRequest: { subjectPseudonym: requester.pseudonym } },
    });
    if (running) return running;
    const receivedAt = new Date();
    const request = await tx.privacyRequest.create({
      data: { subjectPseudonym: requester.pseudonym, requesterId: requester.userId, type: "access", status: "in_progress", receivedAt, dueAt: new Date(receivedAt.getTime() + RESPONSE_DAYS * DAY) },
    });
    await tx.privacyRequestEvent.createMany({
      data: [
        { requestId: request.id, toStatus: "received", actorType: actor.type, occurredAt: receivedAt },
        { requestId: request.id, fromStatus: "received", toStatus: "in_progress", actorType: "system", note: "Verified by your sign-in; your archive is being built.", occurredAt: receivedAt },
      ],
    });
    await writeAudit({ actor, action: "privacy_request.create", resourceType: "privacy_request", resourceId: request.id, outcome: "success", metadata: { type: "access", selfService: true } }, tx);
    return createJob(tx, "subject_export", { privacyRequestId: request.id, requestedById: requester.userId });
  });
  if (job.status === "queued") await dispatchJob(job);
  return job;
}

/** One extension per request, up to 60 more days, with a reason the person sees. */
export async function extendRequest(input: z.infer<typeof extendSchema>, actor: Actor) {
  return transaction(async (tx) => {
    const request = await lockRequest(tx, input.id);
    if (!OPEN_STATUSES.includes(request.status as RequestStatus)) throw new SafeError("Only an open request can be extended.", "conflict");
    if (request.extendedAt) throw new SafeError("This request was already extended once.", "conflict");
    const updated = await tx.privacyRequest.update({
      where: { id: request.id },
      data: { dueAt: new Date(request.dueAt.getTime() + input.days * DAY), extendedAt: new Date(), extensionReason: input.reason },
    });
    await tx.privacyRequestEvent.create({ data: { requestId: request.id, fromStatus: request.status, toStatus: request.status, note: `Extended by ${input.days} days: ${input.reason}`, actorType: actor.type } });
    await writeAudit({ actor, action: "privacy_request.extend", resourceType: "privacy_request", resourceId: request.id, outcome: "success", metadata: { days: input.days } }, tx);
    return updated;
  });
}

/** The person withdraws their own open request. */
export async function cancelRequest(id: string, requesterId: string, actor: Actor) {
  return transaction(async (tx) => {
    const request = await lockRequest(tx, id);
    if (request.requesterId !== requesterId) throw new SafeError("That request does not exist.", "not_found");
    if (!OPEN_STATUSES.includes(request.status as RequestStatus)) throw new SafeError("Only an open request can be cancelled.", "conflict");
    if (await tx.job.count({ where: { privacyRequestId: id, status: { in: ["queued", "running"] } } })) {
      throw new SafeError("This request is already being carried out and can no longer be cancelled.", "conflict");
    }
    await tx.privacyRequest.update({ where: { id }, data: { status: "cancelled", completedAt: new Date() } });
    await tx.privacyRequestEvent.create({ data: { requestId: id, fromStatus: request.status, toStatus: "cancelled", actorType: actor.type } });
    await writeAudit({ actor, action: "privacy_request.cancel", resourceType: "privacy_request", resourceId: id, outcome: "success" }, tx);
  });
}

export async function requestsOf(requesterId: string) {
  return db().privacyRequest.findMany({
    where: { requesterId },
    orderBy: { receivedAt: "desc" },
    include: { events: { orderBy: [{ occurredAt: "asc" }, { id: "asc" }] }, jobs: { orderBy: { createdAt: "desc" }, take: 1, include: { export: { select: { id: true, byteSize: true, expiresAt: true } } } } },
  });
}

export async function requestQueue(filter: { status?: RequestStatus; overdue?: boolean }) {
  const now = new Date();
  const where: Prisma.PrivacyRequestWhereInput = {
    AND: [filter.status ? { status: filter.status } : {}, filter.overdue ? { status: { in: [...OPEN_STATUSES] }, dueAt: { lt: now } } : {}],
  };
  const [rows, counts, overdue] = await Promise.all([
    db().privacyRequest.findMany({ where, orderBy: [{ dueAt: "asc" }], take: 200, select: { id: true, type: true, status: true, receivedAt: true, dueAt: true, extendedAt: true } }),
    db().privacyRequest.groupBy({ by: ["status"], _count: { _all: true } }),
    db().privacyRequest.count({ where: { status: { in: [...OPEN_STATUSES] }, dueAt: { lt: now } } }),
  ]);
  return { rows, counts: Object.fromEntries(counts.map((c) => [c.status, c._count._all])) as Partial<Record<RequestStatus, number>>, overdue };
}

export async function requestDetail(id: string) {
  return db().privacyRequest.findUnique({ where: { id }, include: { events: { orderBy: [{ occurredAt: "asc" }, { id: "asc" }] }, jobs: { orderBy: { createdAt: "desc" }, take: 1 } } });
}
