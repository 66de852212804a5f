import "server-only";
import * as grpc from "@grpc/grpc-js";
import { admitApiKey } from "../api/with-api-key";
import { env } from "../env";
import { SafeError } from "../errors";
import { countRefusedRequest } from "../ingest/intake-refusals";
import { truncateIp } from "../ingest/ip";
import { exportOtlp } from "../ingest/otlp-export";
import { logger } from "../logger";
import { decodeExportRequest, encodeExportResponse, GRPC_CODE_OF, otlpService, type OtlpSignal } from "./codec";

// OTLP/gRPC: the TraceService and LogsService of the official definitions, on their own port
// (CLEARLOG_OTLP_GRPC_PORT, 4317 by convention), started with the web server (instrumentation.ts).
// A call passes the same checks as an HTTP request (admitApiKey: per-IP limit, the key from the
// `authorization: Bearer …` or `x-api-key` metadata, its `ingest` scope, the per-key limit), is decoded
// by the same codec and ingested by the same export function; refusals become gRPC statuses
// (UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED, INVALID_ARGUMENT), rejected records a
// partial_success in the response. gzip-compressed messages are undone by grpc-js, within the limit.
export interface OtlpGrpcServer {
  port: number;
  stop(): Promise<void>;
}

type Bytes = Buffer;

function serviceDefinition(signal: OtlpSignal): grpc.ServiceDefinition {
  const { name, method } = otlpService(signal);
  const identity = (b: Bytes) => b;
  return {
    [method]: {
      path: `/${name}/${method}`,
      requestStream: false,
      responseStream: false,
      // Messages stay bytes here: the codec decodes them exactly as it decodes OTLP/HTTP protobuf.
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

/** The caller's address from grpc-js' peer string (`127.0.0.1:5123`, `[::1]:5123`, `ipv6:[::1]:5123`). */
export function peerAddress(peer: string): string | null {
  const bare = peer.replace(/^ipv[46]:/, "");
  const bracketed = /^\[([^\]]+)\]/.exec(bare);
  if (bracketed) return bracketed[1]!;
  const colon = bare.lastIndexOf(":");
  return colon > 0 && bare.indexOf(":") === colon ? bare.slice(0, colon) : bare || null;
}

/** The metadata an API key can travel in, as request headers. */
function headersOf(metadata: grpc.Metadata): Headers {
  const headers = new Headers();
  for (const name of ["authorization", "x-api-key", "user-agent"]) {
    const value = metadata.get(name)[0];
    if (typeof value === "string") headers.set(name, value);
  }
  return headers;
}

function statusOf(error: unknown): Partial<grpc.StatusObject> {
  if (error instanceof SafeError) {
    const metadata = new grpc.Metadata();
    if (error.retryAfterSeconds !== undefined) metadata.set("retry-after", String(error.retryAfterSeconds));
    return { code: GRPC_CODE_OF[error.code], details: error.message, metadata };
  }
  logger().error({ component: "otlp-grpc", err: error }, "export failed");
  return { code: grpc.status.UNAVAILABLE, details: "Internal error: nothing was stored; retry later" };
}

function handler(signal: OtlpSignal): grpc.handleUnaryCall<Bytes, Bytes> {
  return (call, callback) => {
    const headers = headersOf(call.metadata);
    const network = truncateIp(peerAddress(call.getPeer()));
    let keyId: string | undefined;
    void (async () => {
      const key = await admitApiKey(headers, network, "ingest");
      keyId = key.keyId;
      const body = decodeExportRequest(signal, call.request);
      const result = await exportOtlp(signal, body, { keyId, network, userAgent: headers.get("user-agent") });
      return Buffer.from(encodeExportResponse(signal, result));
    })().then(
      (response) => callback(null, response),
      (error: unknown) => {
        if (keyId) countRefusedRequest(keyId, error);
        callback(statusOf(error));
      },
    );
  };
}

/** Starts the OTLP/gRPC intake on `port` (0: any free port) and `host`. */
export async function startOtlpGrpcServer(options: { port: number; host?: string }): Promise<OtlpGrpcServer> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": env().CLEARLOG_INGEST_MAX_BATCH_BYTES,
  });
  for (const signal of ["traces", "logs"] as const) {
    server.addService(serviceDefinition(signal), { [otlpService(signal).method]: handler(signal) });
  }
  const host = options.host ?? "0.0.0.0";
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host.includes(":") ? `[${host}]` : host}:${options.port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Calls still open after two seconds are cut.
        setTimeout(() => server.forceShutdown(), 2_000).unref();
      }),
  };
}

const globalForGrpc = globalThis as unknown as { clearlogOtlpGrpc?: Promise<OtlpGrpcServer | null> };

/** Starts the gRPC intake once per process on CLEARLOG_OTLP_GRPC_PORT, unless that is 0 / off. */
export function startConfiguredOtlpGrpcServer(): Promise<OtlpGrpcServer | null> {
  globalForGrpc.clearlogOtlpGrpc ??= (async () => {
    const { CLEARLOG_OTLP_GRPC_PORT: port, HOSTNAME: host } = env();
    if (port === 0) return null;
    try {
      const server = await startOtlpGrpcServer({ port, host });
      logger().info({ component: "otlp-grpc", port: server.port }, "OTLP/gRPC intake listening");
      return server;
    } catch (error) {
      logger().error({ component: "otlp-grpc", port, err: error }, "the OTLP/gRPC intake did not start (is the port in use? set CLEARLOG_OTLP_GRPC_PORT)");
      return null;
    }
  })();
  return globalForGrpc.clearlogOtlpGrpc;
}
