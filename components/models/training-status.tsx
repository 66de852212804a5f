import { Badge } from "@/components/ui/badge";
import { formatNumber } from "@/components/ui/format";
import type { TrainingDataStatus } from "@/lib/training/registry";

/** Clean, or how many people in the version's training data have withdrawn since. */
export function TrainingStatusBadge({ status }: { status: TrainingDataStatus }) {
  if (status.withdrawnSubjects === 0) return <Badge tone="green">Clean</Badge>;
  return (
    <Badge tone="amber">
      Contains withdrawn data: {formatNumber(status.withdrawnSubjects)} {status.withdrawnSubjects === 1 ? "subject" : "subjects"}
    </Badge>
  );
}
