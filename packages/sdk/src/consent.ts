// Consent helpers for applications: read and change a person's consent, and check it before tracking.
// Needs an API key with the `consent` scope (keep it on your server; browsers get an ingest-only key).
export interface PurposeConsent {
  granted: boolean;
  method: string;
  updatedAt: string | null;
}

export interface ConsentClientOptions {
  endpoint: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** how long `hasConsent` trusts a previous answer (default 30 s) */
  cacheMs?: number;
}

export interface ConsentClient {
  getConsent(subject: string): Promise<Record<string, PurposeConsent>>;
  setConsent(subject: string, purposes: Record<string, boolean>): Promise<Record<string, PurposeConsent>>;
  /** false when the purpose is not granted, unknown, or Clearlog cannot be reached: when in doubt, do not track */
  hasConsent(subject: string, purpose: string): Promise<boolean>;
}

export function createConsentClient(options: ConsentClientOptions): ConsentClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const url = `${options.endpoint.replace(/\/+$/, "")}/api/v1/consent`;
  const cacheMs = options.cacheMs ?? 30_000;
  const cache = new Map<string, { at: number; purposes: Record<string, PurposeConsent> }>();

  async function call(method: "POST" | "PUT", body: unknown): Promise<Record<string, PurposeConsent>> {
    const response = await doFetch(url, {
      method,
      headers: { Authorization: `Bearer ${options.apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const data = (await response.json().catch(() => ({}))) as { purposes?: Record<string, PurposeConsent>; error?: string };
    if (!response.ok || !data.purposes) throw new Error(`Clearlog consent API answered ${response.status}: ${data.error ?? "no details"}`);
    return data.purposes;
  }

  const remember = (subject: string, purposes: Record<string, PurposeConsent>) => {
    cache.set(subject, { at: Date.now(), purposes });
    return purposes;
  };

  return {
    async getConsent(subject) {
      return remember(subject, await call("POST", { subject }));
    },
    async setConsent(subject, purposes) {
      return remember(subject, await call("PUT", { subject, purposes }));
    },
    async hasConsent(subject, purpose) {
      try {
        const hit = cache.get(subject);
        const purposes = hit && Date.now() - hit.at < cacheMs ? hit.purposes : remember(subject, await call("POST", { subject }));
        return purposes[purpose]?.granted === true;
      } catch {
        return false;
      }
    },
  };
}
