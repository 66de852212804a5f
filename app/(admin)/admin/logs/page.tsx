import type { Metadata } from "next";
import { Suspense } from "react";
import { LogsExplorer } from "@/components/logs/logs-explorer";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Logs" };

export default async function LogsPage() {
  await requirePageUser("logs.read");
  return (
    <>
      <PageHeader title="Logs" description="Every event as it was stored: classified, redacted and pseudonymized. Filters live in the address, so a link shows the same view." />
      <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>
        <LogsExplorer />
      </Suspense>
    </>
  );
}
