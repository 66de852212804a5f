"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/form-error";
import { formatDateTime } from "@/components/ui/format";
import { inputClass } from "@/components/ui/text-field";
import { useActionRunner } from "@/components/ui/use-action-runner";
import { cancelRequestAction, submitRequestAction } from "@/lib/privacy/request-actions";
import type { ReceiptSummary } from "@/lib/privacy/receipt";
import { PORTAL_REQUEST_TYPES, REQUEST_TYPE_LABELS, type RequestStatus, type RequestType } from "@/lib/privacy/request-rules";
import { ErasureReceipt } from "./erasure-receipt";
import { StatusBadge } from "./status-badge";
import { Timeline, type TimelineEntry } from "./timeline";

export interface MyRequest {
  id: string;
  type: RequestType;
  status: RequestStatus;
  /** what the person wrote */
  details: string | null;
  /** an objection's purpose, by name */
  purpose: string | null;
  /** what was done (a rectification's note) */
  resolutionNote: string | null;
  receivedAt: string;
  dueAt: string;
  open: boolean;
  cancellable: boolean;
  overdue: boolean;
  receipt: ReceiptSummary | null;
  events: TimelineEntry[];
}

const CONSEQUENCE: Partial<Record<RequestType, string>> = {
  erasure: "Once we have verified it, everything we hold about you is deleted for good: your events, sessions, consent records, feedback and training data. It cannot be undone, and your archive downloads go with it.",
  restriction: "Once granted, we keep only what is essential to run the service and stop using your data for anything else, including AI training.",
};

/** The person's rights requests: ask, see what they wrote and that it arrived, follow each one's status and deadline, cancel an open one. */
export function MyRequests({ requests, linked, erased, purposes }: { requests: MyRequest[]; linked: boolean; erased: boolean; purposes: { key: string; name: string }[] }) {
  const { pending, error, run } = useActionRunner();
  const router = useRouter();
  const [sending, start] = useTransition();
  const [formError, setFormError] = useState<string | null>(null);
  const [type, setType] = useState<RequestType>(PORTAL_REQUEST_TYPES.find((t) => !requests.some((r) => r.open && r.type === t)) ?? "erasure");
  const [received, setReceived] = useState<{ type: RequestType; receivedAt: string; dueAt: string; status: string } | null>(null);
  const openTypes = new Set(requests.filter((r) => r.open).map((r) => r.type));

  const send = (form: FormData) =>
    start(async () => {
      setFormError(null);
      const result = await submitRequestAction({ type: form.get("type"), details: form.get("details") || undefined, purpose: form.get("purpose") || undefined, contactEmail: form.get("contactEmail") || undefined });
      if (result.ok) {
        setReceived({ type, ...result.data });
        router.refresh();
      } else setFormError(result.error);
    });

  return (
    <div className="space-y-6">
      <FormError message={error} />
      {received && (
        <p role="status" data-testid="request-received" className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
          We received your {REQUEST_TYPE_LABELS[received.type].toLowerCase()} request on {formatDateTime(received.receivedAt)}.{" "}
          {received.status === "completed" ? "It has already been carried out." : `We will answer by ${formatDateTime(received.dueAt)}; you can follow it below.`}
        </p>
      )}
      {linked ? (
        <form action={send} className="space-y-3" aria-label="Make a request">
          <FormError message={formError} />
          <div>
            <label htmlFor="request-type" className="block text-sm font-medium text-slate-700">
              What would you like us to do?
            </label>
            <select id="request-type" name="type" className={inputClass} value={type} onChange={(e) => setType(e.target.value as RequestType)}>
              {PORTAL_REQUEST_TYPES.map((t) => (
                <option key={t} value={t} disabled={openTypes.has(t)}>
                  {REQUEST_TYPE_LABELS[t]}
                  {openTypes.has(t) ? " (already open)" : ""}
                </option>
              ))}
            </select>
          </div>
          {type === "objection" && (
            <div>
              <label htmlFor="request-purpose" className="block text-sm font-medium text-slate-700">
                What do you object to?
              </label>
              <select id="request-purpose" name="purpose" className={inputClass}>
                {purposes.map((p) => (
                  <option key={p.key} value={p.key}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div>
            <label htmlFor="request-details" className="block text-sm font-medium text-slate-700">
              Details (optional)
            </label>
            <textarea id="request-details" name="details" rows={3} maxLength={4000} className={inputClass} placeholder="For a rectification, say what is wrong and what it should be." />
          </div>
          <div>
            <label htmlFor="request-contact" className="block text-sm font-medium text-slate-700">
              E-mail for updates (optional)
            </label>
            <input id="request-contact" name="contactEmail" type="email" maxLength={320} autoComplete="email" className={inputClass} placeholder="We write to you when we receive and when we answer it" />
          </div>
          {CONSEQUENCE[type] && <p className="text-sm text-slate-600">{CONSEQUENCE[type]}</p>}
          <Button type="submit" disabled={sending || openTypes.has(type)}>
            {sending ? "Sending…" : "Send request"}
          </Button>
        </form>
      ) : (
        <p className="text-sm text-slate-600">
          {erased ? "Your data has been erased, so there is nothing left to ask about." : "No data is linked to you here, so there is nothing to ask about."} Your earlier requests stay listed
          below.
        </p>
      )}
      {requests.length === 0 ? (
        <EmptyState title="You have not made any request">We answer within 30 days; you can follow each request here.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="my-requests">
          {requests.map((r) => (
            <li key={r.id} className="py-4">
              <div className="flex flex-wrap items-center justify-between gap-3">
                <div>
                  <p className="font-medium text-slate-900">
                    {REQUEST_TYPE_LABELS[r.type]}
                    {r.purpose ? `: ${r.purpose}` : ""}
                  </p>
                  <p className="text-xs text-slate-500">
                    Received {formatDateTime(r.receivedAt)} · {r.open ? `answer due by ${formatDateTime(r.dueAt)}` : "closed"}
                  </p>
                </div>
                <div className="flex items-center gap-3">
                  <StatusBadge status={r.status} overdue={r.overdue} />
                  {r.cancellable && (
                    <ConfirmDialog trigger="Cancel" title="Cancel this request?" confirmLabel="Cancel the request" tone="primary" disabled={pending} onConfirm={() => run(() => cancelRequestAction({ id: r.id }))}>
                      <p>We stop working on it and close it. You can send a new one at any time.</p>
                    </ConfirmDialog>
                  )}
                </div>
              </div>
              {r.details && (
                <blockquote className="mt-2 whitespace-pre-wrap border-l-2 border-slate-200 pl-3 text-sm text-slate-700" data-testid="request-details">
                  <span className="block text-xs text-slate-500">You wrote:</span>
                  {r.details}
                </blockquote>
              )}
              {r.resolutionNote && (
                <p className="mt-2 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800" data-testid="resolution-note">
                  {r.resolutionNote}
                </p>
              )}
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
