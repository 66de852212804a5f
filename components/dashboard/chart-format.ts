import type { Granularity } from "@/lib/dashboard/range";

// Formatting for the dashboard's axes and tooltips. Every time is UTC, like the rest of the console.
const hourTick = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const dayTick = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const hourLabel = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const dayLabel = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** An axis tick for a bucket start: "13:00" for hours, "15 Mar" for days. */
export function bucketTick(iso: string, granularity: Granularity): string {
  return (granularity === "hour" ? hourTick : dayTick).format(new Date(iso));
}

/** A tooltip title for a bucket: "Sun 15 Mar, 13:00–14:00 UTC" or "Sun 15 Mar 2026 (UTC)". */
export function bucketLabel(iso: string, granularity: Granularity): string {
  const start = new Date(iso);
  if (Number.isNaN(start.getTime())) return iso;
  if (granularity === "day") return `${dayLabel.format(start)} (UTC)`;
  const end = new Date(start.getTime() + 3_600_000);
  return `${hourLabel.format(start)}–${hourTick.format(end)} UTC`;
}

/** 1234567 → "1.2M", for axes. */
export function compactNumber(value: number): string {
  return compact.format(value);
}

export function wholeNumber(value: number): string {
  return integer.format(value);
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return `${(value < 100 ? oneDecimal : integer).format(value)} ms`;
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (value === 0) return "0%";
  return `${value.toFixed(value > 0 && value < 10 ? 2 : 1)}%`;
}

/** Costs are often fractions of a cent: show enough digits to tell them apart. */
export function formatUsd(value: number): string {
  const digits = value === 0 || value >= 1 ? 2 : value >= 0.01 ? 4 : 6;
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: digits }).format(value);
}

/** A tooltip value: numbers formatted, anything else as it came. */
export function tooltipNumber(format: (n: number) => string) {
  return (value: unknown) => (typeof value === "number" ? format(value) : String(value ?? "—"));
}

/** Shared axis styling. */
export const AXIS_TICK = { fontSize: 12, fill: "#64748b" } as const;
export const GRID_STROKE = "#e2e8f0";
