"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** A signing secret, shown once: copy it now. */
export function SecretOnce({ secret, what, onDone }: { secret: string; what: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-3" data-testid="new-webhook-secret-panel">
      <p className="text-sm text-slate-700">
        {what} Copy its signing secret now: it will not be shown again. Your receiver verifies each delivery with it (see the documentation).
      </p>
      <code className="block break-all rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-emerald-300" data-testid="new-webhook-secret">
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
