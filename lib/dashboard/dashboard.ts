import "server-only";
import { loadAiUsage, type AiUsage } from "./ai-usage";
import { loadApiLatency, type RouteLatency } from "./api-latency";
import { loadClassificationBreakdown, type ClassificationCount } from "./classification";
import { loadEventVolume, type EventVolume } from "./event-volume";
import { loadIntakeRefusals, type IntakeRefusalRow } from "./intake";
import { rangeWindow, type RangeKey, type RangeWindow } from "./range";
import { loadTopErrors, type TopError } from "./top-errors";
import { loadWorkspaceStats, type WorkspaceStats } from "./workspace-stats";

export interface Dashboard {
  window: RangeWindow;
  volume: EventVolume;
  topErrors: TopError[];
  routes: RouteLatency[];
  ai: AiUsage;
  classification: ClassificationCount[];
  workspace: WorkspaceStats;
  intake: IntakeRefusalRow[];
}

/** Everything the dashboard shows for a range; the independent queries run in parallel. */
export async function loadDashboard(range: RangeKey, now = new Date()): Promise<Dashboard> {
  const window = rangeWindow(range, now);
  const [volume, topErrors, routes, ai, classification, workspace, intake] = await Promise.all([
    loadEventVolume(window),
    loadTopErrors(window),
    loadApiLatency(window),
    loadAiUsage(window),
    loadClassificationBreakdown(window),
    loadWorkspaceStats(now),
    loadIntakeRefusals(window),
  ]);
  return { window, volume, topErrors, routes, ai, classification, workspace, intake };
}
