import { cx } from "@/components/ui/cx";
import type { EventSummary } from "@/lib/logs/query";
import { ClassificationBadge, SeverityBadge, TYPE_LABELS } from "./event-badges";
import { MarkedText } from "./marked-text";

const time = new Intl.DateTimeFormat("en-GB", { month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" });

function details(e: EventSummary): string {
  if (e.type === "api_request") return [e.httpMethod, e.httpRoute, e.httpStatus, e.durationMs !== null ? `${e.durationMs} ms` : null].filter((x) => x !== null).join(" ");
  if (e.type === "ai_interaction") {
    const tokens = e.inputTokens !== null || e.outputTokens !== null ? `${e.inputTokens ?? "?"}→${e.outputTokens ?? "?"} tok` : null;
    const cost = e.costUsd !== null ? `$${Number(e.costUsd).toFixed(6)}` : null;
    const subject = e.subject ? `subject ${e.subject.slice(0, 8)}…` : null;
    const model = [e.provider, e.model].filter(Boolean).join(" ");
    return [model, tokens, cost, e.durationMs !== null ? `${e.durationMs} ms` : null, subject, e.trainingExcluded ? "not for training" : null].filter(Boolean).join(" · ");
  }
  if (e.type === "error") return e.errorType ?? "";
  return "";
}

/** Event rows; a click opens the drawer. Everything logged is rendered as text. */
export function EventRows({ events, selected, onOpen }: { events: EventSummary[]; selected: string | null; onOpen: (e: EventSummary) => void }) {
  return (
    <>
      {events.map((e) => (
        <tr
          key={`${e.eventId}@${e.occurredAt}`}
          data-testid="log-row"
          tabIndex={0}
          aria-selected={selected === e.eventId}
          onClick={() => onOpen(e)}
          onKeyDown={(k) => (k.key === "Enter" || k.key === " ") && onOpen(e)}
          className={cx("cursor-pointer align-top hover:bg-slate-50 focus:bg-brand-50 focus:outline-none", selected === e.eventId && "bg-brand-50")}
        >
          <td className="whitespace-nowrap py-2 pl-4 pr-3 font-mono text-xs text-slate-500">{time.format(new Date(e.occurredAt))}</td>
          <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-700">{TYPE_LABELS[e.type] ?? e.type}</td>
          <td className="py-2 pr-3">
            <SeverityBadge severity={e.severity} />
          </td>
          <td className="max-w-xl py-2 pr-3">
            <p className="truncate font-medium text-slate-900">
              <MarkedText text={e.name} />
            </p>
            {e.message && (
              <p className="line-clamp-2 break-words text-xs text-slate-600">
                <MarkedText text={e.message} />
              </p>
            )}
          </td>
          <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{e.component ?? "—"}</td>
          <td className="min-w-64 py-2 pr-3 font-mono text-xs text-slate-600 [overflow-wrap:anywhere]">{details(e)}</td>
          <td className="py-2 pr-4">
            <ClassificationBadge level={e.classification} />
          </td>
        </tr>
      ))}
    </>
  );
}
