"use client";

import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/form-error";
import { cx } from "@/components/ui/cx";
import { filtersSchema, filtersToParams, type Filters } from "@/lib/logs/filters";
import type { EventPage, EventSummary } from "@/lib/logs/query";
import { EventDrawer } from "./event-drawer";
import { EventRows } from "./event-table";
import { FilterBar } from "./filter-bar";

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: "no-store" });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? "The events could not be read.");
  return body;
}

/** The keyset position of an event, encoded as the server's cursors are (base64url of UTF-8). */
function cursorOf(e: EventSummary): string {
  const bytes = new TextEncoder().encode(`${e.occurredAt}|${e.eventId}`);
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The logs explorer: filters in the URL, pages of 50 loaded as the list scrolls (keyset cursors),
 * an optional live tail that polls for newer events every 2 s, and a drawer for one event.
 */
export function LogsExplorer() {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const parsed = filtersSchema.safeParse(Object.fromEntries(search));
  const filters: Filters = parsed.success ? parsed.data : filtersSchema.parse({});
  const query = filtersToParams(filters).toString();
  const live = search.get("live") === "1";
  const open = search.get("event") && search.get("at") ? { id: search.get("event")!, at: search.get("at")! } : null;

  const navigate = useCallback(
    (patch: Record<string, string | null>) => {
      const next = new URLSearchParams(search);
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) next.delete(k);
        else next.set(k, v);
      }
      router.replace(`${pathname}?${next}`, { scroll: false });
    },
    [pathname, router, search],
  );

  const pages = useInfiniteQuery({
    queryKey: ["logs", query],
    queryFn: ({ pageParam }) => getJson<EventPage>(`/api/admin/logs?${query}${pageParam ? `&cursor=${pageParam}` : ""}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 0,
  });
  const listed = useMemo(() => pages.data?.pages.flatMap((p) => p.events) ?? [], [pages.data]);

  // Live tail: every 2 s, the events newer than the newest one shown, put on top (at most 500 kept).
  const queryClient = useQueryClient();
  const tailKey = ["logs-tail", query];
  const tailQuery = useQuery({
    queryKey: tailKey,
    queryFn: async () => {
      const previous = queryClient.getQueryData<EventSummary[]>(tailKey) ?? [];
      const newest = previous[0] ?? listed[0];
      if (!newest) return previous;
      const { events } = await getJson<{ events: EventSummary[] }>(`/api/admin/logs?${query}&after=${cursorOf(newest)}`);
      return [...events, ...previous].slice(0, 500);
    },
    enabled: live && !pages.isLoading,
    refetchInterval: 2000,
  });
  const tail = live ? (tailQuery.data ?? []) : [];

  // Infinite scroll: the next page loads when the bottom of the list comes into view.
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries[0]?.isIntersecting && hasNextPage && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const events = [...tail, ...listed];
  return (
    <div className="space-y-4">
      <FilterBar key={query} filters={filters} onApply={(f) => router.push(`${pathname}?${filtersToParams(f)}${live ? "&live=1" : ""}`)} />
      {!parsed.success && <FormError message={`Some filters in the link were not understood (${parsed.error.issues[0]?.message}); showing the last 24 hours.`} />}
      <div className="flex items-center justify-between text-sm">
        <p className="text-slate-600" data-testid="log-count">
          {pages.isLoading ? "Loading…" : `${events.length.toLocaleString("en")}${hasNextPage ? "+" : ""} events`}
        </p>
        <label className="flex items-center gap-2 text-slate-700">
          <input type="checkbox" role="switch" checked={live} onChange={(e) => navigate({ live: e.target.checked ? "1" : null })} />
          Live tail
          <span className={cx("inline-block h-2 w-2 rounded-full", live ? "animate-pulse bg-emerald-500" : "bg-slate-300")} aria-hidden />
        </label>
      </div>
      {pages.error && <FormError message={pages.error.message} />}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full text-left text-sm" data-testid="log-table">
          <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              {["Time (UTC)", "Type", "Severity", "Event", "Component", "Details", "Class"].map((c, i) => (
                <th key={c} className={cx("py-2 pr-3 font-medium", i === 0 && "pl-4")}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            <EventRows events={events} selected={open?.id ?? null} onOpen={(e) => navigate({ event: e.eventId, at: e.occurredAt })} />
            {pages.isLoading &&
              Array.from({ length: 8 }, (_, i) => (
                <tr key={i}>
                  <td colSpan={7} className="px-4 py-3">
                    <div className="h-4 animate-pulse rounded bg-slate-100" />
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
        {!pages.isLoading && events.length === 0 && (
          <div className="p-6">
            <EmptyState title="No events match these filters">Widen the time range or clear a filter.</EmptyState>
          </div>
        )}
        <div ref={sentinel} className="px-4 py-3 text-center text-xs text-slate-500">
          {isFetchingNextPage ? "Loading more…" : hasNextPage ? "" : events.length > 0 ? "That is everything in this range." : ""}
        </div>
      </div>
      {open && <EventDrawer key={`${open.id}@${open.at}`} id={open.id} at={open.at} onClose={() => navigate({ event: null, at: null })} onOpen={(id, at) => navigate({ event: id, at })} />}
    </div>
  );
}
