"use client";

import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_TICK, bucketLabel, bucketTick, formatPercent, GRID_STROKE, tooltipNumber, wholeNumber } from "@/components/dashboard/chart-format";
import { StatCard } from "@/components/dashboard/stat-card";
import { MarkedText } from "@/components/logs/marked-text";
import { Badge } from "@/components/ui/badge";
import { ChartFrame } from "@/components/ui/chart-frame";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";
import { Table } from "@/components/ui/table";
import type { FeedbackStats, LatestFeedback } from "@/lib/training/feedback-stats";

// Feedback on one model version: volume and thumbs per day with the mean score, the score
// distribution, and the newest corrections. Text is shown as stored (already redacted at intake).
const COLORS = { up: "#22c55e", down: "#ef4444", other: "#94a3b8", score: "#8b5cf6", bars: "#2f6fed" } as const;
const SOURCE_LABELS: Record<LatestFeedback["source"], string> = { end_user: "End user", annotator: "Annotator", automated: "Automated" };
const PREVIEW_CHARS = 280;
const score = (n: number | null) => (n === null ? "—" : (Math.round(n * 100) / 100).toString());
const heading = "mb-2 text-xs font-medium uppercase tracking-wide text-slate-500";

function OverTimeChart({ stats }: { stats: FeedbackStats }) {
  const data = stats.daily.map((d) => ({ ...d, other: d.count - d.up - d.down }));
  return (
    <ChartFrame label={`Feedback per day over the last ${stats.days} days: thumbs up, thumbs down and other feedback stacked, with the mean score`}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} stroke={GRID_STROKE} />
        <XAxis dataKey="date" tickFormatter={(d: string) => bucketTick(d, "day")} tick={AXIS_TICK} minTickGap={16} />
        <YAxis yAxisId="count" tick={AXIS_TICK} allowDecimals={false} width={40} />
        <YAxis yAxisId="score" orientation="right" domain={[0, stats.scoreScale]} tick={AXIS_TICK} width={32} />
        <Tooltip labelFormatter={(d) => bucketLabel(String(d), "day")} formatter={(value, name) => [name === "Mean score" ? score(typeof value === "number" ? value : null) : tooltipNumber(wholeNumber)(value), name]} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar yAxisId="count" dataKey="up" name="Thumbs up" stackId="feedback" fill={COLORS.up} isAnimationActive={false} />
        <Bar yAxisId="count" dataKey="down" name="Thumbs down" stackId="feedback" fill={COLORS.down} isAnimationActive={false} />
        <Bar yAxisId="count" dataKey="other" name="Other feedback" stackId="feedback" fill={COLORS.other} isAnimationActive={false} />
        <Line yAxisId="score" type="linear" dataKey="meanScore" name="Mean score" stroke={COLORS.score} strokeWidth={2} dot={data.length <= 31} connectNulls isAnimationActive={false} />
      </ComposedChart>
    </ChartFrame>
  );
}

function ScoreChart({ stats }: { stats: FeedbackStats }) {
  return (
    <ChartFrame label={`Distribution of scores (0 to ${stats.scoreScale}) over the last ${stats.days} days`}>
      <BarChart data={stats.scoreBuckets} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} stroke={GRID_STROKE} />
        <XAxis dataKey="label" tick={AXIS_TICK} interval={0} />
        <YAxis tick={AXIS_TICK} allowDecimals={false} width={40} />
        <Tooltip labelFormatter={(l) => `Score ${String(l)}`} formatter={(value) => [tooltipNumber(wholeNumber)(value), "Feedback"]} />
        <Bar dataKey="count" name="Feedback" fill={COLORS.bars} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}

function LongText({ text }: { text: string }) {
  if (text.length <= PREVIEW_CHARS) return <MarkedText text={text} />;
  return (
    <details>
      <summary className="cursor-pointer">
        <MarkedText text={`${text.slice(0, PREVIEW_CHARS)}…`} />
      </summary>
      <div className="mt-1">
        <MarkedText text={text} />
      </div>
    </details>
  );
}

