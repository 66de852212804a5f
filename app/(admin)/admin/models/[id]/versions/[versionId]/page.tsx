import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FeedbackCharts } from "@/components/models/feedback-charts";
import { TrainingStatusBadge } from "@/components/models/training-status";
import { VersionLineage } from "@/components/models/version-lineage";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, formatNumber } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { feedbackStats } from "@/lib/training/feedback-stats";
import { versionDetail } from "@/lib/training/registry";

export const metadata: Metadata = { title: "Model version" };

export default async function ModelVersionPage({ params }: { params: Promise<{ id: string; versionId: string }> }) {
  await requirePageUser("models.manage");
  const { id, versionId } = await params;
  const version = /^[0-9a-f-]{36}$/i.test(versionId) ? await versionDetail(versionId) : null;
  if (!version || version.model.id !== id) notFound();
  const feedback = await feedbackStats(version.id);
  const metrics = Object.entries(version.metrics as Record<string, number>);
  const parameters = version.parameters as Record<string, unknown>;
  return (
    <>
      <Link href={`/admin/models/${version.model.id}`} className="text-sm text-brand-600 hover:underline">
        ← {version.model.name}
      </Link>
      <PageHeader
        title={`${version.model.name} ${version.version}`}
        description={version.description ?? undefined}
        actions={
          <div className="flex flex-wrap items-center gap-2" data-testid="version-status">
            {version.aliases.map((a) => (
              <Badge key={a.alias} tone="blue">
                {a.alias}
              </Badge>
            ))}
            {version.isActive && <Badge tone="green">active</Badge>}
            <TrainingStatusBadge status={version.status} />
          </div>
        }
      />
      <div className="space-y-6">
        {version.status.withdrawnSubjects > 0 && (
          <div role="alert" className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
            This version was trained on data of <strong>{formatNumber(version.status.withdrawnSubjects)}</strong>{" "}
            {version.status.withdrawnSubjects === 1 ? "person who has" : "people who have"} since withdrawn AI training consent, been restricted or erased (of{" "}
            {formatNumber(version.status.subjects)} in its training data). Rebuild its feature sets below and train a new version on them.
          </div>
        )}
        <div className="grid gap-6 xl:grid-cols-2">
          <Panel title="Version">
            <dl className="grid grid-cols-[8rem_minmax(0,1fr)] gap-y-2 text-sm">
              <dt className="text-slate-500">Model type</dt>
              <dd>{version.model.modelType}</dd>
              <dt className="text-slate-500">Registered</dt>
              <dd>
                {formatDateTime(version.createdAt)}
                {version.createdBy && <span className="text-slate-500"> by {version.createdBy}</span>}
              </dd>
              <dt className="text-slate-500">Artifact</dt>
              <dd className="break-all font-mono text-xs leading-5">{version.artifactUri ?? "—"}</dd>
              <dt className="text-slate-500">Tags</dt>
              <dd className="flex flex-wrap gap-1">{version.tags.length ? version.tags.map((t) => <Badge key={t}>{t}</Badge>) : "—"}</dd>
              <dt className="text-slate-500">Parameters</dt>
              <dd>
                {Object.keys(parameters).length ? (
                  <pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs">{JSON.stringify(parameters, null, 2)}</pre>
                ) : (
                  "—"
                )}
              </dd>
            </dl>
          </Panel>
          <Panel title="Metrics">
            {metrics.length === 0 ? (
              <p className="text-sm text-slate-500">No metrics recorded.</p>
            ) : (
              <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
                {metrics.map(([name, value]) => (
                  <div key={name} className="rounded-md border border-slate-200 p-3">
                    <dt className="truncate text-xs text-slate-500">{name}</dt>
                    <dd className="mt-1 text-xl font-semibold tabular-nums text-slate-900">{value}</dd>
                  </div>
                ))}
              </dl>
            )}
          </Panel>
        </div>
        <Panel title="Lineage: trained on">
          <VersionLineage sets={version.lineage} />
        </Panel>
        <section aria-labelledby="feedback-heading" className="space-y-4">
          <h2 id="feedback-heading" className="text-lg font-semibold text-slate-900">
            Feedback, last {feedback.days} days
          </h2>
          <FeedbackCharts stats={feedback} />
        </section>
      </div>
    </>
  );
}
