"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass } from "@/components/ui/text-field";
import { adminConsentAction } from "@/lib/consent/actions";

/** An admin records a person's choice for them (by phone, by letter): with a reason the person sees in their history. */
export function AdminConsentForm({ purposes }: { purposes: { key: string; name: string }[] }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <form
      aria-label="Change consent on someone's behalf"
      className="grid max-w-3xl gap-3 sm:grid-cols-2"
      action={(f) =>
        start(async () => {
          setError(null);
          setDone(null);
          const result = await adminConsentAction({ subject: f.get("subject"), purpose: f.get("purpose"), granted: f.get("granted"), reason: f.get("reason") });
          if (!result.ok) return setError(result.error);
          setDone(`Recorded: ${result.data ? "granted" : "withdrawn"}. The person sees it in their history as changed by the organisation.`);
        })
      }
    >
      <div className="sm:col-span-2">
        <FormError message={error} />
        {done && (
          <p role="status" className="text-sm text-emerald-800">
            {done}
          </p>
        )}
      </div>
      <label className="text-sm font-medium text-slate-700">
        Application user id
        <input name="subject" required className={inputClass} />
      </label>
      <label className="text-sm font-medium text-slate-700">
        Purpose
        <select name="purpose" className={inputClass}>
          {purposes.map((p) => (
            <option key={p.key} value={p.key}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="text-sm text-slate-700">
        <legend className="font-medium">Change</legend>
        <label className="mr-4 inline-flex items-center gap-2">
          <input type="radio" name="granted" value="false" defaultChecked /> Withdraw
        </label>
        <label className="inline-flex items-center gap-2">
          <input type="radio" name="granted" value="true" /> Grant
        </label>
      </fieldset>
      <label className="text-sm font-medium text-slate-700 sm:col-span-2">
        Reason (the person will see it)
        <input name="reason" required minLength={5} maxLength={500} className={inputClass} placeholder="e.g. Asked by phone on 3 December, ticket #4411" />
      </label>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Recording…" : "Record the change"}
        </Button>
      </div>
    </form>
  );
}
