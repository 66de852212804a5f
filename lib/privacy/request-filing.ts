import "server-only";
import { z } from "zod";
import type { Actor } from "../audit/audit";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { parseInput, SafeError } from "../errors";
import { linkSubject } from "./pseudonym";
import { externalIds } from "./request-queries";
import { apiRequestSchema, fileOnBehalfSchema, REQUEST_STATUSES, REQUEST_TYPES } from "./request-rules";
import { createRequest } from "./requests";

// Requests filed for a person who is not in the privacy center: by an admin (a person wrote to
// support) or by the application over the API. The application's user id becomes the subject's
// pseudonym; the request works the same whether or not the person has an account.

/** An admin files a request on a person's behalf, recording how to reach them and how they were verified. */
export async function fileOnBehalf(input: z.infer<typeof fileOnBehalfSchema>, actor: Actor & { type: "user" }) {
  const pseudonym = await linkSubject(db(), input.subject);
  return createRequest(
    { pseudonym, userId: null, channel: "admin", verificationMethod: input.verificationMethod, contact: input.requesterContact, filedById: actor.id },
    { type: input.type, details: input.details, purpose: input.purpose },
    actor,
  );
}

type ApiRequestRow = Prisma.PrivacyRequestGetPayload<{ include: { events: true } }>;

/** What the API answers about a request: its state and the notes the person sees, never internal ids. */
function publicRequest(r: ApiRequestRow, subject: string | null) {
  return {
    id: r.id,
    subject,
    type: r.type,
    status: r.status,
    channel: r.channel,
    verificationMethod: r.verificationMethod,
    ...(r.purpose ? { purpose: r.purpose } : {}),
    receivedAt: r.receivedAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    ...(r.completedAt ? { completedAt: r.completedAt.toISOString() } : {}),
    ...(r.rejectionReason ? { rejectionReason: r.rejectionReason } : {}),
    ...(r.resolutionNote ? { resolutionNote: r.resolutionNote } : {}),
    ...(r.extensionReason ? { extensionReason: r.extensionReason } : {}),
    ...(r.receipt ? { receipt: r.receipt } : {}),
    timeline: r.events.map((e) => ({ status: e.toStatus, at: e.occurredAt.toISOString(), ...(e.note ? { note: e.note } : {}) })),
  };
}

async function view(id: string) {
  const r = await db().privacyRequest.findUnique({ where: { id }, include: { events: { orderBy: [{ occurredAt: "asc" }, { id: "asc" }] } } });
  if (!r) throw new SafeError("That request does not exist.", "not_found");
  const ids = await externalIds([r.subjectPseudonym]);
  return publicRequest(r, r.subjectPseudonym ? (ids.get(r.subjectPseudonym) ?? null) : null);
}

/** POST /api/v1/privacy-requests: the application files a request for one of its users. */
export async function fileFromApi(body: unknown, keyId: string) {
  const input = parseInput(apiRequestSchema, body);
  const pseudonym = await linkSubject(db(), input.subject);
  const request = await createRequest(
    { pseudonym, userId: null, channel: "api", verificationMethod: "application", contact: input.requesterContact ?? null, apiKeyId: keyId },
    { type: input.type, details: input.details, purpose: input.purpose },
    { type: "api_key", id: keyId },
  );
  return view(request.id);
}

export const apiListSchema = z.object({
  status: z.enum(REQUEST_STATUSES, `status must be one of ${REQUEST_STATUSES.join(", ")}`).optional(),
  type: z.enum(REQUEST_TYPES, `type must be one of ${REQUEST_TYPES.join(", ")}`).optional(),
  limit: z.coerce.number("limit must be a number").int("limit must be a whole number").min(1, "limit must be at least 1").max(100, "limit must be at most 100").default(50),
  cursor: z.string().uuid("cursor must be the nextCursor of a previous page").optional(),
});

/** GET /api/v1/privacy-requests: requests, newest first, in pages (`nextCursor`). */
export async function listForApi(params: URLSearchParams) {
  const input = parseInput(apiListSchema, Object.fromEntries(params));
  const after = input.cursor ? await db().privacyRequest.findUnique({ where: { id: input.cursor }, select: { id: true, receivedAt: true } }) : null;
  if (input.cursor && !after) throw new SafeError("cursor must be the nextCursor of a previous page", "invalid", { field: "cursor" });
  const rows = await db().privacyRequest.findMany({
    where: {
      ...(input.status ? { status: input.status } : {}),
      ...(input.type ? { type: input.type } : {}),
      ...(after ? { OR: [{ receivedAt: { lt: after.receivedAt } }, { receivedAt: after.receivedAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    include: { events: { orderBy: [{ occurredAt: "asc" }, { id: "asc" }] } },
  });
  const page = rows.slice(0, input.limit);
  const ids = await externalIds(page.map((r) => r.subjectPseudonym));
  return {
    data: page.map((r) => publicRequest(r, r.subjectPseudonym ? (ids.get(r.subjectPseudonym) ?? null) : null)),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}

/** GET /api/v1/privacy-requests/:id */
export async function getForApi(id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new SafeError("That request does not exist.", "not_found");
  return view(id);
}
