import "server-only";
import type { z } from "zod";
import { writeAudit, type Actor } from "../audit/audit";
import { db } from "../db/client";
import { lockFor, transaction, type Tx } from "../db/transaction";
import type { Prisma } from "../db/generated/client";
import { SafeError } from "../errors";
import { recordConsentIn } from "../consent/consent";
import { forgetConsent } from "../consent/consent-cache";
import { createJob, dispatchJob } from "../jobs/jobs";
import { withdrawFromTraining } from "../training/withdrawal";
import {
  ADMIN_TRANSITIONS,
  DIRECT_MARKETING_PURPOSE,
  JOB_FOR_REQUEST,
  OPEN_STATUSES,
  REQUEST_TYPE_LABELS,
  RESPONSE_DAYS,
  type RequestChannel,
  type RequestStatus,
  type RequestType,
  type VerificationMethod,
  type extendSchema,
  type requestBodySchema,
  type transitionSchema,
} from "./request-rules";
import { recordRequestStep } from "./request-steps";

// Privacy requests, for anyone: filed by the person (privacy center, with an account or a portal
// session from the application), by an admin on their behalf, or by the application over the API.
// Admins move them along; every step goes through recordRequestStep (timeline + audit, in the
// transaction). The audit log never holds the person's words.
const DAY = 86_400_000;

/** Who a request is for and how it reached us. */
export interface Requester {
  pseudonym: string;
  /** the portal account, so the person keeps seeing the request after erasure */
  userId: string | null;
  /** the portal session it was filed in (issued by the application), for the same reason */
  portalSessionId?: string | null;
  channel?: RequestChannel;
  verificationMethod?: VerificationMethod;
  /** how to reach the requester, when filed on their behalf */
  contact?: string | null;
  filedById?: string | null;
  apiKeyId?: string | null;
}

/** Whose requests a person in the privacy center sees: their account's, their session's and their subject's. */
export interface RequestOwner {
  userId?: string | null;
  portalSessionId?: string | null;
  pseudonym?: string | null;
}

function ownerWhere(owner: RequestOwner): Prisma.PrivacyRequestWhereInput {
  const or: Prisma.PrivacyRequestWhereInput[] = [];
  if (owner.userId) or.push({ requesterId: owner.userId });
  if (owner.portalSessionId) or.push({ portalSessionId: owner.portalSessionId });
  if (owner.pseudonym) or.push({ subjectPseudonym: owner.pseudonym });
  // No way to name anyone: match nothing.
  return or.length ? { OR: or } : { id: { in: [] } };
}

export function ownsRequest(owner: RequestOwner, r: { requesterId: string | null; portalSessionId: string | null; subjectPseudonym: string | null }): boolean {
  return Boolean(
    (owner.userId && r.requesterId === owner.userId) ||
      (owner.portalSessionId && r.portalSessionId === owner.portalSessionId) ||
      (owner.pseudonym && r.subjectPseudonym === owner.pseudonym),
  );
}

function verificationOf(requester: Requester): VerificationMethod {
  if (requester.verificationMethod) return requester.verificationMethod;
  return requester.portalSessionId ? "application_session" : "account_sign_in";
}

function channelOf(requester: Requester): RequestChannel {
  return requester.channel ?? (requester.portalSessionId ? "portal_session" : "portal");
}

async function checkPurpose(tx: Prisma.TransactionClient, purpose: string | undefined) {
  if (!purpose) throw new SafeError("Say which processing the objection is about.", "invalid", { field: "purpose" });
  if (purpose === "essential") throw new SafeError("Essential processing keeps the service running and cannot be objected to; ask for erasure or restriction instead.", "invalid", { field: "purpose" });
  const known = await tx.consentPurpose.findUnique({ where: { key: purpose } });
  if (!known) throw new SafeError(`Unknown purpose "${purpose}".`, "invalid", { field: "purpose" });
  return known;
}

