const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** A set's range as people read it: both days inclusive (the end is stored exclusive, at midnight UTC). */
export function formatRange(start: Date | string, end: Date | string): string {
  const s = new Date(start);
  const e = new Date(end);
  const lastDay = e.getUTCHours() === 0 && e.getUTCMinutes() === 0 && e.getUTCSeconds() === 0 && e.getUTCMilliseconds() === 0 ? new Date(e.getTime() - 86_400_000) : e;
  const a = day.format(s);
  const b = day.format(lastDay);
  return a === b ? a : `${a} – ${b}`;
}

/** A pseudonym or fingerprint short enough for a table cell. */
export function shortKey(key: string): string {
  return key.length > 16 ? `${key.slice(0, 12)}…` : key;
}
