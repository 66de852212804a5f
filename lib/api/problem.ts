import "server-only";
import { SafeError, type ErrorCode } from "../errors";
import { logger } from "../logger";

// The one mapping from domain errors to HTTP answers for the public API: RFC 9457 problem details
// (application/problem+json). `error` repeats `detail` for clients written against the first API.
export const STATUS_OF: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  refused: 422,
  throttled: 429,
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
  code?: string;
  error: string;
  [extension: string]: unknown;
}

/** Problem types are URNs: stable names, not pages to fetch. */
export const PROBLEM_TYPE_BASE = "urn:clearlog:problem:";

export function problem(status: number, detail: string, extra: { code?: string; field?: string; [k: string]: unknown } = {}): Problem {
  const { code, ...rest } = extra;
  return {
    type: code ? `${PROBLEM_TYPE_BASE}${code}` : "about:blank",
    title: TITLES[status] ?? "Error",
    status,
    detail,
    ...(code ? { code } : {}),
    ...rest,
    error: detail,
  };
}

export function problemResponse(p: Problem, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("Content-Type", "application/problem+json");
  return new Response(JSON.stringify(p), { status: p.status, headers: h });
}

/** Turns anything thrown by a route into its problem: SafeErrors by their code, anything else a logged 500. */
export function errorToProblem(error: unknown, route: string): { problem: Problem; headers: Record<string, string> } {
  if (error instanceof SafeError) {
    const status = STATUS_OF[error.code];
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined) headers["Retry-After"] = String(error.retryAfterSeconds);
    return { problem: problem(status, error.message, { code: error.code, ...(error.field ? { field: error.field } : {}) }), headers };
  }
  logger().error({ component: "api", route, err: error }, "request failed");
  return { problem: problem(500, "Internal error: nothing was stored; retry later", { code: "internal" }), headers: {} };
}
