import { env } from "../env";

// Per-API-key token bucket, in memory: each request takes a token; tokens refill at
// CLEARLOG_INGEST_RATE_PER_SECOND up to CLEARLOG_INGEST_RATE_BURST. Per server process; 0 disables.
interface Bucket {
  tokens: number;
  updatedAt: number;
}

const buckets = new Map<string, Bucket>();

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export function takeToken(key: string, now = Date.now()): RateDecision {
  const { CLEARLOG_INGEST_RATE_PER_SECOND: rate, CLEARLOG_INGEST_RATE_BURST: burst } = env();
  if (rate <= 0) return { ok: true };
  const bucket = buckets.get(key) ?? { tokens: burst, updatedAt: now };
  bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
  bucket.updatedAt = now;
  buckets.set(key, bucket);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return { ok: true };
  }
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)) };
}

export function resetRateLimits(): void {
  buckets.clear();
}
