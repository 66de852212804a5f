"use client";

import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { formatDateTime, formatNumber } from "@/components/ui/format";
import { previewRuleAction } from "@/lib/classify/rule-actions";
import type { PreviewResult } from "@/lib/classify/rule-preview";
import { draftRuleSchema } from "@/lib/classify/rule-schema";

type Preview = Extract<PreviewResult, { kind: "ok" }>;

/** "Preview against stored events" for the rule as it stands in the form, saved or not. */
export function RulePreviewPanel({ draft }: { draft: () => unknown }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);

  function run() {
    setError(null);
    const parsed = draftRuleSchema.safeParse(draft());
    if (!parsed.success) {
      setPreview(null);
      setError(`Fix the rule first: ${parsed.error.issues[0]?.message ?? "it is not valid"}`);
      return;
    }
    startTransition(async () => {
      const result = await previewRuleAction(draft());
      if (!result.ok) return setError(result.error);
      if (result.data.kind === "invalid") return setError(result.data.error);
      setPreview(result.data);
    });
  }

  return (
    <div className="space-y-4" data-testid="rule-preview">
      <p className="text-sm text-slate-600">
        Runs this rule alone, as it stands in the form, over the latest stored events. Stored events are already classified: values other rules replaced appear as markers and
        are not matched again. Nothing is changed.
      </p>
      <Button type="button" variant="secondary" onClick={run} disabled={pending}>
        {pending ? "Previewing…" : "Preview against stored events"}
      </Button>
      <FormError message={error} />
      {preview && <PreviewView preview={preview} />}
    </div>
  );
}

export function PreviewView({ preview }: { preview: Preview }) {
  return (
    <div className="space-y-3 text-sm" role="status">
      <p className="font-medium text-slate-800" data-testid="preview-summary">
        Would match {formatNumber(preview.matched)} of the latest {formatNumber(preview.scanned)} events (last {preview.days} days).
      </p>
      {preview.alreadyClassified && (
        <p className="text-slate-600">
          {formatNumber(preview.alreadyClassified.count)} of them already carry <span className="font-mono text-xs">{preview.alreadyClassified.category}</span>: found and handled at
          ingest.
        </p>
      )}
      {preview.paths.length > 0 && (
        <div className="flex flex-wrap gap-1.5">
          {preview.paths.map((p) => (
            <Badge key={p.path}>
              <span className="font-mono">{p.path}</span>&nbsp;×{p.count}
            </Badge>
          ))}
        </div>
      )}
      {preview.samples.length > 0 && (
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
          {preview.samples.map((s) => (
            <li key={`${s.eventId}-${s.path}`} className="space-y-1 px-3 py-2">
              <p className="text-xs text-slate-500">
                {formatDateTime(s.occurredAt)} · {s.type} · <span className="font-mono">{s.eventId}</span> · <span className="font-mono">{s.path}</span>
              </p>
              <p className="break-words font-mono text-xs text-slate-800">{s.excerpt}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
