"use client";

import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass } from "@/components/ui/text-field";
import { testEventAction } from "@/lib/classify/rule-actions";
import { draftRuleSchema } from "@/lib/classify/rule-schema";
import type { TesterResult } from "@/lib/classify/rule-tester";
import { ACTION_LABELS, EXAMPLE_EVENT } from "./rule-labels";
import { CLASSIFICATION_TONES } from "@/components/logs/event-badges";

type Result = Exclude<TesterResult, { kind: "invalid" }>;

/**
 * Paste a sample event (the events API's JSON) and see what ingestion would do with it. With
 * `draft`, the rule being edited can take the place of its saved version.
 */
export function RuleTesterPanel({ draft }: { draft?: () => unknown }) {
  const [pending, startTransition] = useTransition();
  const [sample, setSample] = useState(EXAMPLE_EVENT);
  const [useDraft, setUseDraft] = useState(Boolean(draft));
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  function test() {
    setError(null);
    const withDraft = draft && useDraft ? draft() : undefined;
    if (withDraft !== undefined) {
      const parsed = draftRuleSchema.safeParse(withDraft);
      if (!parsed.success) {
        setResult(null);
        return setError(`Fix the rule being edited first, or test without it: ${parsed.error.issues[0]?.message ?? "it is not valid"}`);
      }
    }
    startTransition(async () => {
      const answer = await testEventAction({ sample, draft: withDraft });
      if (!answer.ok) return setError(answer.error);
      if (answer.data.kind === "invalid") {
        setResult(null);
        return setError(answer.data.error);
      }
      setResult(answer.data);
    });
  }

  return (
    <div className="space-y-4" data-testid="rule-tester">
      <div>
        <label htmlFor="tester-sample" className="block text-sm font-medium text-slate-700">
          Sample event (JSON, as sent to the events API)
        </label>
        <textarea
          id="tester-sample"
          value={sample}
          onChange={(e) => setSample(e.target.value)}
          rows={12}
          spellCheck={false}
          className={`${inputClass} font-mono text-xs`}
        />
        <p className="mt-1 text-xs text-slate-500">The id and timestamp are filled in when missing. Nothing is stored; hash tokens use a throwaway key, so they cannot be compared with stored events.</p>
      </div>
      {draft && (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={useDraft} onChange={(e) => setUseDraft(e.target.checked)} className="h-4 w-4 rounded border-slate-300" />
          Include the rule being edited (unsaved changes too)
        </label>
      )}
      <Button type="button" onClick={test} disabled={pending}>
        {pending ? "Testing…" : "Test"}
      </Button>
      <FormError message={error} />
      {result && <TesterResultView result={result} />}
    </div>
  );
}

export function TesterResultView({ result }: { result: Result }) {
  return (
    <div className="space-y-4 text-sm" role="status" data-testid="tester-result">
      <p className="font-medium text-slate-800">
        {result.kind === "dropped" ? (
          <>Dropped by rule “{result.droppedBy}”: nothing would be stored.</>
        ) : (
          <>
            Stored as <Badge tone={CLASSIFICATION_TONES[result.classification ?? ""] ?? "neutral"}>{result.classification}</Badge>
            {result.categories.length > 0 && <> with categories {result.categories.join(", ")}</>}.
          </>
        )}
      </p>
      {result.notes.length > 0 && (
        <ul className="list-disc space-y-1 pl-5 text-slate-600">
          {result.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      <section>
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Rules that matched ({result.rules.length} of {result.ruleCount})</h3>
        {result.rules.length === 0 ? (
          <p className="mt-1 text-slate-600">None.</p>
        ) : (
          <ul className="mt-1 space-y-0.5" data-testid="tester-rules">
            {result.rules.map((hit, i) => (
              <li key={`${hit.rule}-${hit.path}-${i}`}>
                {hit.rule} — <span className="font-mono text-xs">{hit.path}</span> — {ACTION_LABELS[hit.action] ?? hit.action}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Detectors that matched</h3>
        {result.detectors.length === 0 ? (
          <p className="mt-1 text-slate-600">None.</p>
        ) : (
          <ul className="mt-1 space-y-0.5" data-testid="tester-detectors">
            {result.detectors.map((d) => (
              <li key={`${d.detector}-${d.path}`}>
                {d.detector} <span className="font-mono text-xs">{d.marker}</span> in <span className="font-mono text-xs">{d.path}</span>
                {d.count > 1 && <> ×{d.count}</>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {result.stored && (
        <section>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">As it would be stored</h3>
          <pre className="mt-1 max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100" data-testid="tester-stored">
            {JSON.stringify(result.stored, null, 2)}
          </pre>
        </section>
      )}
    </div>
  );
}
