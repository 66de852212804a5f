import "server-only";

// Token buckets in memory, per server process: each request takes a token; tokens refill at `rate`
// per second up to `burst`. A bucket set per purpose (per IP before authentication, per API key after).
interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

const MAX_BUCKETS = 50_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limits: () => { rate: number; burst: number }) {}

  take(key: string, now = Date.now()): RateDecision {
    const { rate, burst } = this.limits();
    if (rate <= 0) return { ok: true };
    let bucket = this.buckets.get(key);
    if (!bucket) {
      // Full buckets carry no information: under a flood of new keys, forget the oldest.
      if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { tokens: burst, updatedAt: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)) };
  }

  reset(): void {
    this.buckets.clear();
  }
}
