"use client";

import { JobProgress } from "@/components/jobs/job-progress";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { formatDateTime } from "@/components/ui/format";
import type { JobView } from "@/lib/jobs/job-view";
import { startExportAction } from "@/lib/privacy/request-actions";
import { useActionRunner } from "@/components/ui/use-action-runner";

export interface ReadyExport {
  id: string;
  byteSize: number;
  events: number;
  createdAt: string;
  expiresAt: string;
}

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "Download my data": starts an export job, shows its progress (the page refreshes when it ends), then offers the archive. */
export function DataExportPanel({ running, ready, linked }: { running: JobView | null; ready: ReadyExport[]; linked: boolean }) {
  const { pending, error, run } = useActionRunner();

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        A ZIP file with everything we hold about you: a readable summary (open <code>summary.html</code> in any browser) and the same data as
        machine-readable JSON you can take to another service — your events, sessions, consent choices and their history, your requests, the
        feedback you gave, and the training sets that included you, with the models trained on them. It stays available for 7 days.
      </p>
      <FormError message={error} />
      {running ? (
        <JobProgress key={running.id} initial={running} label="Preparing your archive" />
      ) : (
        <Button disabled={pending || !linked} onClick={() => run(() => startExportAction({}))}>
          {pending ? "Starting…" : "Download my data"}
        </Button>
      )}
      {ready.length > 0 && (
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="ready-exports">
          {ready.map((e) => (
            <li key={e.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm">
              <span className="text-slate-700">
                Archive of {formatDateTime(e.createdAt)} · {e.events.toLocaleString("en")} events · {size(e.byteSize)}
                <span className="block text-xs text-slate-500">Available until {formatDateTime(e.expiresAt)}</span>
              </span>
              <a href={`/privacy/exports/${e.id}`} download className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700">
                Download
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
