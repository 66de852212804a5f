"use client";

import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/form-error";
import { formatDateTime } from "@/components/ui/format";
import { inputClass } from "@/components/ui/text-field";
import { cancelRequestAction, submitRequestAction } from "@/lib/privacy/request-actions";
import type { ReceiptSummary } from "@/lib/privacy/receipt";
import { PORTAL_REQUEST_TYPES, REQUEST_TYPE_LABELS, type RequestStatus, type RequestType } from "@/lib/privacy/request-rules";
import { ErasureReceipt } from "./erasure-receipt";
import { StatusBadge } from "./status-badge";
import { Timeline, type TimelineEntry } from "./timeline";
import { useActionRunner } from "@/components/ui/use-action-runner";

export interface MyRequest {
  id: string;
  type: RequestType;
  status: RequestStatus;
  receivedAt: string;
  dueAt: string;
  open: boolean;
  cancellable: boolean;
  overdue: boolean;
  receipt: ReceiptSummary | null;
  events: TimelineEntry[];
}

/** The person's rights requests: ask, follow each one's status and deadline, cancel an open one. */
export function MyRequests({ requests, linked }: { requests: MyRequest[]; linked: boolean }) {
  const { pending, error, run } = useActionRunner();

  return (
    <div className="space-y-6">
      <FormError message={error} />
      {linked ? (
        <form action={(form) => run(() => submitRequestAction({ type: form.get("type"), details: form.get("details") || undefined }))} className="space-y-3" aria-label="Make a request">
          <div>
            <label htmlFor="request-type" className="block text-sm font-medium text-slate-700">
              What would you like us to do?
            </label>
            <select id="request-type" name="type" className={inputClass} defaultValue="erasure">
              {PORTAL_REQUEST_TYPES.map((t) => (
                <option key={t} value={t}>
                  {REQUEST_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="request-details" className="block text-sm font-medium text-slate-700">
              Details (optional)
            </label>
            <textarea id="request-details" name="details" rows={3} maxLength={4000} className={inputClass} placeholder="For a rectification, say what is wrong and what it should be." />
          </div>
          <Button type="submit" disabled={pending}>
            {pending ? "Sending…" : "Send request"}
          </Button>
        </form>
      ) : (
        <p className="text-sm text-slate-600">No data is linked to your account, so there is nothing to ask about; your earlier requests stay listed here.</p>
      )}
      {requests.length === 0 ? (
        <EmptyState title="You have not made any request">We answer within 30 days; you can follow each request here.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="my-requests">
          {requests.map((r) => (
            <li key={r.id} className="py-4">
              <div className="flex flex-wrap items-center justify-between gap-3">
                <div>
                  <p className="font-medium text-slate-900">{REQUEST_TYPE_LABELS[r.type]}</p>
                  <p className="text-xs text-slate-500">
                    Sent {formatDateTime(r.receivedAt)} · {r.open ? `answer due by ${formatDateTime(r.dueAt)}` : "closed"}
                  </p>
                </div>
                <div className="flex items-center gap-3">
                  <StatusBadge status={r.status} overdue={r.overdue} />
                  {r.cancellable && (
                    <Button variant="secondary" className="px-2.5 py-1" disabled={pending} onClick={() => run(() => cancelRequestAction({ id: r.id }))}>
                      Cancel
                    </Button>
                  )}
                </div>
              </div>
              {r.receipt && (
                <div className="mt-3">
                  <ErasureReceipt receipt={r.receipt} />
                </div>
              )}
              <div className="mt-3">
                <Timeline entries={r.events} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
