"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass } from "@/components/ui/text-field";
import { useActionRunner } from "@/components/ui/use-action-runner";
import { deletePolicyAction, savePolicyAction } from "@/lib/retention/retention-actions";
import { CLASSIFICATIONS, EVENT_TYPES, RETENTION_ACTIONS } from "@/lib/retention/policy-schema";
import { PolicyPreviewCount } from "./policy-preview";

export interface PolicyValues {
  id?: string;
  name: string;
  classification: string;
  eventType: string | null;
  keepDays: number;
  action: string;
  enabled: boolean;
}

const TYPE_LABELS: Record<string, string> = { user_action: "user actions", ai_interaction: "AI interactions", api_request: "API requests", error: "errors", system: "system events" };

/** One policy as an editable row (or the "new policy" form): keep N days, then delete or anonymize. */
export function PolicyForm({ initial, onDone }: { initial: PolicyValues; onDone?: () => void }) {
  const { pending, error, run } = useActionRunner();
  const [v, setV] = useState(initial);
  const isNew = !initial.id;
  const set = (patch: Partial<PolicyValues>) => setV((old) => ({ ...old, ...patch }));
  const save = () =>
    run(async () => {
      const result = await savePolicyAction({ ...v, eventType: v.eventType ?? "" });
      if (result.ok && isNew) {
        setV(initial);
        onDone?.();
      }
      return result;
    });
  const label = `${v.classification}${v.eventType ? ` ${TYPE_LABELS[v.eventType]}` : ""}`;
  return (
    <form
      action={save}
      aria-label={isNew ? "New retention policy" : `Retention for ${label}`}
      data-testid={isNew ? "new-policy" : `policy-${v.classification}-${v.eventType ?? "all"}`}
      className="grid grid-cols-2 items-end gap-3 py-3 md:grid-cols-[10rem_10rem_6rem_9rem_minmax(8rem,1fr)_auto]"
    >
      <div>
        <label className="text-xs text-slate-600" htmlFor={`${initial.id ?? "new"}-classification`}>Classification</label>
        <select id={`${initial.id ?? "new"}-classification`} className={inputClass} value={v.classification} disabled={!isNew} onChange={(e) => set({ classification: e.target.value })}>
          {CLASSIFICATIONS.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </div>
      <div>
        <label className="text-xs text-slate-600" htmlFor={`${initial.id ?? "new"}-type`}>Events</label>
        <select id={`${initial.id ?? "new"}-type`} className={inputClass} value={v.eventType ?? "all"} disabled={!isNew} onChange={(e) => set({ eventType: e.target.value === "all" ? null : e.target.value })}>
          <option value="all">all types</option>
          {EVENT_TYPES.map((t) => <option key={t} value={t}>{TYPE_LABELS[t]}</option>)}
        </select>
      </div>
      <div>
        <label className="text-xs text-slate-600" htmlFor={`${initial.id ?? "new"}-days`}>Keep days</label>
        <input id={`${initial.id ?? "new"}-days`} type="number" min={1} max={3650} className={inputClass} value={Number.isNaN(v.keepDays) ? "" : v.keepDays} onChange={(e) => set({ keepDays: e.target.valueAsNumber })} />
      </div>
      <div>
        <label className="text-xs text-slate-600" htmlFor={`${initial.id ?? "new"}-action`}>Then</label>
        <select id={`${initial.id ?? "new"}-action`} className={inputClass} value={v.action} onChange={(e) => set({ action: e.target.value })}>
          {RETENTION_ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
      </div>
      <div className="min-w-0">
        <label className="text-xs text-slate-600" htmlFor={`${initial.id ?? "new"}-name`}>Name</label>
        <input id={`${initial.id ?? "new"}-name`} className={inputClass} value={v.name} onChange={(e) => set({ name: e.target.value })} />
      </div>
      <div className="flex items-center gap-2">
        {!isNew && (
          <label className="flex items-center gap-1.5 text-xs text-slate-600">
            <input type="checkbox" checked={v.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> on
          </label>
        )}
        <Button type="submit" variant={isNew ? "primary" : "secondary"} disabled={pending}>
          {isNew ? "Add policy" : "Save"}
        </Button>
        {!isNew && (
          <Button
            type="button"
            variant="ghost"
            disabled={pending}
            aria-label={`Delete the policy for ${label}`}
            onClick={() => {
              if (window.confirm(`Delete the retention policy for ${label}? Its events will then be kept until another policy covers them.`)) run(() => deletePolicyAction({ id: initial.id }));
            }}
          >
            Delete
          </Button>
        )}
      </div>
      <div className="col-span-full -mt-1 flex flex-wrap items-center gap-3">
        <PolicyPreviewCount id={initial.id} classification={v.classification} eventType={v.eventType} keepDays={v.keepDays} action={v.action} />
        <FormError message={error} />
      </div>
    </form>
  );
}
