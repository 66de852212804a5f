import type { Metadata } from "next";
import Link from "next/link";
import { DueSoon } from "@/components/privacy-requests/due-soon";
import { RequesterCell } from "@/components/privacy-requests/requester";
import { StatusBadge } from "@/components/privacy-requests/status-badge";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { STACKED_CELL, STACKED_ROW, StackedLabel, Table } from "@/components/ui/table";
import { inputClass } from "@/components/ui/text-field";
import { requirePageUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { dueSoon } from "@/lib/notifications/reminders";
import { requestQueue } from "@/lib/privacy/request-queries";
import { isOverdue, queueFilterSchema, REQUEST_STATUSES, REQUEST_TYPE_LABELS, REQUEST_TYPES, STATUS_LABELS } from "@/lib/privacy/request-rules";

export const metadata: Metadata = { title: "Privacy requests" };

const DUE_LABELS = { overdue: "Overdue", week: "Due within 7 days", month: "Due within 30 days" } as const;

export default async function PrivacyRequestsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageUser("privacy_requests.manage");
  const params = await searchParams;
  // `overdue=1` is the older link to the overdue view.
  const filter = queueFilterSchema.parse({ ...params, due: params.overdue === "1" ? "overdue" : params.due });
  const now = new Date();
  const [{ rows, counts, overdue: overdueCount }, soon] = await Promise.all([requestQueue(filter), dueSoon(now)]);
  const filtered = Boolean(filter.status || filter.type || filter.due || filter.q);
  const select = `${inputClass} mt-0 w-auto`;
  return (
    <>
      <PageHeader
        title="Privacy requests"
        description="Access, erasure, rectification, restriction and objection requests. Each must be answered within 30 days of receipt, extendable once by up to 60 days."
        actions={
          <Link href="/admin/privacy-requests/new" className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700">
            File a request for someone
          </Link>
        }
      />
      <form method="get" aria-label="Filter requests" className="mb-4 flex flex-wrap items-end gap-2">
        <label className="min-w-56 flex-1 text-xs text-slate-600">
          Search
          <input name="q" defaultValue={filter.q ?? ""} placeholder="Application user id, contact, e-mail or request id" className={inputClass} />
        </label>
        <label className="text-xs text-slate-600">
          Type
          <select name="type" defaultValue={filter.type ?? ""} className={select}>
            <option value="">Any type</option>
            {REQUEST_TYPES.map((t) => (
              <option key={t} value={t}>
                {REQUEST_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          State
          <select name="status" defaultValue={filter.status ?? ""} className={select}>
            <option value="">Any state</option>
            {REQUEST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]} ({counts[s] ?? 0})
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          Due
          <select name="due" defaultValue={filter.due ?? ""} className={select}>
            <option value="">Any due date</option>
            {Object.entries(DUE_LABELS).map(([k, v]) => (
              <option key={k} value={k}>
                {k === "overdue" ? `${v} (${overdueCount})` : v}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
          Apply
        </button>
        {filtered && (
          <Link href="/admin/privacy-requests" className="px-2 py-2 text-sm text-brand-700 hover:underline">
            Clear
          </Link>
        )}
      </form>
      {overdueCount > 0 && filter.due !== "overdue" && (
        <p className="mb-4 text-sm text-red-700">
          {overdueCount} open request{overdueCount === 1 ? " is" : "s are"} past due.{" "}
          <Link href="/admin/privacy-requests?due=overdue" className="underline">
            Show them
          </Link>
        </p>
      )}
      <DueSoon rows={soon.map((r) => ({ ...r, dueAt: r.dueAt.toISOString() }))} days={Math.max(...env().CLEARLOG_REMINDER_DAYS)} now={now.getTime()} />
      {rows.length === 0 ? (
        <EmptyState title={filtered ? "No request matches these filters" : "No requests here"}>
          Requests from the privacy center, from applications and those filed by admins appear in this queue.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <Table inset stacked testId="request-queue" columns={["Request", "Requester", "State", "Received", "Due"]}>
            {rows.map((r) => {
              const late = isOverdue(r);
              return (
                <tr key={r.id} className={cx(STACKED_ROW, "px-4 sm:px-0", late && "bg-red-50/60")}>
                  <td className={cx(STACKED_CELL, "sm:px-4")}>
                    <Link href={`/admin/privacy-requests/${r.id}`} className="font-medium text-brand-700 hover:underline">
                      {REQUEST_TYPE_LABELS[r.type]}
                      {r.purpose ? ` (${r.purpose})` : ""}
                    </Link>
                    <span className="block font-mono text-xs text-slate-500">{r.id.slice(0, 8)}</span>
                  </td>
                  <td className={cx(STACKED_CELL, "sm:px-4")}>
                    <StackedLabel>Requester</StackedLabel>
                    <RequesterCell r={r} />
                  </td>
                  <td className={cx(STACKED_CELL, "sm:px-4")}>
                    <StackedLabel>State</StackedLabel>
                    <StatusBadge status={r.status} overdue={late} />
                  </td>
                  <td className={cx(STACKED_CELL, "text-slate-600 sm:whitespace-nowrap sm:px-4")}>
                    <StackedLabel>Received</StackedLabel>
                    {formatDateTime(r.receivedAt)}
                  </td>
                  <td className={cx(STACKED_CELL, "sm:whitespace-nowrap sm:px-4", late ? "font-medium text-red-700" : "text-slate-600")}>
                    <StackedLabel>Due</StackedLabel>
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
