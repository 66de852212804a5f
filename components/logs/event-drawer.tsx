"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/format";
import type { EventDetail } from "@/lib/logs/event-detail";
import { ClassificationBadge, SeverityBadge, TYPE_LABELS } from "./event-badges";
import { JsonView } from "./json-view";
import { MarkedText } from "./marked-text";

async function fetchDetail(id: string, at: string): Promise<EventDetail> {
  const response = await fetch(`/api/admin/logs/event?${new URLSearchParams({ id, at })}`, { cache: "no-store" });
  const body = (await response.json()) as EventDetail & { error?: string };
  if (!response.ok) throw new Error(body.error ?? "The event could not be read.");
  return body;
}

const GROUPS: [string, (keyof EventDetail["event"])[]][] = [
  ["Event", ["event_id", "occurred_at", "received_at", "name", "message", "component", "purpose", "subject_pseudonym", "session_id", "training_excluded"]],
  ["AI interaction", ["gen_ai_provider_name", "gen_ai_request_model", "gen_ai_operation_name", "gen_ai_conversation_id", "gen_ai_usage_input_tokens", "gen_ai_usage_output_tokens", "gen_ai_latency_ms", "gen_ai_cost_usd"]],
  ["HTTP", ["http_request_method", "http_route", "http_response_status_code", "http_duration_ms", "http_request_size", "http_response_size"]],
  ["Error", ["error_type", "error_fingerprint"]],
];

function Field({ name, value }: { name: string; value: unknown }) {
  return (
    <>
      <dt className="truncate font-mono text-xs text-slate-500">{name}</dt>
      <dd className="break-all text-xs text-slate-900">{typeof value === "string" ? <MarkedText text={value} /> : String(value)}</dd>
    </>
  );
}

/** One event in full: typed fields by group, the payload as a tree, and the rest of its session. */
export function EventDrawer({ id, at, onClose, onOpen }: { id: string; at: string; onClose: () => void; onOpen: (id: string, at: string) => void }) {
  const { data, error, isLoading } = useQuery({ queryKey: ["log-event", id, at], queryFn: () => fetchDetail(id, at) });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  const e = data?.event;
  return (
    <aside role="dialog" aria-label="Event details" data-testid="event-drawer" className="fixed inset-y-0 right-0 z-30 flex w-full max-w-xl flex-col border-l border-slate-200 bg-white shadow-2xl">
      <header className="flex items-start justify-between gap-3 border-b border-slate-100 px-5 py-4">
        <div className="min-w-0">
          <p className="text-xs text-slate-500">{e ? `${TYPE_LABELS[e.type] ?? e.type} · ${formatDateTime(e.occurred_at)}` : "Event"}</p>
          <h2 className="truncate text-base font-semibold text-slate-900">{e ? <MarkedText text={e.name} /> : id}</h2>
          {e && (
            <div className="mt-1 flex flex-wrap gap-1.5">
              <SeverityBadge severity={e.severity} />
              <ClassificationBadge level={e.classification} />
              {e.categories.map((c) => (
                <span key={c} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-600">
                  {c}
                </span>
              ))}
            </div>
          )}
        </div>
        <Button variant="ghost" onClick={onClose} aria-label="Close the event">
          ✕
        </Button>
      </header>
      <div className="flex-1 space-y-5 overflow-y-auto px-5 py-4">
        {isLoading && <p className="text-sm text-slate-500">Loading…</p>}
        {error && <p className="text-sm text-red-700">{error.message}</p>}
        {e &&
          GROUPS.map(([title, keys]) => {
            const present = keys.filter((k) => e[k] !== null && e[k] !== undefined);
            if (present.length === 0) return null;
            return (
              <section key={title}>
                <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
                <dl className="grid grid-cols-[11rem_1fr] gap-x-3 gap-y-1">
                  {present.map((k) => (
                    <Field key={k} name={k} value={e[k]} />
                  ))}
                </dl>
              </section>
            );
          })}
        {e && (
          <section data-testid="event-payload">
            <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">Payload</h3>
            <div className="-ml-4 rounded-md bg-slate-50 py-2">
              <JsonView value={e.payload} />
            </div>
          </section>
        )}
        {data && data.session.length > 1 && (
          <section>
            <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">This session ({data.session.length} events)</h3>
            <ol className="space-y-0.5 text-xs" data-testid="session-events">
              {data.session.map((s) => (
                <li key={s.eventId}>
                  <button
                    type="button"
                    disabled={s.eventId === id}
                    onClick={() => onOpen(s.eventId, s.occurredAt)}
                    className="w-full truncate rounded px-1.5 py-0.5 text-left hover:bg-slate-100 disabled:bg-brand-50 disabled:font-medium"
                  >
                    <span className="font-mono text-slate-500">{s.occurredAt.slice(11, 19)}</span> {TYPE_LABELS[s.type] ?? s.type} · <MarkedText text={s.name} />
                  </button>
                </li>
              ))}
            </ol>
          </section>
        )}
      </div>
    </aside>
  );
}
