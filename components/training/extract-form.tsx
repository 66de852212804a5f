"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass, TextField } from "@/components/ui/text-field";
import { FEATURE_DEFINITIONS, FEATURE_TYPES, type FeatureTypeName } from "@/lib/training/definitions";
import { startExtractionAction } from "@/lib/training/training-actions";

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Start an extraction; the new set's page shows the job's progress. The end day is inclusive. */
export function ExtractForm({ today }: { today: string }) {
  const router = useRouter();
  const [featureType, setFeatureType] = useState<FeatureTypeName>("user_behavior");
  const [from, setFrom] = useState(isoDay(new Date(new Date(today).getTime() - 29 * DAY)));
  const [to, setTo] = useState(today);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setFieldErrors({});
    const end = new Date(`${to}T00:00:00.000Z`);
    startTransition(async () => {
      const result = await startExtractionAction({
        featureType,
        startDate: `${from}T00:00:00.000Z`,
        endDate: Number.isNaN(end.getTime()) ? to : new Date(end.getTime() + DAY).toISOString(),
      });
      if (!result.ok) {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
        return;
      }
      router.push(`/admin/training/${result.data.featureSetId}`);
    });
  };

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Extract features">
      <FormError message={error} />
      <div className="grid gap-4 md:grid-cols-[2fr_1fr_1fr]">
        <div>
          <label htmlFor="feature-type" className="block text-sm font-medium text-slate-700">
            Feature type
          </label>
          <select id="feature-type" className={inputClass} value={featureType} onChange={(e) => setFeatureType(e.target.value as FeatureTypeName)}>
            {FEATURE_TYPES.map((t) => (
              <option key={t} value={t}>
                {FEATURE_DEFINITIONS[t].label}
              </option>
            ))}
          </select>
        </div>
        <TextField id="extract-from" label="From (UTC)" type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} error={fieldErrors.startDate} required />
        <TextField id="extract-to" label="To, inclusive (UTC)" type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} error={fieldErrors.endDate} required />
      </div>
      <p className="text-sm text-slate-600">{FEATURE_DEFINITIONS[featureType].summary}</p>
      <Button type="submit" disabled={pending}>
        {pending ? "Starting…" : "Extract features"}
      </Button>
    </form>
  );
}
