"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/form-error";
import { inputClass } from "@/components/ui/text-field";
import { useActionRunner } from "@/components/ui/use-action-runner";
import { extendRequestAction, transitionRequestAction } from "@/lib/privacy/request-actions";
import { ADMIN_TRANSITIONS, JOB_FOR_REQUEST, MAX_EXTENSION_DAYS, STATUS_LABELS, type RequestStatus, type RequestType } from "@/lib/privacy/request-rules";

const JOB_START_LABELS: Partial<Record<RequestType, string>> = { access: "Build the export", erasure: "Start erasure" };

/** The consequence of a step that cannot be undone, spelled out before it runs; null for the others. */
function consequenceOf(type: RequestType, to: RequestStatus, purposeName: string | null): { title: string; body: string; confirm: string } | null {
  if (type === "erasure" && to === "in_progress") {
    return {
      title: "Erase this person's data?",
      body: "Every event, session, consent record, feedback item, export and training row linked to this person is deleted, in every table, and the link between their application user id and their pseudonym goes. Feature sets that included them become stale. This cannot be undone.",
      confirm: "Erase everything",
    };
  }
  if (to !== "completed") return null;
  if (type === "objection") {
    return {
      title: "Uphold the objection?",
      body: `From now on this person's data is no longer used for ${purposeName ?? "the purpose they objected to"}. If it is AI training, the feature sets that included them become stale and their model versions are flagged. The person sees this on their timeline.`,
      confirm: "Uphold and complete",
    };
  }
  if (type === "restriction") {
    return {
      title: "Restrict processing?",
      body: "From now on only essential events are kept for this person, and they are taken out of every training set. The person sees this on their timeline.",
      confirm: "Restrict and complete",
    };
  }
  return null;
}

/** The steps an admin may take from the request's state; rejecting and extending need a reason. */
export function RequestActionsPanel({ id, type, status, canExtend, purposeName = null }: { id: string; type: RequestType; status: RequestStatus; canExtend: boolean; purposeName?: string | null }) {
  const { pending, error, run } = useActionRunner();
  const [note, setNote] = useState("");
  // Access and erasure requests are completed by their job, never by hand.
  const hasJob = Boolean(JOB_FOR_REQUEST[type]);
  const next = ADMIN_TRANSITIONS[status].filter((to) => !(hasJob && to === "completed"));
  const label = (to: RequestStatus) => (hasJob && to === "in_progress" ? JOB_START_LABELS[type]! : `Mark ${STATUS_LABELS[to].toLowerCase()}`);
  const move = (to: RequestStatus) => run(() => transitionRequestAction({ id, to, ...(to === "completed" && note ? { note } : {}) }));

  if (next.length === 0) return <p className="text-sm text-slate-600">This request is closed.</p>;
  return (
    <div className="space-y-5">
      <FormError message={error} />
      {hasJob && status === "verified" && type === "access" && (
        <p className="text-sm text-slate-600">Building the export collects everything linked to this person into an archive they download from their privacy center; the request completes when it is ready.</p>
      )}
      {next.includes("completed") && (
        <div>
          <label htmlFor="complete-note" className="block text-sm font-medium text-slate-700">
            {type === "rectification" ? "What was corrected (the person will read this; required)" : "Note for the person (optional)"}
          </label>
          <textarea id="complete-note" rows={2} className={inputClass} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        {next
          .filter((to) => to !== "rejected")
          .map((to) => {
            const consequence = consequenceOf(type, to, purposeName);
            return consequence ? (
              <ConfirmDialog key={to} trigger={label(to)} title={consequence.title} confirmLabel={consequence.confirm} onConfirm={() => move(to)} disabled={pending}>
                <p>{consequence.body}</p>
              </ConfirmDialog>
            ) : (
              <Button key={to} disabled={pending} onClick={() => move(to)}>
                {label(to)}
              </Button>
            );
          })}
      </div>
      <RejectForm id={id} pending={pending} run={run} />
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

function RejectForm({ id, pending, run }: { id: string; pending: boolean; run: ReturnType<typeof useActionRunner>["run"] }) {
  const [reason, setReason] = useState("");
  return (
    <div className="space-y-2" aria-label="Reject the request" role="group">
      <label htmlFor="reject-reason" className="block text-sm font-medium text-slate-700">
        Reject, with the reason the person will see
      </label>
      <textarea id="reject-reason" name="reason" rows={2} className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} />
      <ConfirmDialog trigger="Reject" title="Reject this request?" confirmLabel="Reject the request" disabled={pending} onConfirm={() => run(() => transitionRequestAction({ id, to: "rejected", reason }))}>
        <p>The request is closed for good and the person reads your reason on their timeline. They can file a new request, but this one cannot be reopened.</p>
      </ConfirmDialog>
    </div>
  );
}
