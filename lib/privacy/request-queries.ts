import "server-only";
import { actorNames, nameOf } from "../auth/actor-names";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { pseudonymFor } from "./pseudonym";
import { OPEN_STATUSES, type QueueFilter, type RequestStatus } from "./request-rules";

// The admin queue and a request's detail: who asked (account, application session, admin or API,
// with contact and verification), for which application user, and a timeline naming who acted.
const DAY = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function whereOf(filter: QueueFilter, now: Date): Prisma.PrivacyRequestWhereInput {
  const and: Prisma.PrivacyRequestWhereInput[] = [];
  if (filter.status) and.push({ status: filter.status });
  if (filter.type) and.push({ type: filter.type });
  if (filter.due === "overdue") and.push({ status: { in: [...OPEN_STATUSES] }, dueAt: { lt: now } });
  if (filter.due === "week" || filter.due === "month") {
    and.push({ status: { in: [...OPEN_STATUSES] }, dueAt: { gte: now, lt: new Date(now.getTime() + (filter.due === "week" ? 7 : 30) * DAY) } });
  }
  if (filter.q) {
    // By request id, by application user id (through its pseudonym: the id itself is not stored
    // on requests), or by the requester's contact or account e-mail.
    const q = filter.q;
    const or: Prisma.PrivacyRequestWhereInput[] = [
      { subjectPseudonym: pseudonymFor(q) },
      { requesterContact: { contains: q, mode: "insensitive" } },
      { requester: { email: { contains: q, mode: "insensitive" } } },
    ];
    if (UUID.test(q)) or.push({ id: q });
    and.push({ OR: or });
  }
  return { AND: and };
}

/** Application user ids for pseudonyms still linked (erased subjects have none). */
export async function externalIds(pseudonyms: (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(pseudonyms.filter((p): p is string => Boolean(p)))];
  if (unique.length === 0) return new Map();
  const rows = await db().subject.findMany({ where: { pseudonym: { in: unique } }, select: { pseudonym: true, externalId: true } });
  return new Map(rows.map((r) => [r.pseudonym, r.externalId]));
}

const requesterSelect = {
  channel: true,
  requesterContact: true,
  verificationMethod: true,
  requester: { select: { email: true, displayName: true } },
  filedBy: { select: { displayName: true } },
  apiKeyId: true,
} as const;

export async function requestQueue(filter: QueueFilter & { overdue?: boolean }) {
  const now = new Date();
  const where = whereOf({ ...filter, due: filter.overdue ? "overdue" : filter.due }, now);
  const [rows, counts, overdue] = await Promise.all([
    db().privacyRequest.findMany({
      where,
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      take: 200,
      select: { id: true, type: true, status: true, purpose: true, receivedAt: true, dueAt: true, extendedAt: true, subjectPseudonym: true, ...requesterSelect },
    }),
    db().privacyRequest.groupBy({ by: ["status"], _count: { _all: true } }),
    db().privacyRequest.count({ where: { status: { in: [...OPEN_STATUSES] }, dueAt: { lt: now } } }),
  ]);
  const [ids, keys] = await Promise.all([externalIds(rows.map((r) => r.subjectPseudonym)), actorNames(rows.map((r) => r.apiKeyId))]);
  return {
    rows: rows.map(({ subjectPseudonym, ...r }) => ({ ...r, subject: subjectPseudonym ? (ids.get(subjectPseudonym) ?? null) : null, erased: !subjectPseudonym, apiKey: nameOf(keys, r.apiKeyId) })),
    counts: Object.fromEntries(counts.map((c) => [c.status, c._count._all])) as Partial<Record<RequestStatus, number>>,
    overdue,
  };
}

export async function requestDetail(id: string) {
  const request = await db().privacyRequest.findUnique({
    where: { id },
    include: {
      events: { orderBy: [{ occurredAt: "asc" }, { id: "asc" }] },
      jobs: { orderBy: { createdAt: "desc" }, take: 1 },
      requester: { select: { email: true, displayName: true } },
      filedBy: { select: { displayName: true } },
    },
  });
  if (!request) return null;
  const [ids, names] = await Promise.all([externalIds([request.subjectPseudonym]), actorNames([...request.events.map((e) => e.actorId), request.apiKeyId])]);
  return {
    ...request,
    subject: request.subjectPseudonym ? (ids.get(request.subjectPseudonym) ?? null) : null,
    apiKey: nameOf(names, request.apiKeyId),
    events: request.events.map((e) => ({ ...e, actorName: e.actorType === "user" || e.actorType === "api_key" ? nameOf(names, e.actorId) : null })),
  };
}
