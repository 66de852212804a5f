import { startSmtpSink } from "./smtp-sink";
import { startWebhookReceiver } from "./webhook-receiver";
import { e2eSinkPorts } from "./e2e-sink-ports";

// Started by Playwright next to the app (playwright.config.ts): the webhook receiver (any path under
// /hooks/) and the SMTP sink the e2e server sends to. Specs read what arrived over HTTP:
// GET /received/hooks?path=/hooks/x and GET /received/mails?to=a@b.
async function main() {
  const ports = e2eSinkPorts();
  const smtp = await startSmtpSink(ports.smtp);
  const receiver = await startWebhookReceiver(ports.http, "127.0.0.1", (req, res) => {
    const url = new URL(req.url ?? "/", "http://sink");
    if (req.method !== "GET") return false;
    const send = (v: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(v));
    if (url.pathname === "/health") send({ ok: true });
    else if (url.pathname === "/received/hooks") send(receiver.hooks.filter((h) => h.path === url.searchParams.get("path")));
    else if (url.pathname === "/received/mails") send(smtp.mails.filter((m) => m.to.includes(url.searchParams.get("to") ?? "")));
    else return false;
    return true;
  });
  const stop = () => void Promise.all([smtp.close(), receiver.close()]).then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
