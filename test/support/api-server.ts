import http from "node:http";
import type { AddressInfo } from "node:net";
import * as consent from "@/app/api/v1/consent/route";
import * as events from "@/app/api/v1/events/route";
import * as feedback from "@/app/api/v1/feedback/route";
import * as whoami from "@/app/api/v1/whoami/route";
import * as openApi from "@/app/api/v1/openapi.json/route";
import * as logs from "@/app/api/v1/otlp/v1/logs/route";
import * as traces from "@/app/api/v1/otlp/v1/traces/route";
import * as portalSessions from "@/app/api/v1/portal-sessions/route";
import * as privacyRequests from "@/app/api/v1/privacy-requests/route";
import * as privacyRequest from "@/app/api/v1/privacy-requests/[id]/route";
import * as featureSets from "@/app/api/v1/feature-sets/route";
import * as featureSet from "@/app/api/v1/feature-sets/[id]/route";
import * as featureSetManifest from "@/app/api/v1/feature-sets/[id]/manifest/route";
import * as featureSetData from "@/app/api/v1/feature-sets/[id]/data/route";
import * as featureSetIds from "@/app/api/v1/feature-sets/[id]/feature-ids/route";
import * as featureSetRebuild from "@/app/api/v1/feature-sets/[id]/rebuild/route";
import * as models from "@/app/api/v1/models/route";
import * as modelAlias from "@/app/api/v1/models/[model]/aliases/[alias]/route";
import * as modelVersion from "@/app/api/v1/models/[model]/versions/[version]/route";
import * as retrainNeeded from "@/app/api/v1/retrain-needed/route";

// Test helper: serves the real public API route handlers (events, OTLP, consent, feedback, whoami) over real HTTP on 127.0.0.1, without the rest
// of Next.js, so database tests can drive the API (and the SDK) and stop or restart the server.
type Handler = (request: Request) => Promise<Response>;
type Segmented<P> = (request: Request, segment?: { params: Promise<P> }) => Promise<Response>;

/** Routes with dynamic segments, as Next.js matches them: `[name]` is one path segment. */
function dynamicRoutes(): [method: string, pattern: string, handler: Segmented<Record<string, string>>][] {
  return [
    ["GET", "/api/v1/feature-sets/[id]", featureSet.GET as Segmented<Record<string, string>>],
    ["DELETE", "/api/v1/feature-sets/[id]", featureSet.DELETE as Segmented<Record<string, string>>],
    ["GET", "/api/v1/feature-sets/[id]/manifest", featureSetManifest.GET as Segmented<Record<string, string>>],
    ["GET", "/api/v1/feature-sets/[id]/data", featureSetData.GET as Segmented<Record<string, string>>],
    ["GET", "/api/v1/feature-sets/[id]/feature-ids", featureSetIds.GET as Segmented<Record<string, string>>],
    ["POST", "/api/v1/feature-sets/[id]/rebuild", featureSetRebuild.POST as Segmented<Record<string, string>>],
    ["PUT", "/api/v1/models/[model]/aliases/[alias]", modelAlias.PUT as Segmented<Record<string, string>>],
    ["DELETE", "/api/v1/models/[model]/aliases/[alias]", modelAlias.DELETE as Segmented<Record<string, string>>],
    ["GET", "/api/v1/models/[model]/versions/[version]", modelVersion.GET as Segmented<Record<string, string>>],
    ["GET", "/api/v1/privacy-requests/[id]", privacyRequest.GET as Segmented<Record<string, string>>],
  ];
}

function matchDynamic(method: string, pathname: string): Handler | undefined {
  const parts = pathname.split("/");
  for (const [m, pattern, handler] of dynamicRoutes()) {
    const want = pattern.split("/");
    if (m !== method || want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = want.every((w, i) => {
      const named = /^\[(\w+)\]$/.exec(w);
      if (named) params[named[1]!] = decodeURIComponent(parts[i]!);
      return named ? parts[i] !== "" : w === parts[i];
    });
    if (ok) return (r) => handler(r, { params: Promise.resolve(params) });
  }
  return undefined;
}

export interface IngestTestServer {
  url: string;
  port: number;
  requests: number;
  stop(): Promise<void>;
  /** stops, then listens again on the same port (a server restart, as clients see it) */
  restart(downForMs?: number): Promise<void>;
}

function routes(): Record<string, Handler> {
  return {
    "POST /api/v1/events": (r) => events.POST(r),
    "OPTIONS /api/v1/events": async () => events.OPTIONS(),
    "OPTIONS /api/v1/feedback": async () => feedback.OPTIONS(),
    "POST /api/v1/otlp/v1/logs": (r) => logs.POST(r),
    "POST /api/v1/otlp/v1/traces": (r) => traces.POST(r),
    "POST /api/v1/consent": (r) => consent.POST(r),
    "PUT /api/v1/consent": (r) => consent.PUT(r),
    "POST /api/v1/feedback": (r) => feedback.POST(r),
    "GET /api/v1/whoami": (r) => whoami.GET(r),
    "GET /api/v1/openapi.json": () => openApi.GET(),
    "POST /api/v1/portal-sessions": (r) => portalSessions.POST(r),
    "POST /api/v1/privacy-requests": (r) => privacyRequests.POST(r),
    "GET /api/v1/privacy-requests": (r) => privacyRequests.GET(r),
    "GET /api/v1/feature-sets": (r) => featureSets.GET(r),
    "POST /api/v1/feature-sets": (r) => featureSets.POST(r),
    "GET /api/v1/models": (r) => models.GET(r),
    "POST /api/v1/models": (r) => models.POST(r),
    "GET /api/v1/retrain-needed": (r) => retrainNeeded.GET(r),
  };
}

export async function startIngestServer(port = 0): Promise<IngestTestServer> {
  const table = routes();
  const state = { requests: 0 };
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    state.requests++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = `http://127.0.0.1${req.url ?? "/"}`;
    const pathname = new URL(url).pathname;
    const handler = table[`${req.method} ${pathname}`] ?? matchDynamic(req.method ?? "GET", pathname);
    if (!handler) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    headers.set("x-forwarded-for", req.socket.remoteAddress ?? "127.0.0.1");
    const response = await handler(new Request(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    // Respect backpressure as a real server does, so a slow client slows the stream instead of filling memory.
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => (res.off("drain", done), res.off("close", done), resolve());
          res.on("drain", done).on("close", done);
        });
      }
    }
    res.end();
  };
  let server = http.createServer((req, res) => void handle(req, res).catch(() => res.writeHead(500).end()));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    get requests() {
      return state.requests;
    },
    stop: close,
    async restart(downForMs = 0) {
      await close();
      await new Promise((r) => setTimeout(r, downForMs));
      server = http.createServer((req, res) => void handle(req, res).catch(() => res.writeHead(500).end()));
      await new Promise<void>((resolve) => server.listen(actual, "127.0.0.1", resolve));
    },
  };
}
