import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateSecret, signedHeaders, verifySignature } from "./signing";

// The signature is checked against an independent computation (node:crypto, written out here as a
// receiver would), not against the module's own helper.
describe("webhook signatures (Standard Webhooks)", () => {
  const secret = generateSecret();
  const body = JSON.stringify({ type: "webhook.test", timestamp: "2026-12-03T12:00:00.000Z", data: {} });
  const at = new Date();

  it("signs id.timestamp.body with HMAC-SHA256 under the base64-decoded secret", () => {
    const headers = signedHeaders(secret, "msg_1", body, at);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(headers["webhook-timestamp"]).toBe(String(Math.floor(at.getTime() / 1000)));
    const key = Buffer.from(secret.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key).update(`msg_1.${headers["webhook-timestamp"]}.${body}`).digest("base64");
    expect(headers["webhook-signature"]).toBe(`v1,${expected}`);
  });

  it("verifies, and refuses a changed body, another secret, an old timestamp", () => {
    const headers = { ...signedHeaders(secret, "msg_2", body, at) };
    expect(verifySignature(secret, headers, body)).toBe(true);
    expect(verifySignature(secret, headers, body.replace("test", "tost"))).toBe(false);
    expect(verifySignature(generateSecret(), headers, body)).toBe(false);
    expect(verifySignature(secret, headers, body, 300, at.getTime() + 301_000)).toBe(false);
    // Several signatures (during a secret rotation on the receiver's side): any one matching is enough.
    expect(verifySignature(secret, { ...headers, "webhook-signature": `v1,AAAA ${headers["webhook-signature"]}` }, body)).toBe(true);
  });
});
