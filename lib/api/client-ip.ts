import { isIP } from "node:net";

// The address a request came from. Next sets X-Forwarded-For from the socket when the request has
// none; a reverse proxy in front appends the address it saw. The rightmost entry is therefore the one
// written by the nearest hop we run, which a client cannot choose when a proxy is in front (the
// deployment this product documents). Used for per-IP limits and refusal counts, never stored whole.
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  const candidates = forwarded ? forwarded.split(",") : [headers.get("x-real-ip") ?? ""];
  const last = candidates[candidates.length - 1]!.trim().replace(/^\[|\]$/g, "");
  const ip = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(last)?.[1] ?? last;
  return isIP(ip) ? ip : null;
}
