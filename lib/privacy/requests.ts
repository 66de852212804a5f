import "server-only";
import type { z } from "zod";
import { writeAudit, type Actor } from "../audit/audit";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { SafeError } from "../errors";
import {
  ADMIN_TRANSITIONS,
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

export async function createRequest(pseudonym: string, input: z.infer<typeof createRequestSchema>, actor: Actor) {
  return db().$transaction(async (tx) => {
    const receivedAt = new Date();
    const request = await tx.privacyRequest.create({
      data: { subjectPseudonym: pseudonym, type: input.type, details: input.details || null, receivedAt, dueAt: new Date(receivedAt.getTime() + RESPONSE_DAYS * DAY) },
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
  return db().$transaction(async (tx) => {
    const request = await lockRequest(tx, input.id);
    const from = request.status as RequestStatus;
    if (!ADMIN_TRANSITIONS[from].includes(input.to)) {
      throw new SafeError(`A ${from.replace("_", " ")} request cannot be moved to ${input.to.replace("_", " ")}.`, "conflict");
    }
    if (request.type === "erasure" && input.to === "completed") {
      // Completing an erasure request must mean the data is gone; that is the erasure job's step.
      throw new SafeError("An erasure request is completed by the erasure job, which this version does not have yet.", "conflict");
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
    return updated;
  });
}

/** One extension per request, up to 60 more days, with a reason the person sees. */
export async function extendRequest(input: z.infer<typeof extendSchema>, actor: Actor) {
  return db().$transaction(async (tx) => {
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
export async function cancelRequest(id: string, pseudonym: string, actor: Actor) {
  return db().$transaction(async (tx) => {
    const request = await lockRequest(tx, id);
    if (request.subjectPseudonym !== pseudonym) throw new SafeError("That request does not exist.", "not_found");
    if (!OPEN_STATUSES.includes(request.status as RequestStatus)) throw new SafeError("Only an open request can be cancelled.", "conflict");
    await tx.privacyRequest.update({ where: { id }, data: { status: "cancelled", completedAt: new Date() } });
    await tx.privacyRequestEvent.create({ data: { requestId: id, fromStatus: request.status, toStatus: "cancelled", actorType: actor.type } });
    await writeAudit({ actor, action: "privacy_request.cancel", resourceType: "privacy_request", resourceId: id, outcome: "success" }, tx);
  });
}

export async function requestsOf(pseudonym: string) {
  return db().privacyRequest.findMany({ where: { subjectPseudonym: pseudonym }, orderBy: { receivedAt: "desc" }, include: { events: { orderBy: [{ occurredAt: "asc" }, { id: "asc" }] } } });
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
  return db().privacyRequest.findUnique({ where: { id }, include: { events: { orderBy: [{ occurredAt: "asc" }, { id: "asc" }] } } });
}
