// The training API for scripts and notebooks in TypeScript (Node 18+): extract feature sets and wait for
// them, download their data, register model versions. Needs an API key of a data scientist with the
// `training:read`, `training:write` and `registry:write` scopes. No dependencies: fetch only.

export type FeatureType = "user_behavior" | "ai_usage" | "error_patterns";
export type DatasetFormat = "csv" | "jsonl" | "parquet";

export interface FeatureSetStatus {
  id: string;
  featureType: FeatureType;
  status: "building" | "failed" | "ready" | "stale";
  job: { id: string; status: string; stage: string | null; processed: number; total: number | null; error: string | null } | null;
  rows: number;
  subjects: number;
  digest: string | null;
  rebuiltFrom: string | null;
  rebuiltAs: string[];
  [key: string]: unknown;
}

export interface ExtractedFeatureSet {
  /** the feature set's id: what registerModel's `feature_sets` takes */
  featureSetId: string;
  status: FeatureSetStatus;
}

export interface RegisterModelOptions {
  model_name: string;
  model_type: string;
  model_version: string;
  model_description?: string;
  /** feature set ids the version was trained on */
  feature_sets: string[];
  /** true points the `production` alias at this version: a model has one active version */
  is_active?: boolean;
  metrics?: Record<string, number>;
  parameters?: Record<string, unknown>;
  tags?: string[];
  artifact_uri?: string;
}

export interface RetrainNeededVersion {
  modelId: string;
  modelName: string;
  versionId: string;
  version: string;
  aliases: string[];
  withdrawnSubjects: number;
  staleFeatureSets: { id: string; featureType: FeatureType; staleSince: string | null; rebuiltSet: { id: string; ready: boolean } | null }[];
}

export interface TrainingClientOptions {
  endpoint: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** how often extractFeatures polls the job (default 1000 ms) */
  pollMs?: number;
  /** how long extractFeatures waits (default 1 h) */
  timeoutMs?: number;
  /** called on every poll with the set's status */
  onProgress?: (status: FeatureSetStatus) => void;
}

/** An error answer of the training API: `status`, the problem's `code` and `field`, and the whole problem. */
export class TrainingApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { detail?: string; code?: string; field?: string; rebuiltSet?: string | null; [k: string]: unknown },
  ) {
    super(`Clearlog training API answered ${status}: ${problem.detail ?? "no details"}`);
    this.name = "TrainingApiError";
  }
}

export interface ModelTrainingService {
  /** Starts an extraction and resolves once the job has sealed the set. */
  extractFeatures(featureType: FeatureType, range: { startDate: Date | string; endDate: Date | string }): Promise<ExtractedFeatureSet>;
  featureSet(id: string): Promise<FeatureSetStatus>;
  manifest(id: string): Promise<Record<string, unknown>>;
  /** The set's rows in a format, as a streamed Response body (Parquet by default). */
  download(id: string, format?: DatasetFormat): Promise<Response>;
  rebuild(id: string): Promise<ExtractedFeatureSet>;
  /** Registers a version (the design's field names); resolves to the model and version ids. */
  registerModel(options: RegisterModelOptions): Promise<{ modelId: string; versionId: string }>;
  setAlias(modelName: string, alias: string, version: string): Promise<void>;
  retrainNeeded(aliases?: string[]): Promise<RetrainNeededVersion[]>;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : d);
const seg = encodeURIComponent;

export function createModelTrainingService(options: TrainingClientOptions): ModelTrainingService {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = `${options.endpoint.replace(/\/+$/, "")}/api/v1`;
  const pollMs = options.pollMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 3_600_000;

  async function request(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await doFetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${options.apiKey}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new TrainingApiError(response.status, (await response.json().catch(() => ({}))) as TrainingApiError["problem"]);
    return response;
  }
  const json = async <T>(method: string, path: string, body?: unknown) => (await (await request(method, path, body)).json()) as T;

  async function waitFor(id: string): Promise<ExtractedFeatureSet> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await json<FeatureSetStatus>("GET", `/feature-sets/${seg(id)}`);
      options.onProgress?.(status);
      if (status.status === "ready" || status.status === "stale") return { featureSetId: id, status };
      if (status.status === "failed") throw new TrainingApiError(500, { detail: status.job?.error ?? "The extraction failed", code: "extraction_failed" });
      if (Date.now() > deadline) throw new TrainingApiError(504, { detail: `Feature set ${id} is still building`, code: "timeout" });
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  return {
    async extractFeatures(featureType, range) {
      const { id } = await json<{ id: string }>("POST", "/feature-sets", { featureType, startDate: iso(range.startDate), endDate: iso(range.endDate) });
      return waitFor(id);
    },
    featureSet: (id) => json("GET", `/feature-sets/${seg(id)}`),
    manifest: (id) => json("GET", `/feature-sets/${seg(id)}/manifest`),
    download: (id, format = "parquet") => request("GET", `/feature-sets/${seg(id)}/data?format=${format}`),
    async rebuild(id) {
      const started = await json<{ id: string }>("POST", `/feature-sets/${seg(id)}/rebuild`);
      return waitFor(started.id);
    },
    registerModel: (o) => json("POST", "/models", o),
    async setAlias(modelName, alias, version) {
      await request("PUT", `/models/${seg(modelName)}/aliases/${seg(alias)}`, { version });
    },
    async retrainNeeded(aliases) {
      const query = aliases?.length ? `?alias=${seg(aliases.join(","))}` : "";
      return (await json<{ versions: RetrainNeededVersion[] }>("GET", `/retrain-needed${query}`)).versions;
    },
  };
}
