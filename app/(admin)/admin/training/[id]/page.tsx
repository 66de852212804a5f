import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { JobProgress } from "@/components/jobs/job-progress";
import { DeleteSetButton } from "@/components/training/delete-set-button";
import { FeatureSetDownloads } from "@/components/training/downloads";
import { ExclusionsChart } from "@/components/training/exclusions-chart";
import { FeaturesPreview } from "@/components/training/features-preview";
import { formatRange } from "@/components/training/format-range";
import { ManifestSummary } from "@/components/training/manifest-summary";
import { RebuildButton } from "@/components/training/rebuild-button";
import { FeatureSetStatusBadge } from "@/components/training/status-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatNumber } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { jobViewFor } from "@/lib/jobs/job-view";
import { EXCLUSION_REASONS, FEATURE_DEFINITIONS, type ExclusionReason } from "@/lib/training/definitions";
import { featureSetDetail } from "@/lib/training/feature-sets";

export const metadata: Metadata = { title: "Feature set" };

const SHORT_REASON: Record<ExclusionReason, string> = {
  no_consent: "No consent",
  withdrawn: "Withdrew or refused",
  restricted: "Restricted",
  erased: "Erased",
  events_excluded: "Events excluded",
};

export default async function FeatureSetPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser("training.use");
  const { id } = await params;
  let set = /^[0-9a-f-]{36}$/i.test(id) ? await featureSetDetail(id) : null;
  if (!set) notFound();
  const job = set.job && (set.status === "building" || set.status === "failed") ? await jobViewFor(set.job.id, user) : null;
  // The job may have sealed the set between the two reads: read it again rather than show it unfinished.
  if (job?.status === "succeeded") set = (await featureSetDetail(id)) ?? set;
  const definition = FEATURE_DEFINITIONS[set.featureType];
  const reasons = Object.entries(set.exclusions).filter(([, n]) => (n ?? 0) > 0) as [ExclusionReason, number][];
  const complete = set.status === "ready" || set.status === "stale";

  return (
    <>
      <Link href="/admin/training" className="text-sm text-brand-600 hover:underline">
        ← All feature sets
      </Link>
      <PageHeader title={`${definition.label}, ${formatRange(set.startDate, set.endDate)}`} description={definition.summary} actions={<FeatureSetStatusBadge status={set.status} />} />
      <div className="space-y-6">
        {job && (set.status === "building" || set.status === "failed") && (
          <Panel title="Extraction">
            <JobProgress initial={job} label="Extracting features" />
            {set.status === "failed" && (
              <div className="mt-4 flex flex-wrap gap-3">
                <RebuildButton id={set.id} label="Extract again" />
                <DeleteSetButton id={set.id} />
              </div>
            )}
          </Panel>
        )}
        {set.status === "stale" && (
          <div role="alert" className="flex flex-wrap items-center justify-between gap-4 rounded-lg border border-amber-200 bg-amber-50 p-4">
            <p className="max-w-3xl text-sm text-amber-900">
              <strong>{formatNumber(set.withdrawnSubjects)}</strong> {set.withdrawnSubjects === 1 ? "person" : "people"} in this set withdrew AI training consent, were restricted or
              erased since it was extracted
              {Object.keys(set.withdrawals).length > 0 && ` (${Object.entries(set.withdrawals).map(([k, n]) => `${k} ${n}`).join(", ")})`}. Their rows are gone; models trained on it are
              flagged. Rebuild it to train on consented data only.
            </p>
            <RebuildButton id={set.id} />
          </div>
        )}
        {set.rebuilds.length > 0 && (
          <p className="text-sm text-slate-600">
            Rebuilt as{" "}
            {set.rebuilds.map((r, i) => (
              <span key={r.id}>
                {i > 0 && ", "}
                <Link className="font-mono text-brand-700 hover:underline" href={`/admin/training/${r.id}`}>
                  {r.id.slice(0, 8)}
                </Link>
              </span>
            ))}
            .
          </p>
        )}
        {complete && (
          <div className="grid gap-6 xl:grid-cols-2">
            <Panel title="Manifest">
              <ManifestSummary set={set} />
            </Panel>
            <Panel title="Consent">
              <p className="mb-3 text-sm text-slate-600">
                {formatNumber(set.subjectCount)} {set.subjectCount === 1 ? "person" : "people"} included; {formatNumber(reasons.reduce((a, [, n]) => a + n, 0))} left out.
              </p>
              <ExclusionsChart bars={[{ key: "included", label: "Included", count: set.subjectCount }, ...reasons.map(([k, n]) => ({ key: k, label: SHORT_REASON[k], count: n }))]} />
              <dl className="mt-3 space-y-1 text-xs text-slate-600" data-testid="exclusions">
                {reasons.length === 0 && <p>Nobody with events in the range was left out.</p>}
                {reasons.map(([k, n]) => (
                  <div key={k} className="flex gap-2">
                    <dt className="w-10 text-right font-medium tabular-nums text-slate-800">{formatNumber(n)}</dt>
                    <dd>{EXCLUSION_REASONS[k]}</dd>
                  </div>
                ))}
              </dl>
            </Panel>
          </div>
        )}
        {complete && (
          <Panel title="Download">
            <FeatureSetDownloads id={set.id} stale={set.status === "stale"} />
          </Panel>
        )}
        {complete && (
          <Panel title="Models trained on this set">
            {set.models.length === 0 ? (
              <div className="flex flex-wrap items-center justify-between gap-4">
                <p className="text-sm text-slate-600">
                  None yet. <Link href={`/admin/models?featureSet=${set.id}`} className="text-brand-700 hover:underline">Register a model version</Link> trained on it, or
                  delete the set if nothing will be: training data nobody uses is data to let go.
                </p>
                <DeleteSetButton id={set.id} />
              </div>
            ) : (
              <ul className="space-y-1 text-sm">
                {set.models.map((m) => (
                  <li key={m.versionId}>
                    <Link href={`/admin/models/${m.modelId}/versions/${m.versionId}`} className="text-brand-700 hover:underline">
                      {m.modelName} {m.version}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </Panel>
        )}
        {complete && (
          <Panel title={`First rows (${formatNumber(Math.min(10, set.rowCount))} of ${formatNumber(set.rowCount)})`}>
            {set.preview.length === 0 ? <EmptyState title="No rows">Nobody who consented had events of this kind in the range.</EmptyState> : <FeaturesPreview columns={definition.columns} rows={set.preview} />}
          </Panel>
        )}
      </div>
    </>
  );
}
