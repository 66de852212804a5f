import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { FeatureSetStatus } from "@/lib/training/feature-sets";

const LOOK: Record<FeatureSetStatus, { tone: BadgeTone; label: string }> = {
  ready: { tone: "green", label: "Ready" },
  stale: { tone: "amber", label: "Stale" },
  building: { tone: "blue", label: "Extracting" },
  failed: { tone: "red", label: "Failed" },
};

export function FeatureSetStatusBadge({ status }: { status: FeatureSetStatus }) {
  return <Badge tone={LOOK[status].tone}>{LOOK[status].label}</Badge>;
}
