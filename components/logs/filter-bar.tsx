"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass } from "@/components/ui/text-field";
import { cx } from "@/components/ui/cx";
import { FILTER_CLASSIFICATIONS, FILTER_SEVERITIES, FILTER_TYPES, type Filters } from "@/lib/logs/filters";

const RANGES = [
  ["15m", "Last 15 minutes"],
  ["1h", "Last hour"],
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
  ["30d", "Last 30 days"],
  ["custom", "Custom range"],
] as const;

const TYPE_LABELS: Record<string, string> = { user_action: "User action", ai_interaction: "AI", api_request: "API request", error: "Error", system: "System" };

/** "2026-11-27T10:15" for a datetime-local input, in UTC like the rest of the console. */
const localValue = (d?: Date) => (d ? d.toISOString().slice(0, 16) : "");

function Chips({ legend, values, selected, labels, onChange }: { legend: string; values: readonly string[]; selected: string[]; labels?: Record<string, string>; onChange: (v: string[]) => void }) {
  return (
    <fieldset className="flex flex-wrap items-center gap-1.5">
      <legend className="sr-only">{legend}</legend>
      <span className="mr-1 text-xs font-medium text-slate-500">{legend}</span>
      {values.map((v) => {
        const on = selected.includes(v);
        return (
          <button
            key={v}
            type="button"
            aria-pressed={on}
            onClick={() => onChange(on ? selected.filter((x) => x !== v) : [...selected, v])}
            className={cx("rounded-full px-2.5 py-0.5 text-xs ring-1 ring-inset", on ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50")}
          >
            {labels?.[v] ?? v}
          </button>
        );
      })}
    </fieldset>
  );
}

/** The explorer's filters; applying them rewrites the URL, so the view can be linked. */
export function FilterBar({ filters, onApply }: { filters: Filters; onApply: (f: Partial<Filters>) => void }) {
  const [f, setF] = useState<Partial<Filters>>(filters);
  const [subjectId, setSubjectId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<Filters>) => setF((old) => ({ ...old, ...patch }));

  async function apply() {
    setError(null);
    let subject = f.subject;
    if (subjectId.trim()) {
      // The application's id is turned into its pseudonym on the server; only the pseudonym reaches the URL.
      const response = await fetch("/api/admin/subjects/lookup", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ subject: subjectId }) });
      const body = (await response.json()) as { pseudonym?: string; error?: string };
      if (!response.ok || !body.pseudonym) return setError(body.error ?? "That subject could not be looked up.");
      subject = body.pseudonym;
      setSubjectId("");
    }
    onApply({ ...f, subject });
  }

  const text = (key: "q" | "component" | "session" | "model" | "status", label: string, placeholder: string, className = "") => (
    <div className={className}>
      <label htmlFor={`filter-${key}`} className="text-xs font-medium text-slate-600">
        {label}
      </label>
      <input id={`filter-${key}`} className={inputClass} placeholder={placeholder} value={f[key] ?? ""} onChange={(e) => set({ [key]: e.target.value || undefined })} />
    </div>
  );

  return (
    <form
      aria-label="Filter events"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      onSubmit={(e) => {
        e.preventDefault();
        void apply();
      }}
    >
      <div className={cx("grid gap-3", f.range === "custom" ? "md:grid-cols-[minmax(14rem,2fr)_12rem_repeat(2,minmax(10rem,1fr))]" : "md:grid-cols-[minmax(14rem,1fr)_12rem]")}>
        {text("q", "Search", "words in names, messages and payloads")}
        <div>
          <label htmlFor="filter-range" className="text-xs font-medium text-slate-600">
            Time range
          </label>
          <select id="filter-range" className={inputClass} value={f.range ?? "24h"} onChange={(e) => set({ range: e.target.value as Filters["range"] })}>
            {RANGES.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        {f.range === "custom" && (
          <>
            <div>
              <label htmlFor="filter-from" className="text-xs font-medium text-slate-600">
                From (UTC)
              </label>
              <input id="filter-from" type="datetime-local" className={inputClass} value={localValue(f.from)} onChange={(e) => set({ from: e.target.value ? new Date(`${e.target.value}Z`) : undefined })} />
            </div>
            <div>
              <label htmlFor="filter-to" className="text-xs font-medium text-slate-600">
                To (UTC)
              </label>
              <input id="filter-to" type="datetime-local" className={inputClass} value={localValue(f.to)} onChange={(e) => set({ to: e.target.value ? new Date(`${e.target.value}Z`) : undefined })} />
            </div>
          </>
        )}
      </div>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        {text("component", "Component", "e.g. checkout")}
        {text("model", "AI model", "e.g. gpt-4o")}
        {text("status", "HTTP status", "404 or 5xx")}
        {text("session", "Session", "the application's session id")}
        <div>
          <label htmlFor="filter-subject" className="text-xs font-medium text-slate-600">
            Subject
          </label>
          <input id="filter-subject" className={inputClass} placeholder={f.subject ? `pseudonym ${f.subject.slice(0, 10)}…` : "the application's user id"} value={subjectId} onChange={(e) => setSubjectId(e.target.value)} />
          {f.subject && (
            <button type="button" className="mt-1 text-xs text-brand-600 hover:underline" onClick={() => set({ subject: undefined })}>
              Clear subject {f.subject.slice(0, 10)}…
            </button>
          )}
        </div>
      </div>
      <div className="flex flex-wrap gap-x-6 gap-y-2">
        <Chips legend="Type" values={FILTER_TYPES} labels={TYPE_LABELS} selected={f.type ?? []} onChange={(v) => set({ type: v as Filters["type"] })} />
        <Chips legend="Severity" values={FILTER_SEVERITIES} selected={f.severity ?? []} onChange={(v) => set({ severity: v as Filters["severity"] })} />
        <Chips legend="Classification" values={FILTER_CLASSIFICATIONS} selected={f.classification ?? []} onChange={(v) => set({ classification: v as Filters["classification"] })} />
      </div>
      <FormError message={error} />
      <div className="flex gap-2">
        <Button type="submit">Apply</Button>
        <Button
          type="button"
          variant="secondary"
          onClick={() => {
            setF({ range: "24h" });
            setSubjectId("");
            onApply({ range: "24h" });
          }}
        >
          Reset
        </Button>
      </div>
    </form>
  );
}
