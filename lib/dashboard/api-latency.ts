import "server-only";
import { database } from "../db/client";
import { windowParams, type RangeWindow } from "./range";
import { inWindow } from "./sql";

export interface RouteLatency {
  route: string;
  requests: number;
  /** Milliseconds, interpolated (percentile_cont, to 0.01 ms); null when no request of the route had a duration. */
  p50: number | null;
  p95: number | null;
  /** Share of responses with a 5xx status, in percent (two decimals). */
  serverErrorRate: number;
}

export const TOP_ROUTES_LIMIT = 10;

const SQL = `
  SELECT http_route AS route,
         count(*) AS requests,
         round(percentile_cont(0.5) WITHIN GROUP (ORDER BY http_duration_ms)::numeric, 2)::float8 AS p50,
         round(percentile_cont(0.95) WITHIN GROUP (ORDER BY http_duration_ms)::numeric, 2)::float8 AS p95,
         round(100.0 * count(*) FILTER (WHERE http_response_status_code >= 500) / count(*), 2)::float8 AS server_error_rate
    FROM system_logs
   WHERE type = 'api_request' AND http_route IS NOT NULL AND ${inWindow()}
   GROUP BY http_route
   ORDER BY requests DESC, route
   LIMIT $3`;

type Row = { route: string; requests: string; p50: number | null; p95: number | null; server_error_rate: number };

/** p50/p95 latency, request count and 5xx share of the busiest routes over the range. */
export async function loadApiLatency(w: RangeWindow, limit = TOP_ROUTES_LIMIT): Promise<RouteLatency[]> {
  const [since, until] = windowParams(w); // no buckets here: $3 is the limit
  const { rows } = await database().pool.query<Row>(SQL, [since, until, limit]);
  return rows.map((r) => ({ route: r.route, requests: Number(r.requests), p50: r.p50, p95: r.p95, serverErrorRate: r.server_error_rate }));
}