function LatestTable({ rows }: { rows: LatestFeedback[] }) {
  return (
    <Table testId="feedback-latest" columns={["When", "Source", "Rating", "Label", "Correction / comment"]}>
      {rows.map((r) => (
        <tr key={r.id} className="align-top">
          <td className="whitespace-nowrap py-2.5 pr-4 text-slate-700">{formatDateTime(r.createdAt)}</td>
          <td className="py-2.5 pr-4">
            <Badge>{SOURCE_LABELS[r.source]}</Badge>
          </td>
          <td className="whitespace-nowrap py-2.5 pr-4 tabular-nums">
            {r.rating && <Badge tone={r.rating === "up" ? "green" : "red"}>{r.rating === "up" ? "Thumbs up" : "Thumbs down"}</Badge>} {r.score !== null && <span>{score(r.score)}</span>}
            {!r.rating && r.score === null && "—"}
          </td>
          <td className="max-w-[12rem] break-words py-2.5 pr-4">{r.label ? <MarkedText text={r.label} /> : "—"}</td>
          <td className="max-w-xl whitespace-pre-wrap break-words py-2.5 pr-4 text-slate-800">
            {r.correction && (
              <div>
                <span className="text-xs font-medium text-slate-500">Correction: </span>
                <LongText text={r.correction} />
              </div>
            )}
            {r.comment && (
              <div className={r.correction ? "mt-1" : undefined}>
                <span className="text-xs font-medium text-slate-500">Comment: </span>
                <LongText text={r.comment} />
              </div>
            )}
            {!r.correction && !r.comment && "—"}
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** The feedback section of a model version page; `stats` is what feedbackStats returns. */
export function FeedbackCharts({ stats }: { stats: FeedbackStats }) {
  const { totals, days } = stats;
  if (totals.count === 0 && stats.latest.length === 0) {
    return (
      <Panel title="Feedback">
        <EmptyState title="No feedback yet">
          Applications send it with <code>POST /api/v1/feedback</code> or the SDK&apos;s <code>sendFeedback</code>.
        </EmptyState>
      </Panel>
    );
  }
  const rated = totals.up + totals.down;
  return (
    <div className="space-y-6" data-testid="feedback-charts">
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard label={`Feedback, last ${days} days`} value={wholeNumber(totals.count)} />
        <StatCard label="Thumbs up / down" value={`${wholeNumber(totals.up)} / ${wholeNumber(totals.down)}`} hint={rated > 0 ? `${formatPercent((totals.up / rated) * 100)} positive` : "no ratings"} />
        <StatCard label="Mean score" value={score(totals.meanScore)} hint={totals.scored > 0 ? `${wholeNumber(totals.scored)} scored, scale 0–${stats.scoreScale}` : "no scores"} />
        <StatCard
          label="Eligible for training"
          value={totals.eligibleShare === null ? "—" : formatPercent(totals.eligibleShare * 100)}
          hint="from people who consent to AI training; the rest is kept for monitoring only"
        />
      </div>
      <Panel title="Feedback over time">
        {totals.count === 0 ? <EmptyState title={`No feedback in the last ${days} days`} /> : <OverTimeChart stats={stats} />}
      </Panel>
      <Panel title="Score distribution">
        {stats.scoreBuckets.length === 0 ? (
          <EmptyState title={`No scores in the last ${days} days`}>Feedback with a score (0 to 10) appears here as a histogram.</EmptyState>
        ) : (
          <>
            <h3 className={heading}>{`${wholeNumber(totals.scored)} scores, last ${days} days`}</h3>
            <ScoreChart stats={stats} />
          </>
        )}
      </Panel>
      <Panel title="Latest corrections">
        {stats.latest.length === 0 ? (
          <EmptyState title="No corrections, labels or comments yet">Ratings and scores without text are counted above.</EmptyState>
        ) : (
          <LatestTable rows={stats.latest} />
        )}
      </Panel>
    </div>
  );
}
