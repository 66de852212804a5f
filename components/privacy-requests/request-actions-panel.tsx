"use client";

import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass } from "@/components/ui/text-field";
import { extendRequestAction, transitionRequestAction } from "@/lib/privacy/request-actions";
import { ADMIN_TRANSITIONS, MAX_EXTENSION_DAYS, STATUS_LABELS, type RequestStatus } from "@/lib/privacy/request-rules";
import { useActionRunner } from "@/components/ui/use-action-runner";

/** The steps an admin may take from the request's state; rejecting and extending need a reason. */
export function RequestActionsPanel({ id, status, canExtend, erasure }: { id: string; status: RequestStatus; canExtend: boolean; erasure: boolean }) {
  const { pending, error, run } = useActionRunner();
  // An erasure request is completed by the erasure job (not in this version), never by hand.
  const next = ADMIN_TRANSITIONS[status].filter((to) => !(erasure && to === "completed"));

  if (next.length === 0) return <p className="text-sm text-slate-600">This request is closed.</p>;
  return (
    <div className="space-y-5">
      <FormError message={error} />
      {erasure && status === "in_progress" && (
        <p className="text-sm text-slate-600">Erasure requests are completed by the erasure job, which arrives with the next privacy release.</p>
      )}
      <div className="flex flex-wrap gap-2">
        {next
          .filter((to) => to !== "rejected")
          .map((to) => (
            <Button key={to} disabled={pending} onClick={() => run(() => transitionRequestAction({ id, to }))}>
              Mark {STATUS_LABELS[to].toLowerCase()}
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
