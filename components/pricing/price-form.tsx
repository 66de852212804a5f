"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass } from "@/components/ui/text-field";
import { useActionRunner } from "@/components/ui/use-action-runner";
import { deletePriceAction, savePriceAction } from "@/lib/pricing/price-actions";

export interface PriceValues {
  id?: string;
  model: string;
  provider: string;
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
  effectiveFrom: string;
}

/** One model price as an editable row (or the "new price" form). */
export function PriceForm({ initial }: { initial: PriceValues }) {
  const { pending, error, run } = useActionRunner();
  const [v, setV] = useState(initial);
  const isNew = !initial.id;
  const id = initial.id ?? "new";
  const set = (patch: Partial<PriceValues>) => setV((old) => ({ ...old, ...patch }));
  const save = () =>
    run(async () => {
      const result = await savePriceAction(v);
      if (result.ok && isNew) setV(initial);
      return result;
    });
  return (
    <form
      action={save}
      aria-label={isNew ? "New model price" : `Price of ${initial.model}`}
      data-testid={isNew ? "new-price" : `price-${initial.model}`}
      className="grid grid-cols-2 items-end gap-3 py-3 md:grid-cols-[minmax(10rem,1fr)_9rem_8rem_8rem_9rem_auto]"
    >
      <div className="min-w-0">
        <label className="text-xs text-slate-600" htmlFor={`${id}-model`}>Model or prefix</label>
        <input id={`${id}-model`} className={inputClass} value={v.model} onChange={(e) => set({ model: e.target.value })} />
      </div>
      <div>
        <label className="text-xs text-slate-600" htmlFor={`${id}-provider`}>Provider</label>
        <input id={`${id}-provider`} className={inputClass} value={v.provider} onChange={(e) => set({ provider: e.target.value })} />
      </div>
      <div>
        <label className="text-xs text-slate-600" htmlFor={`${id}-input`}>Input $/M</label>
        <input id={`${id}-input`} type="number" min={0} step="any" className={inputClass} value={Number.isNaN(v.inputUsdPerMillion) ? "" : v.inputUsdPerMillion} onChange={(e) => set({ inputUsdPerMillion: e.target.valueAsNumber })} />
      </div>
      <div>
        <label className="text-xs text-slate-600" htmlFor={`${id}-output`}>Output $/M</label>
        <input id={`${id}-output`} type="number" min={0} step="any" className={inputClass} value={Number.isNaN(v.outputUsdPerMillion) ? "" : v.outputUsdPerMillion} onChange={(e) => set({ outputUsdPerMillion: e.target.valueAsNumber })} />
      </div>
      <div>
        <label className="text-xs text-slate-600" htmlFor={`${id}-from`}>As of</label>
        <input id={`${id}-from`} type="date" className={inputClass} value={v.effectiveFrom} onChange={(e) => set({ effectiveFrom: e.target.value })} />
      </div>
      <div className="flex items-center gap-2">
        <Button type="submit" variant={isNew ? "primary" : "secondary"} disabled={pending}>
          {isNew ? "Add price" : "Save"}
        </Button>
        {!isNew && (
          <Button
            type="button"
            variant="ghost"
            disabled={pending}
            aria-label={`Delete the price of ${initial.model}`}
            onClick={() => {
              if (window.confirm(`Delete the price of ${initial.model}? Calls to it then get no computed cost.`)) run(() => deletePriceAction({ id: initial.id }));
            }}
          >
            Delete
          </Button>
        )}
      </div>
      <div className="col-span-full -mt-1">
        <FormError message={error} />
      </div>
    </form>
  );
}
