"use client";

import { updateConsentAction } from "@/lib/consent/actions";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { FormError } from "@/components/ui/form-error";
import { formatDateTime } from "@/components/ui/format";
import { useActionRunner } from "@/components/ui/use-action-runner";

export interface PurposeView {
  purpose: string;
  name: string;
  description: string;
  legalBasis: string;
  granted: boolean;
  method: string;
  updatedAt: string | null;
}

const LEGAL_BASIS: Record<string, string> = {
  consent: "Your consent",
  contract: "Needed to provide the service",
  legitimate_interests: "Legitimate interests",
  legal_obligation: "Legal obligation",
};

/** One switch per purpose: withdrawing is exactly as easy as granting. */
export function ConsentPanel({ purposes }: { purposes: PurposeView[] }) {
  const { pending, error, run } = useActionRunner();
  const toggle = (p: PurposeView) => run(() => updateConsentAction({ purpose: p.purpose, granted: !p.granted }));

  return (
    <div className="space-y-3">
      <FormError message={error} />
      <ul className="divide-y divide-slate-100">
        {purposes.map((p) => {
          const locked = p.purpose === "essential";
          return (
            <li key={p.purpose} className="flex items-start justify-between gap-6 py-4" data-testid={`purpose-${p.purpose}`}>
              <div>
                <p className="font-medium text-slate-900" id={`purpose-${p.purpose}-label`}>
                  {p.name}
                </p>
                <p className="mt-0.5 text-sm text-slate-600">{p.description}</p>
                <p className="mt-1 text-xs text-slate-500">
                  {LEGAL_BASIS[p.legalBasis] ?? p.legalBasis}
                  {p.method === "gpc" && <> · <Badge tone="blue">Global Privacy Control</Badge></>}
                  {p.updatedAt && <> · changed {formatDateTime(p.updatedAt)}</>}
                </p>
              </div>
              <button
                type="button"
                role="switch"
                aria-checked={p.granted}
                aria-labelledby={`purpose-${p.purpose}-label`}
                disabled={pending || locked}
                title={locked ? "Essential processing keeps the service running; ask for erasure or restriction instead." : undefined}
                onClick={() => toggle(p)}
                className={cx(
                  "relative mt-1 inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors disabled:cursor-not-allowed disabled:opacity-60",
                  p.granted ? "bg-brand-600" : "bg-slate-300",
                )}
              >
                <span className={cx("inline-block h-5 w-5 transform rounded-full bg-white shadow transition-transform", p.granted ? "translate-x-5" : "translate-x-0.5")} />
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
