"use client";

import { useState, type ReactNode } from "react";
import { Button } from "./button";

/** A secret shown once, right after it was made (API keys, webhook signing secrets): copy it now. */
export function SecretOnce({ secret, children, testId, onDone }: { secret: string; children: ReactNode; testId: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-3" data-testid={`${testId}-panel`}>
      <p className="text-sm text-slate-700">{children}</p>
      <code className="block break-all rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-emerald-300" data-testid={testId}>
        {secret}
      </code>
      <div className="flex gap-2">
        <Button
          type="button"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard?.writeText(secret).catch(() => {});
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button type="button" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
