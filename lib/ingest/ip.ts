import { isIP } from "node:net";

// Sessions keep only the network an address belongs to: /24 for IPv4, /48 for IPv6.
export function truncateIp(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let ip = raw.split(",")[0]!.trim();
  if (ip.startsWith("[")) ip = ip.slice(1, ip.indexOf("]"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  if (isIP(ip) === 4) return `${ip.split(".").slice(0, 3).join(".")}.0/24`;
  if (isIP(ip) === 6) {
    const [head = "", tail = ""] = ip.split("::");
    const left = head ? head.split(":") : [];
    const right = tail ? tail.split(":") : [];
    const full = ip.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
    return `${full.slice(0, 3).map((h) => h.toLowerCase().replace(/^0+(?=.)/, "")).join(":")}::/48`;
  }
  return null;
}
