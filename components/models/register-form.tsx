"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { formatRange } from "@/components/training/format-range";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass, TextField } from "@/components/ui/text-field";
import { FEATURE_DEFINITIONS, type FeatureTypeName } from "@/lib/training/definitions";
import { registerModelAction } from "@/lib/training/training-actions";
import { parseMetrics, parseParameters, parseTags } from "./metrics-input";

export interface SetChoice {
  id: string;
  featureType: FeatureTypeName;
  startDate: string;
  endDate: string;
  subjectCount: number;
}

const areaClass = `${inputClass} font-mono`;

/** Register a model version on ready feature sets; the model is created with its first version. */
export function RegisterModelForm({ models, sets, preselected }: { models: { name: string; modelType: string }[]; sets: SetChoice[]; preselected?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [name, setName] = useState("");
  const [type, setType] = useState("");
  const [chosen, setChosen] = useState<string[]>(preselected ? [preselected] : []);

  const onName = (value: string) => {
    setName(value);
    const existing = models.find((m) => m.name === value);
    if (existing) setType(existing.modelType);
  };

  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    const metrics = parseMetrics(text("metrics"));
    const parameters = parseParameters(text("parameters"));
    setFieldErrors({});
    if ("error" in metrics || "error" in parameters) {
      setError("error" in metrics ? metrics.error : (parameters as { error: string }).error);
      return;
    }
    setError(null);
    startTransition(async () => {
      const result = await registerModelAction({
        model_name: name,
        model_type: type,
        model_version: text("model_version"),
        model_description: text("model_description") || undefined,
        feature_sets: chosen,
        is_active: form.get("is_active") === "on",
        metrics: metrics.metrics,
        parameters: parameters.parameters,
        tags: parseTags(text("tags")),
        artifact_uri: text("artifact_uri") || undefined,
      });
      if (!result.ok) {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
        return;
      }
      router.push(`/admin/models/${result.data.modelId}/versions/${result.data.versionId}`);
    });
  };

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Register a model version">
      <FormError message={error} />
      <div className="grid gap-4 md:grid-cols-3">
        <TextField id="model_name" label="Model name" list="model-names" value={name} onChange={(e) => onName(e.target.value)} placeholder="support-assistant" error={fieldErrors.model_name} required />
        <datalist id="model-names">
          {models.map((m) => (
            <option key={m.name} value={m.name} />
          ))}
        </datalist>
        <TextField id="model_type" label="Model type" value={type} onChange={(e) => setType(e.target.value)} placeholder="classifier" error={fieldErrors.model_type} required />
        <TextField id="model_version" name="model_version" label="Version (semantic)" placeholder="1.0.0" error={fieldErrors.model_version} required />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Trained on</legend>
        {sets.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500">No ready feature set. Extract one under Training data first.</p>
        ) : (
          <div className="mt-1 max-h-48 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-2">
            {sets.map((s) => (
              <label key={s.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={chosen.includes(s.id)}
                  onChange={(e) => setChosen(e.target.checked ? [...chosen, s.id] : chosen.filter((c) => c !== s.id))}
                />
                <span>
                  {FEATURE_DEFINITIONS[s.featureType].label}, {formatRange(s.startDate, s.endDate)} · {s.subjectCount} subjects
                </span>
                <span className="font-mono text-xs text-slate-400">{s.id.slice(0, 8)}</span>
              </label>
            ))}
          </div>
        )}
        {fieldErrors.feature_sets && <p className="mt-1 text-sm text-red-700">{fieldErrors.feature_sets}</p>}
      </fieldset>
      <div>
        <label htmlFor="model_description" className="block text-sm font-medium text-slate-700">
          Description
        </label>
        <textarea id="model_description" name="model_description" rows={2} className={inputClass} />
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <div>
          <label htmlFor="metrics" className="block text-sm font-medium text-slate-700">
            Metrics (name = number, one per line)
          </label>
          <textarea id="metrics" name="metrics" rows={3} className={areaClass} placeholder={"accuracy = 0.91\nf1 = 0.87"} />
        </div>
        <div>
          <label htmlFor="parameters" className="block text-sm font-medium text-slate-700">
            Parameters (JSON)
          </label>
          <textarea id="parameters" name="parameters" rows={3} className={areaClass} placeholder='{"epochs": 3, "learning_rate": 0.0002}' />
        </div>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <TextField id="tags" name="tags" label="Tags (comma-separated)" placeholder="support, llm" error={fieldErrors.tags} />
        <TextField id="artifact_uri" name="artifact_uri" label="Artifact URI" placeholder="s3://models/support-assistant/1.0.0" error={fieldErrors.artifact_uri} />
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" name="is_active" /> Active (in use)
      </label>
      <Button type="submit" disabled={pending}>
        {pending ? "Registering…" : "Register version"}
      </Button>
    </form>
  );
}
