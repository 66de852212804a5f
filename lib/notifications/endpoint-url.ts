import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { env } from "../env";
import { SafeError } from "../errors";

// Webhook URLs are chosen by admins but fetched by the server, so they must not reach the server's own
// network (SSRF): https only, no credentials in the URL, and no loopback, private, link-local, CGNAT,
// multicast or unspecified address — checked when the endpoint is saved and again, on the address
// actually connected to, at every delivery (a name can resolve differently later). A deployment that
// delivers inside its own network sets CLEARLOG_WEBHOOK_ALLOW_PRIVATE=1 (tests do), which also allows http.
const blocked = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96]] as const) blocked.addSubnet(net, bits, "ipv6");

function privateAllowed(): boolean {
  return env().CLEARLOG_WEBHOOK_ALLOW_PRIVATE === "1";
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, "ipv4");
  return blocked.check(address, family === 6 ? "ipv6" : "ipv4");
}

function refuse(message: string): never {
  throw new SafeError(message, "invalid", { field: "url" });
}

/** Checks the form of a webhook URL; returns it normalised. */
export function checkEndpointUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    refuse("url must be a full URL, e.g. https://app.example.com/hooks/clearlog");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && privateAllowed())) refuse("url must start with https://");
  if (url.username || url.password) refuse("url must not carry a user name or password; the signature authenticates Clearlog");
  if (url.hash) refuse("url must not have a #fragment");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!privateAllowed() && (host === "localhost" || host.endsWith(".localhost") || (isIP(host) && isPrivateAddress(host)))) {
    refuse("url points to a private or local address, which webhooks may not reach");
  }
  return url;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}

/** The check when saving: the name must resolve, and to public addresses only. */
export async function checkEndpointTarget(raw: string): Promise<URL> {
  const url = checkEndpointUrl(raw);
  if (privateAllowed()) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return url;
  const addresses = await resolveAll(host).catch(() => refuse(`url: the name ${host} does not resolve`));
  if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) refuse("url resolves to a private or local address, which webhooks may not reach");
  return url;
}

/** A `lookup` for http(s).request that refuses private addresses at connection time (DNS rebinding). */
export const guardedLookup: typeof dnsLookup = ((host: string, options: object, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
  dnsLookup(host, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "");
    const list = addresses as LookupAddress[];
    if (!privateAllowed() && list.some((a) => isPrivateAddress(a.address))) {
      return callback(Object.assign(new Error("private address"), { code: "EPRIVATE" }), "");
    }
    if ((options as { all?: boolean }).all) return callback(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
}) as typeof dnsLookup;
