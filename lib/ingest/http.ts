import "server-only";
import { NextResponse } from "next/server";
import { authenticateApiKey } from "../auth/api-keys";
import type { ApiKeyScope } from "../auth/api-key-scopes";
import { env } from "../env";
import { logger } from "../logger";
import type { ErrorResponse } from "@clearlog/sdk";
import { takeToken } from "./rate-limit";

// What every ingestion endpoint does before it looks at the events: authenticate the key, apply the
// key's rate limit, and read a JSON body within the configured size. Each refusal is a clear 4xx.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

// Browsers on other origins may send events: keys travel in the Authorization header, never in
// cookies, so any origin may call the API; credentials are not allowed.
export const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, PUT, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Expose-Headers": "Retry-After",
  "Access-Control-Max-Age": "86400",
};

export function preflight() {
  return new NextResponse(null, { status: 204, headers: CORS_HEADERS });
}

export function errorResponse(status: number, error: string, headers: Record<string, string> = {}) {
  return NextResponse.json<ErrorResponse>({ error }, { status, headers: { ...CORS_HEADERS, ...headers } });
}

export function requestIp(request: Request): string | null {
  return request.headers.get("x-forwarded-for") ?? request.headers.get("x-real-ip");
}

/** How large a body an endpoint reads, and how its 413 names the limit. */
export interface BodyLimit {
  bytes: number;
  message: string;
}

const batchLimit = (): BodyLimit => {
  const bytes = env().CLEARLOG_INGEST_MAX_BATCH_BYTES;
  return { bytes, message: `Request body exceeds the ${bytes}-byte batch limit (CLEARLOG_INGEST_MAX_BATCH_BYTES); send smaller batches` };
};

async function readBody(request: Request, { bytes: maxBytes, message: limitMessage }: BodyLimit): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > maxBytes) throw new HttpError(413, limitMessage);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new HttpError(413, limitMessage);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export interface Authorized {
  keyId: string;
  body: unknown;
}

/** Authenticates, rate-limits and parses the JSON body; throws HttpError for every refusal. */
export async function acceptJson(request: Request, scope: ApiKeyScope, limit: BodyLimit = batchLimit()): Promise<Authorized> {
  const auth = await authenticateApiKey(request.headers.get("authorization"), scope);
  if (!auth.ok) throw new HttpError(auth.status, auth.error);
  const rate = takeToken(auth.keyId);
  if (!rate.ok) {
    throw new HttpError(429, `Rate limit of ${env().CLEARLOG_INGEST_RATE_PER_SECOND} requests per second for this API key exceeded; retry after ${rate.retryAfterSeconds} s`, {
      "Retry-After": String(rate.retryAfterSeconds),
    });
  }
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, "Content-Type must be application/json");
  const text = await readBody(request, limit);
  try {
    return { keyId: auth.keyId, body: JSON.parse(text) as unknown };
  } catch (error) {
    throw new HttpError(400, `Malformed JSON: ${(error as Error).message}`);
  }
}

/** Turns a thrown error into the answer: HttpErrors as they are, anything else a logged 500. */
export function failure(error: unknown, route: string) {
  if (error instanceof HttpError) return errorResponse(error.status, error.message, error.headers);
  logger().error({ component: "api", route, err: error }, "request failed");
  return errorResponse(500, "Internal error: the batch was not stored; retry later");
}
