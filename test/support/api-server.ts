import http from "node:http";
import type { AddressInfo } from "node:net";
import * as consent from "@/app/api/v1/consent/route";
import * as events from "@/app/api/v1/events/route";
import * as feedback from "@/app/api/v1/feedback/route";
import * as whoami from "@/app/api/v1/whoami/route";
import * as logs from "@/app/api/v1/otlp/v1/logs/route";
import * as traces from "@/app/api/v1/otlp/v1/traces/route";
import * as portalSessions from "@/app/api/v1/portal-sessions/route";
import * as privacyRequests from "@/app/api/v1/privacy-requests/route";
import * as privacyRequest from "@/app/api/v1/privacy-requests/[id]/route";

// Test helper: serves the real public API route handlers (events, OTLP, consent, feedback, whoami) over real HTTP on 127.0.0.1, without the rest
// of Next.js, so database tests can drive the API (and the SDK) and stop or restart the server.
type Handler = (request: Request) => Promise<Response>;

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
    "POST /api/v1/otlp/v1/logs": (r) => logs.POST(r),
    "POST /api/v1/otlp/v1/traces": (r) => traces.POST(r),
    "POST /api/v1/consent": (r) => consent.POST(r),
    "PUT /api/v1/consent": (r) => consent.PUT(r),
    "POST /api/v1/feedback": (r) => feedback.POST(r),
    "GET /api/v1/whoami": (r) => whoami.GET(r),
    "POST /api/v1/portal-sessions": (r) => portalSessions.POST(r),
    "POST /api/v1/privacy-requests": (r) => privacyRequests.POST(r),
    "GET /api/v1/privacy-requests": (r) => privacyRequests.GET(r),
  };
}

/** Routes with a path segment: `[id]` in the app's folders. */
function dynamicRoute(method: string | undefined, path: string): Handler | undefined {
  const m = /^\/api\/v1\/privacy-requests\/([^/]+)$/.exec(path);
  if (m && method === "GET") return (r) => privacyRequest.GET(r, { params: Promise.resolve({ id: decodeURIComponent(m[1]!) }) });
  return undefined;
}

export async function startIngestServer(port = 0): Promise<IngestTestServer> {
  const table = routes();
  const state = { requests: 0 };
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    state.requests++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = `http://127.0.0.1${req.url ?? "/"}`;
    const path = new URL(url).pathname;
    const handler = table[`${req.method} ${path}`] ?? dynamicRoute(req.method, path);
    if (!handler) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    headers.set("x-forwarded-for", req.socket.remoteAddress ?? "127.0.0.1");
    const response = await handler(new Request(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
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
