import type { Metadata } from "next";
import { CurrentOptIn, OptInOverTime } from "@/components/consent/opt-in-charts";
import { AdminConsentForm } from "@/components/consent/admin-consent-form";
import { StatCard } from "@/components/dashboard/stat-card";
import { EmptyState } from "@/components/ui/empty-state";
import { formatNumber } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { loadConsentOverview } from "@/lib/consent/overview";

export const metadata: Metadata = { title: "Consent" };

const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

export default async function ConsentOverviewPage() {
  await requirePageUser("consent.manage");
  const o = await loadConsentOverview();
  return (
    <>
      <PageHeader title="Consent" description="What people allow, per purpose, now and over the last 30 days. People who never chose count with the purpose's default." />
      <div className="grid gap-4 sm:grid-cols-3">
        <StatCard label="People with recorded choices" value={formatNumber(o.subjectsWithChoices)} />
        <StatCard label="Global Privacy Control" value={`${pct(o.gpcSubjects, o.subjectsWithChoices)}%`} hint={`${formatNumber(o.gpcSubjects)} people opted out by their browser`} />
        <StatCard label="Allow AI training" value={`${pct(o.current.find((c) => c.purpose === "ai_training")?.granted ?? 0, o.current[0]?.total ?? 0)}%`} />
      </div>
      {o.subjectsWithChoices === 0 ? (
        <div className="mt-6">
          <EmptyState title="No consent recorded yet">Choices made in the privacy center or through the consent API will appear here.</EmptyState>
        </div>
      ) : (
        <div className="mt-6 grid gap-6 xl:grid-cols-2">
          <Panel title="Opt-in rate per purpose, last 30 days">
            <OptInOverTime data={o.daily} purposes={o.purposes} />
          </Panel>
          <Panel title="Allowed now">
            <CurrentOptIn data={o.current.map((c) => ({ name: c.name, rate: pct(c.granted, c.total) }))} />
          </Panel>
        </div>
      )}
      <div className="mt-6">
        <Panel title="Change a person's consent on their behalf">
          <AdminConsentForm purposes={o.purposes.filter((p) => p.key !== "essential")} />
        </Panel>
      </div>
    </>
  );
}
