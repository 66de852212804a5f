import "server-only";

// SQL fragments shared by the dashboard queries. Every query takes the window's parameters
// ($1 since, $2 until, $3 bucket width; see windowParams) and is bounded by occurred_at, so
// PostgreSQL prunes system_logs to the day partitions of the range.

/** The window's bucket starts, one row each (zero-filled series join their counts onto these). */
export const BUCKET_SERIES = "generate_series($1::timestamptz, $2::timestamptz - $3::interval, $3::interval)";

/** The start of the bucket an event falls in. */
export const bucketOf = (column = "occurred_at") => `date_bin($3::interval, ${column}, $1::timestamptz)`;

/** Rows inside the window. */
export const inWindow = (alias?: string) => {
  const c = alias ? `${alias}.occurred_at` : "occurred_at";
  return `${c} >= $1::timestamptz AND ${c} < $2::timestamptz`;
};