export async function createRequest(requester: Requester, input: z.infer<typeof requestBodySchema>, actor: Actor) {
  const result = await transaction(async (tx) => {
    // One filing per person at a time, so two at once cannot both pass the duplicate check.
    await lockFor(tx, "request", requester.pseudonym);
    const purpose = input.type === "objection" ? (await checkPurpose(tx, input.purpose)).key : null;
    const open = await tx.privacyRequest.findFirst({
      where: { subjectPseudonym: requester.pseudonym, type: input.type, status: { in: [...OPEN_STATUSES] } },
      orderBy: { receivedAt: "asc" },
    });
    if (open) {
      throw new SafeError(
        `An ${REQUEST_TYPE_LABELS[input.type].toLowerCase()} request is already open (received ${open.receivedAt.toISOString().slice(0, 10)}, answered by ${open.dueAt.toISOString().slice(0, 10)}); it is being handled.`,
        "conflict",
        { field: "type" },
      );
    }
    const receivedAt = new Date();
    const request = await tx.privacyRequest.create({
      data: {
        subjectPseudonym: requester.pseudonym,
        requesterId: requester.userId,
        portalSessionId: requester.portalSessionId ?? null,
        channel: channelOf(requester),
        verificationMethod: verificationOf(requester),
        requesterContact: requester.contact || null,
        filedById: requester.filedById ?? null,
        apiKeyId: requester.apiKeyId ?? null,
        type: input.type,
        purpose,
        details: input.details || null,
        receivedAt,
        dueAt: new Date(receivedAt.getTime() + RESPONSE_DAYS * DAY),
      },
    });
    await recordRequestStep(tx, { requestId: request.id, requestType: request.type, from: null, to: "received", actor, action: "privacy_request.create", metadata: { channel: request.channel }, occurredAt: receivedAt });
    // An objection to direct marketing is absolute (GDPR Art. 21(3)): it takes effect on receipt.
    if (purpose === DIRECT_MARKETING_PURPOSE) {
      await recordConsentIn(tx, requester.pseudonym, [{ purpose, granted: false }], { method: "objection" });
      const completed = await tx.privacyRequest.update({ where: { id: request.id }, data: { status: "completed", completedAt: receivedAt } });
      await recordRequestStep(tx, {
        requestId: request.id,
        requestType: request.type,
        from: "received",
        to: "completed",
        note: "An objection to direct marketing is absolute: marketing stopped as soon as we received it.",
        actor: { type: "system" },
        action: "privacy_request.completed",
        metadata: { purpose },
      });
      return { request: completed, consentChanged: true };
    }
    return { request, consentChanged: false };
  });
  if (result.consentChanged) forgetConsent(requester.pseudonym);
  return result.request;
}

