import type { Metadata } from "next";
import Link from "next/link";
import { EventVolumeChart } from "@/components/dashboard/event-volume-chart";
import { StatCard } from "@/components/dashboard/stat-card";
import { formatNumber } from "@/components/ui/format";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { sectionRoles } from "@/lib/auth/roles";
import { loadOverview } from "@/lib/dashboard/overview";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  await requirePageUser(sectionRoles("/admin"));
  const o = await loadOverview();
  const total = o.daily.reduce((sum, d) => sum + d.user_action + d.ai_interaction + d.api_request + d.error + d.system, 0);
  return (
    <>
      <PageHeader title="Dashboard" description="The last 7 days at a glance." />
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard label="Events, last 24 h" value={formatNumber(o.events24h)} />
        <StatCard label="Errors, last 24 h" value={formatNumber(o.errors24h)} tone={o.errors24h > 0 ? "red" : "neutral"} />
        <StatCard label="Open privacy requests" value={formatNumber(o.openRequests)} hint={o.overdueRequests > 0 ? `${o.overdueRequests} overdue` : "none overdue"} tone={o.overdueRequests > 0 ? "red" : "neutral"} />
        <StatCard label="Active API keys" value={formatNumber(o.activeKeys)} hint={`${formatNumber(o.subjects)} known subjects`} />
      </div>
      <Panel title="Events per day, by type" className="mt-6">
        {total === 0 ? (
          <EmptyState title="No events in the last 7 days">
            Send events with an <Link href="/admin/api-keys" className="text-brand-600 underline">API key</Link> and they will appear here.
          </EmptyState>
        ) : (
          <EventVolumeChart data={o.daily} />
        )}
      </Panel>
    </>
  );
}
