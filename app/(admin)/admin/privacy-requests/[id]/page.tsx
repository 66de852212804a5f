import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { JobProgress } from "@/components/jobs/job-progress";
import { ErasureReceipt } from "@/components/privacy-requests/erasure-receipt";
import { RetryJobButton } from "@/components/privacy-requests/retry-job-button";
import { RequestActionsPanel } from "@/components/privacy-requests/request-actions-panel";
import { StatusBadge } from "@/components/privacy-requests/status-badge";
import { Timeline } from "@/components/privacy-requests/timeline";
import { TrainingImpact } from "@/components/privacy-requests/training-impact";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { receiptSummary } from "@/lib/privacy/receipt";
import { CHANNEL_LABELS, isOverdue, OPEN_STATUSES, REQUEST_TYPE_LABELS } from "@/lib/privacy/request-rules";
import { requestDetail } from "@/lib/privacy/request-queries";
import { requesterLines } from "@/components/privacy-requests/requester";
import { db } from "@/lib/db/client";
import { featureSetsOfSubject, modelVersionsContainingSubject, versionsByIds } from "@/lib/training/registry";

export const metadata: Metadata = { title: "Privacy request" };

export default async function PrivacyRequestPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("privacy_requests.manage");
  const { id } = await params;
  const request = /^[0-9a-f-]{36}$/i.test(id) ? await requestDetail(id) : null;
  if (!request) notFound();
  const overdue = isOverdue(request);
  const job = request.jobs[0];
  const receipt = receiptSummary(request.type, request.receipt);
  const pseudonym = request.subjectPseudonym;
  const who = requesterLines({ ...request, erased: !pseudonym });
  const purpose = request.purpose ? await db().consentPurpose.findUnique({ where: { key: request.purpose }, select: { name: true } }) : null;
  const ACTOR_LABELS: Record<string, string> = { system: "Clearlog", cli: "an operator (CLI)", subject: "the person (application session)" };
  const training = receipt
    ? { versions: await versionsByIds(receipt.modelVersionIds), featureSetIds: receipt.featureSetIds }
    : pseudonym
      ? { versions: await modelVersionsContainingSubject(pseudonym), featureSetIds: await featureSetsOfSubject(pseudonym) }
      : { versions: [], featureSetIds: [] };
  return (
    <>
      <Link href="/admin/privacy-requests" className="text-sm text-brand-600 hover:underline">
        ← All requests
      </Link>
      <PageHeader title={REQUEST_TYPE_LABELS[request.type]} description={`Request ${request.id}`} actions={<StatusBadge status={request.status} overdue={overdue} />} />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <Panel title="Request">
          <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm" data-testid="request-facts">
            <dt className="text-slate-500">Application user</dt>
            <dd className="font-mono">{who.subject}</dd>
            <dt className="text-slate-500">Requester</dt>
            <dd>{who.who}</dd>
            <dt className="text-slate-500">Channel</dt>
            <dd>{CHANNEL_LABELS[request.channel]}</dd>
            <dt className="text-slate-500">Identity verified</dt>
            <dd data-testid="verification">{who.verification}</dd>
            {purpose && (
              <>
                <dt className="text-slate-500">Objects to</dt>
                <dd>{purpose.name}</dd>
              </>
            )}
            <dt className="text-slate-500">Received</dt>
            <dd>{formatDateTime(request.receivedAt)}</dd>
            <dt className="text-slate-500">Due</dt>
            <dd className={overdue ? "font-medium text-red-700" : undefined}>
              {formatDateTime(request.dueAt)}
              {request.extensionReason && <span className="block text-xs text-slate-500">Extended: {request.extensionReason}</span>}
            </dd>
            <dt className="text-slate-500">What the person wrote</dt>
            <dd className="whitespace-pre-wrap text-slate-800">{request.details ?? "—"}</dd>
            {request.resolutionNote && (
              <>
                <dt className="text-slate-500">Note to the person</dt>
                <dd className="whitespace-pre-wrap">{request.resolutionNote}</dd>
              </>
            )}
            {request.rejectionReason && (
              <>
                <dt className="text-slate-500">Rejection reason</dt>
                <dd>{request.rejectionReason}</dd>
              </>
            )}
          </dl>
          <h3 className="mb-2 mt-6 text-sm font-semibold text-slate-800">Timeline</h3>
          <Timeline
            entries={request.events.map((e) => ({
              id: e.id.toString(),
              fromStatus: e.fromStatus,
              toStatus: e.toStatus,
              note: e.note,
              occurredAt: e.occurredAt.toISOString(),
              actor: e.actorName ?? ACTOR_LABELS[e.actorType] ?? null,
            }))}
          />
        </Panel>
        <Panel title="Next step">
          <RequestActionsPanel id={request.id} type={request.type} status={request.status} canExtend={OPEN_STATUSES.includes(request.status) && !request.extendedAt} purposeName={purpose?.name ?? null} />
          {job && (
            <div className="mt-6 space-y-3 border-t border-slate-100 pt-5">
              <JobProgress key={job.id} initial={{ id: job.id, kind: job.kind, status: job.status, stage: job.stage, processed: job.processed, total: job.total, error: job.error }} label={job.kind === "erasure" ? "Erasure" : "Export"} />
              {job.status === "failed" && <RetryJobButton id={request.id} />}
            </div>
          )}
          {receipt && (
            <div className="mt-6">
              <ErasureReceipt receipt={receipt} />
            </div>
          )}
        </Panel>
        <Panel title="Training data">
          <TrainingImpact versions={training.versions} featureSetIds={training.featureSetIds} erased={Boolean(receipt)} />
        </Panel>
      </div>
    </>
  );
}
