import type { Metadata } from "next";
import Link from "next/link";
import { StatusBadge } from "@/components/privacy-requests/status-badge";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/current-user";
import { isOverdue, REQUEST_STATUSES, REQUEST_TYPE_LABELS, STATUS_LABELS, type RequestStatus } from "@/lib/privacy/request-rules";
import { requestQueue } from "@/lib/privacy/requests";
import { Table } from "@/components/ui/table";

export const metadata: Metadata = { title: "Privacy requests" };

export default async function PrivacyRequestsPage({ searchParams }: { searchParams: Promise<{ status?: string; overdue?: string }> }) {
  await requirePageUser("privacy_requests.manage");
  const params = await searchParams;
  const status = REQUEST_STATUSES.includes(params.status as RequestStatus) ? (params.status as RequestStatus) : undefined;
  const overdue = params.overdue === "1";
  const { rows, counts, overdue: overdueCount } = await requestQueue({ status, overdue });
  const chip = (href: string, label: string, active: boolean, tone = "") => (
    <Link key={href} href={href} className={cx("rounded-full px-3 py-1 text-sm ring-1 ring-inset", active ? "bg-brand-600 text-white ring-brand-600" : cx("bg-white text-slate-700 ring-slate-300 hover:bg-slate-50", tone))}>
      {label}
    </Link>
  );
  return (
    <>
      <PageHeader title="Privacy requests" description="Access, erasure, rectification, restriction and objection requests. Each must be answered within 30 days of receipt, extendable once by up to 60 days." />
      <nav aria-label="Filter requests" className="mb-4 flex flex-wrap gap-2">
        {chip("/admin/privacy-requests", "All", !status && !overdue)}
        {chip("/admin/privacy-requests?overdue=1", `Overdue (${overdueCount})`, overdue, overdueCount > 0 ? "text-red-700 ring-red-300" : "")}
        {REQUEST_STATUSES.map((s) => chip(`/admin/privacy-requests?status=${s}`, `${STATUS_LABELS[s]} (${counts[s] ?? 0})`, status === s))}
      </nav>
      {rows.length === 0 ? (
        <EmptyState title="No requests here">Requests people send from their privacy center appear in this queue.</EmptyState>
      ) : (
        <div className="rounded-lg border border-slate-200 bg-white shadow-sm">
          <Table inset testId="request-queue" columns={["Request", "State", "Received", "Due"]}>
            {rows.map((r) => {
              const late = isOverdue(r);
              return (
                <tr key={r.id} className={late ? "bg-red-50/60" : undefined}>
                  <td className="px-4 py-2.5">
                    <Link href={`/admin/privacy-requests/${r.id}`} className="font-medium text-brand-700 hover:underline">
                      {REQUEST_TYPE_LABELS[r.type]}
                    </Link>
                    <span className="block font-mono text-xs text-slate-500">{r.id.slice(0, 8)}</span>
                  </td>
                  <td className="px-4 py-2.5">
                    <StatusBadge status={r.status} overdue={late} />
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5 text-slate-600">{formatDateTime(r.receivedAt)}</td>
                  <td className={cx("whitespace-nowrap px-4 py-2.5", late ? "font-medium text-red-700" : "text-slate-600")}>
                    {formatDateTime(r.dueAt)}
                    {r.extendedAt && <span className="block text-xs text-slate-500">extended</span>}
                  </td>
                </tr>
              );
            })}
          </Table>
        </div>
      )}
    </>
  );
}
