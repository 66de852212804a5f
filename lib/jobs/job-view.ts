import "server-only";
import { ownerOf, type SessionUser } from "../auth/session-user";
import { ownsRequest } from "../privacy/requests";
import { db } from "../db/client";

/** What a page may show about a job: its progress and a safe error, never its result's ids. */
export interface JobView {
  id: string;
  kind: string;
  status: "queued" | "running" | "succeeded" | "failed";
  stage: string | null;
  processed: number;
  total: number | null;
  error: string | null;
}

/** A job for an admin, a data scientist's extraction, or the person whose request it serves; null for anyone else. */
export async function jobViewFor(id: string, user: SessionUser): Promise<JobView | null> {
  const job = await db().job.findUnique({ where: { id }, include: { privacyRequest: { select: { requesterId: true, portalSessionId: true, subjectPseudonym: true } } } });
  if (!job) return null;
  const allowed =
    user.role === "admin" ||
    (user.role === "data_scientist" && job.kind === "feature_extraction") ||
    (user.role === "end_user" && Boolean(job.privacyRequest) && ownsRequest(ownerOf(user), job.privacyRequest!));
  if (!allowed) return null;
  return { id: job.id, kind: job.kind, status: job.status, stage: job.stage, processed: job.processed, total: job.total, error: job.error };
}
