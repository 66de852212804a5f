import { formatDateTime } from "@/components/ui/format";
import { STATUS_LABELS, type RequestStatus } from "@/lib/privacy/request-rules";

export interface TimelineEntry {
  id: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus;
  note: string | null;
  occurredAt: string;
  /** for admins: who acted (an admin's name, an API key); the person's own view leaves it out */
  actor?: string | null;
}

export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <ol className="space-y-2 border-l border-slate-200 pl-4" data-testid="request-timeline">
      {entries.map((e) => (
        <li key={e.id} className="text-sm">
          <span className="text-slate-500">{formatDateTime(e.occurredAt)}</span>{" "}
          <span className="font-medium text-slate-800">{e.fromStatus === e.toStatus ? "Deadline extended" : STATUS_LABELS[e.toStatus]}</span>
          {e.actor && <span className="text-slate-500"> · by {e.actor}</span>}
          {e.note && <p className="mt-0.5 text-slate-600">{e.note}</p>}
        </li>
      ))}
    </ol>
  );
}
