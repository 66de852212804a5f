import http from "node:http";
import type { AddressInfo } from "node:net";

// A local HTTP server that records every webhook delivery (headers and raw body) and answers with the
// status a test chooses, per path: the suite's webhook receiver.
export interface ReceivedHook {
  path: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: string;
}

export interface WebhookReceiver {
  port: number;
  url: (path: string) => string;
  hooks: ReceivedHook[];
  /** answers for the next deliveries to `path`, in order (then 200) */
  answer: (path: string, ...statuses: number[]) => void;
  close: () => Promise<void>;
}

export async function startWebhookReceiver(port = 0, host = "127.0.0.1", extra?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean): Promise<WebhookReceiver> {
  const hooks: ReceivedHook[] = [];
  const planned = new Map<string, number[]>();
  const server = http.createServer((req, res) => {
    if (extra?.(req, res)) return;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0]!;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
      hooks.push({ path, headers, body: Buffer.concat(chunks).toString("utf8"), receivedAt: new Date().toISOString() });
      const status = planned.get(path)?.shift() ?? 200;
      res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "not now");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: (path) => `http://${host}:${actual}${path}`,
    hooks,
    answer: (path, ...statuses) => planned.set(path, [...(planned.get(path) ?? []), ...statuses]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
