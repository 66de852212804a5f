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

/**
 * What `extractFeatures` and `rebuild` resolve to: the set's feature ids (the ids of its rows, in the
 * order of its files), an array with the set's id and last status on it. The set id is what
 * `registerModel`'s `feature_sets`, `download` and `manifest` take:
 *   const ids = await extractFeatures(…); ids.length; ids.featureSetId
 *   const { featureSetId } = await extractFeatures(…)
 * The ids are fetched a page of 10,000 at a time once the set is sealed (one request per page; a set of
 * a million rows holds about 40 MB of ids). Spreading or JSON-encoding the array keeps only the ids.
 */
export interface FeatureIds extends Array<string> {
  /** the feature set's id */
  featureSetId: string;
  /** the set's status when it was sealed */
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
  /**
   * Starts an extraction and resolves, once the job has sealed the set, to its feature ids with the set's
   * id on them (`.featureSetId`). Rejects with a 409 TrainingApiError (`problem.code` "stale") if someone
   * in the set withdrew before its ids were read.
   */
  extractFeatures(featureType: FeatureType, range: { startDate: Date | string; endDate: Date | string }): Promise<FeatureIds>;
  featureSet(id: string): Promise<FeatureSetStatus>;
  /** A complete set's feature ids (its rows' ids), in the order of its files. */
  featureIds(id: string): Promise<string[]>;
  manifest(id: string): Promise<Record<string, unknown>>;
  /** The set's rows in a format, as a streamed Response body (Parquet by default). */
  download(id: string, format?: DatasetFormat): Promise<Response>;
  /** Rebuilds a stale set (consent as it is now) and resolves like extractFeatures, for the new set. */
  rebuild(id: string): Promise<FeatureIds>;
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

  async function featureIds(id: string): Promise<string[]> {
    const ids: string[] = [];
    for (let after: string | null = null; ; ) {
      const page: { ids: string[]; next: string | null } = await json("GET", `/feature-sets/${seg(id)}/feature-ids${after ? `?after=${seg(after)}` : ""}`);
      for (const featureId of page.ids) ids.push(featureId);
      if (!page.next) return ids;
      after = page.next;
    }
  }

  async function waitFor(id: string): Promise<FeatureIds> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await json<FeatureSetStatus>("GET", `/feature-sets/${seg(id)}`);
      options.onProgress?.(status);
      if (status.status === "ready" || status.status === "stale") return Object.assign(await featureIds(id), { featureSetId: id, status });
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
    featureIds,
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