async function lockRequest(tx: Prisma.TransactionClient, id: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM privacy_requests WHERE id = ${id}::uuid FOR UPDATE`;
  const request = rows.length ? await tx.privacyRequest.findUnique({ where: { id } }) : null;
  if (!request) throw new SafeError("That request does not exist.", "not_found");
  return request;
}

/** What completing a request without a job does, inside its transaction; returns the note for the person. */
async function carryOut(tx: Tx, request: { type: RequestType; subjectPseudonym: string | null; purpose: string | null }, note: string | undefined, now: Date) {
  const pseudonym = request.subjectPseudonym;
  if (request.type === "rectification") {
    if (!note || note.length < 5) throw new SafeError("Tell the person what was corrected before completing a rectification.", "invalid", { field: "note" });
    return { note, restricted: null, consent: null };
  }
  if (request.type === "restriction" && pseudonym) {
    // A completed restriction takes effect at ingest: only essential events are kept.
    await tx.subject.updateMany({ where: { pseudonym, restrictedAt: null }, data: { restrictedAt: now } });
    await withdrawFromTraining(tx, pseudonym, "restricted");
    return { note: note || null, restricted: pseudonym, consent: null };
  }
  if (request.type === "objection" && pseudonym && request.purpose) {
    // Upheld as of completion: the purpose is withdrawn, with a withdrawal's effect on training.
    await recordConsentIn(tx, pseudonym, [{ purpose: request.purpose, granted: false }], { method: "objection" });
    const purpose = await tx.consentPurpose.findUnique({ where: { key: request.purpose } });
    return { note: note || `Your objection was upheld: from today we no longer use your data for ${purpose?.name.toLowerCase() ?? request.purpose}.`, restricted: null, consent: pseudonym };
  }
  return { note: note || null, restricted: null, consent: null };
}

export async function transitionRequest(input: z.infer<typeof transitionSchema>, actor: Actor) {
  const { updated, job, forget } = await transaction(async (tx) => {
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
    if (input.to === "rejected" && request.type === "objection" && request.purpose === DIRECT_MARKETING_PURPOSE) {
      throw new SafeError("An objection to direct marketing cannot be rejected.", "conflict");
    }
    const now = new Date();
    const done = input.to === "completed" ? await carryOut(tx, request, input.note, now) : null;
    const note = input.to === "rejected" ? input.reason! : input.to === "completed" ? done!.note : input.note || null;
    const updated = await tx.privacyRequest.update({
      where: { id: request.id },
      data: {
        status: input.to,
        ...(input.to === "completed" ? { completedAt: now, resolutionNote: note } : {}),
        ...(input.to === "rejected" ? { rejectionReason: input.reason, completedAt: now } : {}),
      },
    });
    await recordRequestStep(tx, { requestId: request.id, requestType: request.type, from, to: input.to, note, actor, action: `privacy_request.${input.to}` });
    const job = jobKind && input.to === "in_progress" ? await createJob(tx, jobKind, { privacyRequestId: request.id, requestedById: actor.type === "user" ? actor.id : null }) : null;
    return { updated, job, forget: done?.restricted ?? done?.consent ?? null };
  });
  if (job) await dispatchJob(job);
  if (forget) forgetConsent(forget);
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
 * "Download my data" in the privacy center: the person is signed in (or came from the
 * application), so the access request is verified at once and its export job starts. One export at
 * a time per person.
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
      data: {
        subjectPseudonym: requester.pseudonym,
        requesterId: requester.userId,
        portalSessionId: requester.portalSessionId ?? null,
        channel: channelOf(requester),
        verificationMethod: verificationOf(requester),
        type: "access",
        status: "in_progress",
        receivedAt,
        dueAt: new Date(receivedAt.getTime() + RESPONSE_DAYS * DAY),
      },
    });
    await recordRequestStep(tx, { requestId: request.id, requestType: "access", from: null, to: "received", actor, action: "privacy_request.create", metadata: { selfService: true }, occurredAt: receivedAt });
    await recordRequestStep(tx, {
      requestId: request.id,
      requestType: "access",
      from: "received",
      to: "in_progress",
      note: "Verified by your sign-in; your archive is being built.",
      actor: { type: "system" },
      action: "privacy_request.in_progress",
      occurredAt: receivedAt,
    });
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
    await recordRequestStep(tx, {
      requestId: request.id,
      requestType: request.type,
      from: request.status,
      to: request.status,
      note: `Extended by ${input.days} days: ${input.reason}`,
      actor,
      action: "privacy_request.extend",
      metadata: { days: input.days },
    });
    return updated;
  });
}

/** The person withdraws their own open request. */
export async function cancelRequest(id: string, owner: RequestOwner, actor: Actor) {
  return transaction(async (tx) => {
    const request = await lockRequest(tx, id);
    if (!ownsRequest(owner, request)) throw new SafeError("That request does not exist.", "not_found");
    if (!OPEN_STATUSES.includes(request.status as RequestStatus)) throw new SafeError("Only an open request can be cancelled.", "conflict");
    if (await tx.job.count({ where: { privacyRequestId: id, status: { in: ["queued", "running"] } } })) {
      throw new SafeError("This request is already being carried out and can no longer be cancelled.", "conflict");
    }
    await tx.privacyRequest.update({ where: { id }, data: { status: "cancelled", completedAt: new Date() } });
    await recordRequestStep(tx, { requestId: id, requestType: request.type, from: request.status, to: "cancelled", actor, action: "privacy_request.cancel" });
  });
}

/** The requests a person sees in the privacy center, newest first. */
export async function requestsFor(owner: RequestOwner) {
  return db().privacyRequest.findMany({
    where: ownerWhere(owner),
    orderBy: { receivedAt: "desc" },
    include: { events: { orderBy: [{ occurredAt: "asc" }, { id: "asc" }] }, jobs: { orderBy: { createdAt: "desc" }, take: 1, include: { export: { select: { id: true, byteSize: true, expiresAt: true } } } } },
  });
}
