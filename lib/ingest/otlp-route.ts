import "server-only";
import { mediaType } from "../api/body";
import type { Problem } from "../api/problem";
import { apiJson, withApiKey, type ApiContext } from "../api/with-api-key";
import { SafeError } from "../errors";
import { decodeExportRequest, encodeExportResponse, encodeStatus, exportResponseJson, GRPC_CODE_OF, type OtlpSignal } from "../otlp/codec";
import { exportOtlp } from "./otlp-export";

// The OTLP/HTTP endpoints (POST /api/v1/otlp/v1/logs and /traces), in both encodings the
// specification defines: binary protobuf (`application/x-protobuf`, what exporters send by default)
// and JSON (`application/json`), each optionally gzip-compressed. They authenticate like every ingest
// route (lib/api/with-api-key.ts) and answer in the encoding of the request: 200 with an empty
// Export…ServiceResponse (`{}`) when everything was accepted, with `partialSuccess` when some records
// were rejected; a refused request gets its status with a google.rpc.Status body (protobuf) or an
// RFC 9457 problem (JSON).
export type { OtlpSignal };

const PROTOBUF = "application/x-protobuf";
const JSON_TYPE = "application/json";

function wantsProtobuf(request: Request): boolean {
  return mediaType(request) === PROTOBUF;
}

/** A refusal of a protobuf request as OTLP/HTTP says: the same status, a protobuf google.rpc.Status body. */
function renderError(problem: Problem, request: Request, headers: Record<string, string>): Response | null {
  if (!wantsProtobuf(request)) return null;
  const code = GRPC_CODE_OF[(problem.code ?? "internal") as keyof typeof GRPC_CODE_OF] ?? GRPC_CODE_OF.internal;
  return new Response(Buffer.from(encodeStatus(code, problem.detail)), { status: problem.status, headers: { ...headers, "Content-Type": PROTOBUF } });
}

/** The OTLP/HTTP route for one signal: `export const POST = otlpRoute("logs")`. */
export function otlpRoute(signal: OtlpSignal) {
  return withApiKey("ingest", (ctx) => handleOtlp(ctx, signal), { renderError });
}

async function handleOtlp(ctx: ApiContext, signal: OtlpSignal): Promise<Response> {
  const type = mediaType(ctx.request);
  if (type !== PROTOBUF && type !== JSON_TYPE) {
    throw new SafeError(
      `Content-Type must be ${PROTOBUF} or ${JSON_TYPE} (OTLP/HTTP); received ${type.slice(0, 60) || "no Content-Type"}`,
      "unsupported_media",
    );
  }
  const body = type === PROTOBUF ? decodeExportRequest(signal, await ctx.bytes()) : await ctx.json();
  const result = await exportOtlp(signal, body, {
    keyId: ctx.key.keyId,
    network: ctx.network,
    userAgent: ctx.request.headers.get("user-agent"),
  });
  if (type === PROTOBUF) {
    return new Response(Buffer.from(encodeExportResponse(signal, result)), { status: 200, headers: { "Content-Type": PROTOBUF } });
  }
  return apiJson(exportResponseJson(signal, result));
}
