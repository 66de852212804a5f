"use client";

import { JobProgress } from "@/components/jobs/job-progress";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { useActionRunner } from "@/components/ui/use-action-runner";
import type { JobView } from "@/lib/jobs/job-view";
import { runRetentionNowAction } from "@/lib/retention/retention-actions";

/** "Run now" with the run's live progress; the daily run happens on its own. */
export function RetentionRunPanel({ running }: { running: JobView | null }) {
  const { pending, error, run } = useActionRunner();
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">
        Retention runs every day at 03:00 UTC. Whole expired days are dropped as partitions; the rest is deleted or anonymized row by row. Events of people
        with an open access request are held until it is answered.
      </p>
      <FormError message={error} />
      {running ? (
        <JobProgress key={running.id} initial={running} label="Retention run" />
      ) : (
        <Button disabled={pending} onClick={() => run(() => runRetentionNowAction({}))}>
          {pending ? "Starting…" : "Run now"}
        </Button>
      )}
    </div>
  );
}
