"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import type { JobView } from "@/lib/jobs/job-view";

async function fetchJob(id: string): Promise<JobView> {
  const response = await fetch(`/api/jobs/${id}`, { cache: "no-store" });
  if (!response.ok) throw new Error("The job's progress could not be read.");
  return (await response.json()) as JobView;
}

const active = (j: JobView | undefined) => !j || j.status === "queued" || j.status === "running";

/** A live progress bar for a long job; refreshes the page (to show what it produced) once it ends. */
export function JobProgress({ initial, label }: { initial: JobView; label: string }) {
  const router = useRouter();
  const { data: job = initial, error } = useQuery({
    queryKey: ["job", initial.id],
    queryFn: () => fetchJob(initial.id),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (q) => (active(q.state.data) ? 500 : false),
  });
  const wasActive = useRef(active(initial));
  useEffect(() => {
    if (wasActive.current && !active(job)) router.refresh();
    wasActive.current = active(job);
  }, [job, router]);

  const percent = job.total ? Math.min(100, Math.round((job.processed / job.total) * 100)) : job.status === "succeeded" ? 100 : 0;
  const text =
    job.status === "queued"
      ? "Waiting to start…"
      : job.status === "running"
        ? `${job.stage ? job.stage[0]!.toUpperCase() + job.stage.slice(1) : "Working"}${job.total ? `: ${job.processed.toLocaleString("en")} of ${job.total.toLocaleString("en")}` : "…"}`
        : job.status === "succeeded"
          ? "Done."
          : (job.error ?? "It failed.");
  return (
    <div data-testid="job-progress" data-status={job.status} className="space-y-1.5">
      <div className="flex items-baseline justify-between text-sm">
        <span className="font-medium text-slate-700">{label}</span>
        <span className="tabular-nums text-slate-500">{percent}%</span>
      </div>
      <div className="h-2 overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div className={`h-full rounded-full transition-all ${job.status === "failed" ? "bg-red-500" : "bg-brand-600"}`} style={{ width: `${Math.max(percent, job.status === "queued" ? 0 : 3)}%` }} />
      </div>
      <p role="status" className={`text-xs ${job.status === "failed" ? "text-red-700" : "text-slate-500"}`}>
        {error ? error.message : text}
      </p>
    </div>
  );
}
