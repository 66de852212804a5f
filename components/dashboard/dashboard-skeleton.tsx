import type { ReactNode } from "react";
import { cx } from "@/components/ui/cx";

function Block({ className }: { className?: string }) {
  return <div className={cx("animate-pulse rounded bg-slate-200", className)} />;
}

function PanelBlock({ className }: { className?: string }) {
  return (
    <div className={cx("rounded-lg border border-slate-200 bg-white p-5 shadow-sm", className)}>
      <Block className="h-4 w-40" />
      <Block className="mt-5 h-64 w-full bg-slate-100" />
    </div>
  );
}

function Loading({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div aria-busy="true" role="status" aria-label={label}>
      <span className="sr-only">{label}…</span>
      {children}
    </div>
  );
}

/** Grey blocks in the dashboard's shape (cards, then chart panels), shown while a range loads. */
export function DashboardSkeleton() {
  return (
    <Loading label="Loading the dashboard">
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" data-testid="dashboard-skeleton">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <Block className="h-4 w-28" />
            <Block className="mt-3 h-8 w-20" />
            <Block className="mt-2 h-3 w-24 bg-slate-100" />
          </div>
        ))}
      </div>
      <PanelBlock className="mt-6" />
      <div className="mt-6 grid gap-6 xl:grid-cols-5">
        <PanelBlock className="xl:col-span-2" />
        <PanelBlock className="xl:col-span-3" />
      </div>
      <PanelBlock className="mt-6" />
      <PanelBlock className="mt-6" />
      <PanelBlock className="mt-6" />
    </Loading>
  );
}
