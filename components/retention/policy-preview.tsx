"use client";

import { useQuery } from "@tanstack/react-query";
import type { PolicyPreview } from "@/lib/retention/policies";

async function fetchPreview(params: Record<string, string>): Promise<PolicyPreview> {
  const response = await fetch(`/api/admin/retention/preview?${new URLSearchParams(params)}`, { cache: "no-store" });
  const body = (await response.json()) as PolicyPreview & { error?: string };
  if (!response.ok) throw new Error(body.error ?? "The preview failed.");
  return body;
}

/** "N rows would go now": what the policy, as shown, touches if retention ran now. */
export function PolicyPreviewCount({ id, classification, eventType, keepDays, action }: { id?: string; classification: string; eventType: string | null; keepDays: number; action: string }) {
  const params = { ...(id ? { id } : {}), classification, eventType: eventType ?? "", keepDays: String(keepDays), action };
  const valid = Number.isInteger(keepDays) && keepDays >= 1;
  const { data, error, isFetching } = useQuery({ queryKey: ["retention-preview", params], queryFn: () => fetchPreview(params), enabled: valid, staleTime: 10_000 });
  if (!valid) return <span className="text-xs text-slate-400">—</span>;
  if (error) return <span className="text-xs text-red-700">{error.message}</span>;
  if (!data) return <span className="text-xs text-slate-400">{isFetching ? "counting…" : "—"}</span>;
  return (
    <span className="text-xs text-slate-600" data-testid="policy-preview">
      <span className="font-medium tabular-nums text-slate-900">{data.expired.toLocaleString("en")}</span> rows to {action} now
      {data.held > 0 && <span className="text-amber-700"> · {data.held.toLocaleString("en")} held</span>}
    </span>
  );
}
