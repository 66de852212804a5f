"use client";

import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass } from "@/components/ui/text-field";
import { extendRequestAction, transitionRequestAction } from "@/lib/privacy/request-actions";
import { ADMIN_TRANSITIONS, JOB_FOR_REQUEST, MAX_EXTENSION_DAYS, STATUS_LABELS, type RequestStatus, type RequestType } from "@/lib/privacy/request-rules";
import { useActionRunner } from "@/components/ui/use-action-runner";

/** The steps an admin may take from the request's state; rejecting and extending need a reason. */
const JOB_START_LABELS: Partial<Record<RequestType, string>> = { access: "Build the export", erasure: "Start erasure" };

export function RequestActionsPanel({ id, type, status, canExtend }: { id: string; type: RequestType; status: RequestStatus; canExtend: boolean }) {
  const { pending, error, run } = useActionRunner();
  // Access and erasure requests are completed by their job, never by hand.
  const hasJob = Boolean(JOB_FOR_REQUEST[type]);
  const next = ADMIN_TRANSITIONS[status].filter((to) => !(hasJob && to === "completed"));
  const label = (to: RequestStatus) => (hasJob && to === "in_progress" ? JOB_START_LABELS[type]! : `Mark ${STATUS_LABELS[to].toLowerCase()}`);

  if (next.length === 0) return <p className="text-sm text-slate-600">This request is closed.</p>;
  return (
    <div className="space-y-5">
      <FormError message={error} />
      {hasJob && status === "verified" && (
        <p className="text-sm text-slate-600">
          {type === "erasure"
            ? "Starting the erasure deletes everything linked to this person, in every table, and completes the request with a receipt. It cannot be undone."
            : "Building the export collects everything linked to this person into an archive they download from their privacy center; the request completes when it is ready."}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        {next
          .filter((to) => to !== "rejected")
          .map((to) => (
            <Button key={to} disabled={pending} onClick={() => run(() => transitionRequestAction({ id, to }))}>
              {label(to)}
            </Button>
          ))}
      </div>
      <form action={(f) => run(() => transitionRequestAction({ id, to: "rejected", reason: f.get("reason") }))} className="space-y-2" aria-label="Reject the request">
        <label htmlFor="reject-reason" className="block text-sm font-medium text-slate-700">
          Reject, with the reason the person will see
        </label>
        <textarea id="reject-reason" name="reason" rows={2} className={inputClass} />
        <Button type="submit" variant="danger" disabled={pending}>
          Reject
        </Button>
      </form>
      {canExtend && (
        <form action={(f) => run(() => extendRequestAction({ id, days: f.get("days"), reason: f.get("reason") }))} className="space-y-2" aria-label="Extend the deadline">
          <p className="text-sm font-medium text-slate-700">Extend the deadline (once, up to {MAX_EXTENSION_DAYS} days)</p>
          <div className="flex flex-wrap items-end gap-2">
            <div>
              <label htmlFor="extend-days" className="text-xs text-slate-600">
                Days
              </label>
              <input id="extend-days" name="days" type="number" min={1} max={MAX_EXTENSION_DAYS} defaultValue={30} className={`${inputClass} w-24`} />
            </div>
            <div className="min-w-64 flex-1">
              <label htmlFor="extend-reason" className="text-xs text-slate-600">
                Reason shown to the person
              </label>
              <input id="extend-reason" name="reason" className={inputClass} />
            </div>
            <Button type="submit" variant="secondary" disabled={pending}>
              Extend
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
