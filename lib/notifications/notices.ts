import "server-only";
import type { Tx } from "../db/transaction";
import { env } from "../env";
import { REQUEST_TYPE_LABELS, STATUS_LABELS, type RequestStatus, type RequestType } from "../privacy/request-rules";
import type { ConsentChangedData, ErasureCompletedData, StatusChangedData } from "./events";
import { mailConfigured } from "./mail";
import { emit, queueMail } from "./outbox";

// What a change tells the application (webhooks) and the requester (e-mail), written in the change's
// transaction. Called from the one place each kind of change passes: recordRequestStep for request
// steps, the consent writer, and the end of the erasure and export jobs.
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The application's id for a pseudonym, while the link exists. */
async function appUserId(tx: Tx, pseudonym: string | null): Promise<string | null> {
  if (!pseudonym) return null;
  return (await tx.subject.findUnique({ where: { pseudonym }, select: { externalId: true } }))?.externalId ?? null;
}

interface RequestFacts {
  id: string;
  type: RequestType;
  dueAt: Date;
  subject: string | null;
  /** the person's pseudonym: deliveries about them go with their erasure */
  pseudonym: string | null;
  /** where to write to the requester: their contact when it is an address, else their account's */
  mailTo: string | null;
}

/** What a notice needs to know about a request; read before an erasure removes it. */
export async function requestFacts(tx: Tx, requestId: string): Promise<RequestFacts | null> {
  const r = await tx.privacyRequest.findUnique({ where: { id: requestId }, select: { id: true, type: true, dueAt: true, subjectPseudonym: true, requesterContact: true, requester: { select: { email: true } } } });
  if (!r) return null;
  const contact = r.requesterContact?.trim();
  const mailTo = contact && EMAIL.test(contact) ? contact : (r.requester?.email ?? null);
  return { id: r.id, type: r.type as RequestType, dueAt: r.dueAt, subject: await appUserId(tx, r.subjectPseudonym), pseudonym: r.subjectPseudonym, mailTo };
}

/** A short reference the person can quote (not secret: it only finds the request for an admin). */
export function reference(requestId: string): string {
  return requestId.slice(0, 8).toUpperCase();
}

function portalLink(): string {
  const base = env().CLEARLOG_PUBLIC_URL?.replace(/\/+$/, "");
  return base ? `${base}/privacy` : "the privacy center of the service you use";
}

function requesterMail(facts: RequestFacts, to: RequestStatus) {
  const kind = REQUEST_TYPE_LABELS[facts.type].toLowerCase();
  const ref = reference(facts.id);
  const due = facts.dueAt.toISOString().slice(0, 10);
  const subject = to === "received" ? `We received your ${kind} request (${ref})` : `Your ${kind} request is ${STATUS_LABELS[to].toLowerCase()} (${ref})`;
  const lines =
    to === "received"
      ? [`We received your ${kind} request on ${new Date().toISOString().slice(0, 10)}. Its reference is ${ref}.`, `We will answer by ${due}.`]
      : to === "completed"
        ? [`Your ${kind} request (reference ${ref}) is completed.`]
        : [`Your ${kind} request (reference ${ref}) was ${STATUS_LABELS[to].toLowerCase()}. The reason is shown with the request.`];
  return { subject, text: [...lines, "", `You can follow it at ${portalLink()}.`, "", "This message was sent because you made a privacy request."].join("\n") };
}

/** Statuses the requester hears about by e-mail: receipt and the answer. */
const MAILED: readonly RequestStatus[] = ["received", "completed", "rejected"];

/**
 * A request changed status: the application's webhook, and the requester's e-mail at receipt and
 * answer. `about` (default: the request's person) is null for the erasure's own notices, which must
 * outlive it.
 */
export async function noticeRequestStep(tx: Tx, step: { requestId: string; from: RequestStatus | null; to: RequestStatus }, known?: RequestFacts | null, about?: string | null): Promise<void> {
  if (step.from === step.to) return;
  const wantsMail = mailConfigured() && MAILED.includes(step.to);
  const subscribed = await tx.webhookEndpoint.count({ where: { enabled: true, eventTypes: { has: "privacy_request.status_changed" } } });
  if (!wantsMail && subscribed === 0) return;
  const facts = known ?? (await requestFacts(tx, step.requestId));
  if (!facts) return;
  if (subscribed > 0) {
    const data: StatusChangedData = { requestId: facts.id, type: facts.type, from: step.from, to: step.to, subject: facts.subject, dueAt: facts.dueAt.toISOString() };
    await emit(tx, "privacy_request.status_changed", data, about === undefined ? facts.pseudonym : about);
  }
  if (wantsMail && facts.mailTo) await queueMail(tx, `privacy_request.${step.to}`, { to: facts.mailTo, ...requesterMail(facts, step.to) }, about === undefined ? facts.pseudonym : about);
}

/** The end of an erasure: its status change and the erasure itself, with what the application must erase too. */
export async function noticeErasureCompleted(tx: Tx, facts: RequestFacts | null, receipt: { requestId: string; erasedAt: string; tables: Record<string, number>; featureSets: string[]; modelVersions: string[] }): Promise<void> {
  if (!facts) return;
  await noticeRequestStep(tx, { requestId: facts.id, from: "in_progress", to: "completed" }, facts, null);
  const data: ErasureCompletedData = { requestId: facts.id, subject: facts.subject, erasedAt: receipt.erasedAt, tables: receipt.tables, featureSets: receipt.featureSets.length, modelVersions: receipt.modelVersions.length };
  await emit(tx, "erasure.completed", data);
}

/** A person's consent changed (by them, the application, an admin, an objection or GPC). */
export async function noticeConsentChanged(tx: Tx, pseudonym: string, changes: { purpose: string; granted: boolean }[], method: string): Promise<void> {
  if (changes.length === 0) return;
  if ((await tx.webhookEndpoint.count({ where: { enabled: true, eventTypes: { has: "consent.changed" } } })) === 0) return;
  const data: ConsentChangedData = { subject: await appUserId(tx, pseudonym), purposes: changes.map((c) => ({ purpose: c.purpose, granted: c.granted })), method };
  await emit(tx, "consent.changed", data, pseudonym);
}
