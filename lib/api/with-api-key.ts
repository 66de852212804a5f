import "server-only";
import { recordRefusal } from "../audit/refusals";
import type { ApiKeyScope } from "../auth/api-key-scopes";
import { authenticateApiKey, presentedApiKey, type ApiKeyPrincipal } from "../auth/api-keys";
import { env } from "../env";
import { SafeError } from "../errors";
import { countIntakeRefusal, countRefusedRequest } from "../ingest/intake-refusals";
import { truncateIp } from "../ingest/ip";
import { mediaType, parseJson, readBody } from "./body";
import { clientIp } from "./client-ip";
import { CORS_HEADERS } from "./cors";
import { errorToProblem, problemResponse, type Problem } from "./problem";
import { RateLimiter } from "./rate-limit";

// The one way to build a public API route (app/api/v1/**):
//   export const POST = withApiKey("ingest", async (ctx) => apiJson(await ingest(await ctx.json())));
// In order: a per-IP limit before anything is looked up, the API key (Bearer or x-api-key) and its
// scope, the per-key limit, then the route; bodies are read on demand within their byte limit.
// Errors become RFC 9457 answers in one place (lib/api/problem.ts); every answer carries CORS.

export interface BodyLimit {
  bytes: number;
  message: string;
}

export interface ApiContext<P = Record<string, string>> {
  request: Request;
  key: ApiKeyPrincipal;
  /** The client's network (/24 or /48), for sessions; never the whole address. */
  network: string | null;
  params: P;
  /** The body as JSON; refuses other content types (415), oversize bodies (413) and malformed JSON (400). */
  json(limit?: BodyLimit): Promise<unknown>;
  /** The raw body (gzip undone) within the limit. */
  bytes(limit?: BodyLimit): Promise<Uint8Array>;
}

export function batchLimit(): BodyLimit {
  const bytes = env().CLEARLOG_INGEST_MAX_BATCH_BYTES;
  return { bytes, message: `Request body exceeds the ${bytes}-byte batch limit (CLEARLOG_INGEST_MAX_BATCH_BYTES); send smaller batches` };
}

const perIp = new RateLimiter(() => ({ rate: env().CLEARLOG_API_IP_RATE_PER_SECOND, burst: env().CLEARLOG_API_IP_RATE_BURST }));
const perKey = new RateLimiter(() => ({ rate: env().CLEARLOG_INGEST_RATE_PER_SECOND, burst: env().CLEARLOG_INGEST_RATE_BURST }));

/** For tests that send more than a burst. */
export function resetRateLimits(): void {
  perIp.reset();
  perKey.reset();
}

function withCors(response: Response): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(CORS_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

type SegmentContext<P> = { params: Promise<P> };

/**
 * The checks every public door makes before its work, in order: the per-IP limit (before anything is
 * looked up), the API key presented in `headers` (Bearer or x-api-key) and its scope, the per-key
 * limit. Shared by the HTTP routes and the OTLP/gRPC server (lib/otlp/grpc-server.ts). Throws SafeErrors.
 */
export async function admitApiKey(headers: Headers, network: string | null, scope: ApiKeyScope | null): Promise<ApiKeyPrincipal> {
  const ipDecision = perIp.take(network ?? "unknown");
  if (!ipDecision.ok) {
    recordRefusal({ action: "api.request", resourceType: "api", reason: "ip_rate_limited", source: `net:${network ?? "unknown"}` });
    const rate = env().CLEARLOG_API_IP_RATE_PER_SECOND;
    throw new SafeError(`Rate limit of ${rate} requests per second from this network exceeded; retry after ${ipDecision.retryAfterSeconds} s`, "throttled", {
      retryAfterSeconds: ipDecision.retryAfterSeconds,
    });
  }
  const key = await authenticateApiKey(presentedApiKey(headers), scope);
  const keyDecision = perKey.take(key.keyId);
  if (!keyDecision.ok) {
    if (scope === "ingest") countIntakeRefusal(key.keyId, "rate_limited", { requests: 1 });
    const rate = env().CLEARLOG_INGEST_RATE_PER_SECOND;
    throw new SafeError(`Rate limit of ${rate} requests per second for this API key exceeded; retry after ${keyDecision.retryAfterSeconds} s`, "throttled", {
      retryAfterSeconds: keyDecision.retryAfterSeconds,
    });
  }
  return key;
}

export interface ApiRouteOptions {
  /** Renders a refusal for this route instead of the RFC 9457 problem (e.g. OTLP's protobuf Status). */
  renderError?: (problem: Problem, request: Request, headers: Record<string, string>) => Response | null;
}

export function withApiKey<P extends Record<string, string> = Record<string, string>>(
  scope: ApiKeyScope | null,
  handler: (ctx: ApiContext<P>) => Promise<Response>,
  options: ApiRouteOptions = {},
): (request: Request, segment?: SegmentContext<P>) => Promise<Response> {
  return async (request, segment) => {
    const route = new URL(request.url).pathname;
    let key: ApiKeyPrincipal | undefined;
    try {
      const network = truncateIp(clientIp(request.headers));
      key = await admitApiKey(request.headers, network, scope);
      let read: Promise<Uint8Array> | undefined;
      const bytes = (limit: BodyLimit = batchLimit()) => (read ??= readBody(request, limit.bytes, limit.message));
      const ctx: ApiContext<P> = {
        request,
        key,
        network,
        params: segment?.params ? await segment.params : ({} as P),
        bytes,
        async json(limit) {
          const type = mediaType(request);
          if (type !== "application/json") {
            throw new SafeError(`Content-Type must be application/json; received ${type.slice(0, 60) || "none"}`, "unsupported_media");
          }
          return parseJson(await bytes(limit));
        },
      };
      return withCors(await handler(ctx));
    } catch (error) {
      if (key && scope === "ingest") countRefusedRequest(key.keyId, error);
      const { problem, headers } = errorToProblem(error, route);
      return withCors(options.renderError?.(problem, request, headers) ?? problemResponse(problem, headers));
    }
  };
}

/** A JSON answer. */
export function apiJson(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("Content-Type", "application/json");
  return new Response(JSON.stringify(body), { status, headers: h });
}
