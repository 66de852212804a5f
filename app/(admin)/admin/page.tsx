import type { Metadata } from "next";
import { Suspense } from "react";
import { DashboardSkeleton } from "@/components/dashboard/dashboard-skeleton";
import { DashboardView } from "@/components/dashboard/dashboard-view";
import { RangeSelector } from "@/components/dashboard/range-selector";
import { DueSoon } from "@/components/privacy-requests/due-soon";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { dueSoon } from "@/lib/notifications/reminders";
import { loadDashboard } from "@/lib/dashboard/dashboard";
import { parseRange, RANGE_LABELS, type RangeKey } from "@/lib/dashboard/range";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageUser("dashboard.view");
  const range = parseRange((await searchParams).range);
  const now = new Date();
  const soon = await dueSoon(now, 5);
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={`${RANGE_LABELS[range]}, ${range === "24h" ? "by hour" : "by day"} (UTC).`}
        actions={<RangeSelector current={range} />}
      />
      <DueSoon rows={soon.map((r) => ({ ...r, dueAt: r.dueAt.toISOString() }))} days={Math.max(...env().CLEARLOG_REMINDER_DAYS)} now={now.getTime()} />
      {/* Keyed by range: switching range shows the skeleton instead of the previous range's figures. */}
      <Suspense key={range} fallback={<DashboardSkeleton />}>
        <DashboardData range={range} />
      </Suspense>
    </>
  );
}

async function DashboardData({ range }: { range: RangeKey }) {
  return <DashboardView data={await loadDashboard(range)} />;
}
