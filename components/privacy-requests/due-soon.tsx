import Link from "next/link";
import { formatDateTime } from "@/components/ui/format";
import { REQUEST_TYPE_LABELS, STATUS_LABELS, type RequestStatus, type RequestType } from "@/lib/privacy/request-rules";

export interface DueSoonRow {
  id: string;
  type: RequestType;
  status: RequestStatus;
  dueAt: string;
}

const DAY = 86_400_000;

/** Open requests that fall due within the reminder window (CLEARLOG_REMINDER_DAYS), soonest first. */
export function DueSoon({ rows, days, now }: { rows: DueSoonRow[]; days: number; now: number }) {
  if (rows.length === 0) return null;
  return (
    <section aria-label="Due soon" data-testid="due-soon" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-medium">
        {rows.length === 1 ? "1 request falls" : `${rows.length} requests fall`} due within {days} days
      </p>
      <ul className="mt-1 space-y-0.5">
        {rows.map((r) => (
          <li key={r.id}>
            <Link href={`/admin/privacy-requests/${r.id}`} className="underline hover:no-underline">
              {REQUEST_TYPE_LABELS[r.type]}
            </Link>{" "}
            · {STATUS_LABELS[r.status]} · due {formatDateTime(r.dueAt)} ({Math.max(0, Math.ceil((new Date(r.dueAt).getTime() - now) / DAY))} days left)
          </li>
        ))}
      </ul>
    </section>
  );
}
