import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { secret } from "../env";

// Webhook secrets must be recoverable to sign, and outbox payloads can name the application's user or
// the requester's address, so both are sealed at rest: AES-256-GCM under a key derived (HKDF-SHA256)
// from CLEARLOG_SECRET for this one use. Rotating CLEARLOG_SECRET makes them unreadable: endpoints
// then get a new secret (docs/privacy.md, "Notifications").
const VERSION = "v1";

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", secret(), Buffer.alloc(0), "clearlog notifications v1", 32));
}

export function seal(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function unseal(sealed: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("Not a sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
