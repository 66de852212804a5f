import "server-only";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { env } from "../env";
import { logger } from "../logger";
import { guardedLookup, isPrivateAddress } from "./endpoint-url";
import { sendMail } from "./mail";
import { enqueueDelivery, type Mail } from "./outbox";
import { unseal } from "./sealed";
import { signedHeaders } from "./signing";

// One attempt of one delivery, run by the queue. A failed attempt schedules the next one with
// exponential backoff (10 s, 40 s, 2.7 min, 11 min, 43 min, 2.8 h, 11 h: eight attempts over about
// 15 hours, as Standard Webhooks suggests); the last one leaves the delivery failed, to be replayed
// from the console. The log keeps the status code, duration and a short reason — never a response body.
const BASE_DELAY_MS = 10_000;

export function backoffMs(attemptsMade: number): number {
  return Math.min(BASE_DELAY_MS * 4 ** (attemptsMade - 1), 12 * 3_600_000);
}

interface Outcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

function post(url: URL, headers: Record<string, string>, payload: string): Promise<Outcome> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && isPrivateAddress(host) && env().CLEARLOG_WEBHOOK_ALLOW_PRIVATE !== "1") return Promise.resolve({ ok: false, statusCode: null, error: "refused: private address" });
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Clearlog-Webhooks/1", "content-length": Buffer.byteLength(payload), ...headers },
        lookup: guardedLookup,
        timeout: env().CLEARLOG_WEBHOOK_TIMEOUT_MS,
      },
      (res) => {
        // The body is never read: only the status counts, and a large answer must not cost us.
        clearTimeout(deadline);
        res.destroy();
        const code = res.statusCode ?? 0;
        const ok = code >= 200 && code < 300;
        resolve({ ok, statusCode: code, error: ok ? null : code >= 300 && code < 400 ? `HTTP ${code} (redirects are not followed)` : `HTTP ${code}` });
      },
    );
    const timedOut = () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" }));
    // `timeout` is per idle socket; the deadline bounds the whole attempt (a receiver trickling bytes).
    const deadline = setTimeout(timedOut, env().CLEARLOG_WEBHOOK_TIMEOUT_MS);
    req.on("timeout", timedOut);
    req.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(deadline);
      const code = error.code ?? "";
      const reason = code === "ETIMEDOUT" ? "timeout" : code === "EPRIVATE" ? "refused: private address" : code === "ECONNREFUSED" ? "connection refused" : code === "ENOTFOUND" ? "name not found" : code ? `network error (${code})` : "network error";
      resolve({ ok: false, statusCode: null, error: reason });
    });
    req.end(payload);
  });
}

async function attempt(delivery: { channel: string; eventId: string; payloadSealed: string | null; endpoint: { url: string; secretSealed: string; enabled: boolean } | null }): Promise<Outcome> {
  if (!delivery.payloadSealed) return { ok: false, statusCode: null, error: "nothing left to send" };
  if (delivery.channel === "email") {
    if (!env().CLEARLOG_SMTP_URL) return { ok: false, statusCode: null, error: "SMTP is not configured" };
    try {
      await sendMail(JSON.parse(unseal(delivery.payloadSealed)) as Mail);
      return { ok: true, statusCode: null, error: null };
    } catch (error) {
      const code = (error as { responseCode?: number; code?: string }).responseCode ?? (error as { code?: string }).code;
      return { ok: false, statusCode: null, error: code ? `SMTP error (${code})` : "SMTP error" };
    }
  }
  const endpoint = delivery.endpoint;
  if (!endpoint) return { ok: false, statusCode: null, error: "endpoint deleted" };
  if (!endpoint.enabled) return { ok: false, statusCode: null, error: "endpoint disabled" };
  const payload = unseal(delivery.payloadSealed);
  return post(new URL(endpoint.url), { ...signedHeaders(unseal(endpoint.secretSealed), delivery.eventId, payload) }, payload);
}

/**
 * Whether a finished delivery lets go of its payload: an e-mail (it holds the address), an erasure
 * notice (it names the erased person), and one whose person was erased while it waited. Other
 * webhooks keep theirs, sealed, for replay, and go with their person's erasure.
 */
function dropWhenDone(delivery: { channel: string; eventType: string; dropPayloadWhenDone: boolean }): boolean {
  return delivery.channel === "email" || delivery.eventType === "erasure.completed" || delivery.dropPayloadWhenDone;
}

/** Runs the next attempt of a pending delivery; a delivery already done, or taken by another worker, is left alone. */
export async function deliver(deliveryId: string): Promise<void> {
  const delivery = await db().notificationDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: { select: { url: true, secretSealed: true, enabled: true } } } });
  if (!delivery || delivery.status !== "pending") return;
  const claimed = await db().notificationDelivery.updateMany({ where: { id: deliveryId, status: "pending", attempts: delivery.attempts }, data: { attempts: delivery.attempts + 1, lastAttemptAt: new Date(), nextAttemptAt: null } });
  if (claimed.count === 0) return;
  const attempts = delivery.attempts + 1;
  const started = performance.now();
  const outcome = await attempt(delivery);
  const result = { lastStatusCode: outcome.statusCode, lastDurationMs: Math.round(performance.now() - started), lastError: outcome.error };
  if (outcome.ok) {
    await db().notificationDelivery.update({ where: { id: deliveryId }, data: { ...result, status: "delivered", deliveredAt: new Date(), ...(dropWhenDone(delivery) ? { payloadSealed: null } : {}) } });
    return;
  }
  logger().warn({ component: "notifications", delivery: deliveryId, channel: delivery.channel, attempts, status: outcome.statusCode }, "delivery attempt failed");
  if (attempts >= delivery.maxAttempts || outcome.error === "endpoint deleted") {
    await db().notificationDelivery.update({ where: { id: deliveryId }, data: { ...result, status: "failed", ...(dropWhenDone(delivery) ? { payloadSealed: null } : {}) } });
    return;
  }
  const nextAttemptAt = new Date(Date.now() + backoffMs(attempts));
  await transaction(async (tx) => {
    await tx.notificationDelivery.update({ where: { id: deliveryId }, data: { ...result, nextAttemptAt } });
    await enqueueDelivery(tx, deliveryId, nextAttemptAt);
  });
}
