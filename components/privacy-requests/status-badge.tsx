import { Badge, type BadgeTone } from "@/components/ui/badge";
import { STATUS_LABELS, type RequestStatus } from "@/lib/privacy/request-rules";

const TONES: Record<RequestStatus, BadgeTone> = { received: "amber", verified: "blue", in_progress: "blue", completed: "green", rejected: "red", cancelled: "neutral" };

export function StatusBadge({ status, overdue }: { status: RequestStatus; overdue?: boolean }) {
  return (
    <span className="inline-flex items-center gap-1">
      <Badge tone={TONES[status]}>{STATUS_LABELS[status]}</Badge>
      {overdue && <Badge tone="red">Overdue</Badge>}
    </span>
  );
}
