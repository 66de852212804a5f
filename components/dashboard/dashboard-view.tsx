import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { formatNumber } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";
import type { Dashboard } from "@/lib/dashboard/dashboard";
import { CLASSIFICATION_COLORS, CLASSIFICATION_LABELS } from "@/lib/dashboard/event-types";
import { RANGE_LABELS } from "@/lib/dashboard/range";
import { AiUsagePanel } from "./ai-usage-panel";
import { ApiLatencyPanel } from "./api-latency-panel";
import { formatPercent } from "./chart-format";
import { ClassificationChart } from "./classification-chart";
import { ErrorRateChart } from "./error-rate-chart";
import { EventVolumeChart } from "./event-volume-chart";
import { IntakePanel } from "./intake-panel";
import { StatCard } from "./stat-card";
import { TopErrorsTable } from "./top-errors-table";

/** The dashboard for one range, from data loaded on the server; charts get plain values only. */
export function DashboardView({ data }: { data: Dashboard }) {
  const { window: w, volume, workspace: ws } = data;
  const range = RANGE_LABELS[w.range].toLowerCase();
  const per = w.granularity;
  const classified = data.classification.reduce((sum, c) => sum + c.count, 0);
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard label={`Events, ${range}`} value={formatNumber(volume.total)} />
        <StatCard
          label={`Errors, ${range}`}
          value={formatNumber(volume.errors)}
          hint={volume.total > 0 ? `${formatPercent(volume.errorRate)} of events` : undefined}
          tone={volume.errors > 0 ? "red" : "neutral"}
        />
        <StatCard
          label="Open privacy requests"
          value={formatNumber(ws.openRequests)}
          hint={ws.overdueRequests > 0 ? `${formatNumber(ws.overdueRequests)} overdue` : "none overdue"}
          tone={ws.overdueRequests > 0 ? "red" : "neutral"}
        />
        <StatCard label="Active API keys" value={formatNumber(ws.activeKeys)} hint={`${formatNumber(ws.subjects)} known subjects`} />
      </div>

      <Panel title={`Events per ${per}, by type`} className="mt-6">
        {volume.total === 0 ? (
          <EmptyState title={`No events in the ${range}`}>
            Send events with an{" "}
            <Link href="/admin/api-keys" className="text-brand-600 underline">
              API key
            </Link>{" "}
            and they will appear here.
          </EmptyState>
        ) : (
          <EventVolumeChart data={volume.points} granularity={per} />
        )}
      </Panel>

      <div className="mt-6 grid grid-cols-[minmax(0,1fr)] gap-6 xl:grid-cols-5">
        <Panel title={`Error rate per ${per}`} className="xl:col-span-2">
          {volume.total === 0 ? (
            <EmptyState title={`No events in the ${range}`}>The share of errors among all events shows here.</EmptyState>
          ) : (
            <ErrorRateChart data={volume.points.map((p) => ({ bucket: p.bucket, errorRate: p.errorRate, error: p.error, total: p.total }))} granularity={per} />
          )}
        </Panel>
        <Panel title="Top error fingerprints" className="xl:col-span-3">
          {data.topErrors.length === 0 ? (
            <EmptyState title={`No errors in the ${range}`}>Errors are grouped by fingerprint (type, top stack frames, message shape).</EmptyState>
          ) : (
            <TopErrorsTable rows={data.topErrors} />
          )}
        </Panel>
      </div>

      <ApiLatencyPanel routes={data.routes} range={range} />
      <AiUsagePanel ai={data.ai} granularity={per} range={range} />
      <IntakePanel rows={data.intake} range={range} />

      <Panel title="Events by classification" className="mt-6">
        {classified === 0 ? (
          <EmptyState title={`No events in the ${range}`}>Each event is classified public, internal, confidential or restricted at ingest.</EmptyState>
        ) : (
          <div className="grid grid-cols-[minmax(0,1fr)] items-center gap-6 lg:grid-cols-3">
            <div className="lg:col-span-2">
              <ClassificationChart data={data.classification} />
            </div>
            <ClassificationList data={data.classification} total={classified} />
          </div>
        )}
      </Panel>
    </>
  );
}

function ClassificationList({ data, total }: { data: Dashboard["classification"]; total: number }) {
  return (
    <dl className="grid grid-cols-2 gap-3 text-sm" data-testid="classification-counts">
      {data.map((c) => (
        <div key={c.classification} className="rounded-md border border-slate-100 p-3">
          <dt className="flex items-center gap-2 text-slate-600">
            <span className="h-2.5 w-2.5 rounded-full" style={{ backgroundColor: CLASSIFICATION_COLORS[c.classification] }} aria-hidden="true" />
            {CLASSIFICATION_LABELS[c.classification]}
          </dt>
          <dd className="mt-1 text-lg font-semibold tabular-nums text-slate-900">{formatNumber(c.count)}</dd>
          <dd className="text-xs text-slate-500">{formatPercent((100 * c.count) / total)}</dd>
        </div>
      ))}
    </dl>
  );
}
