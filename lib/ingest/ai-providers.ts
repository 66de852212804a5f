// Provider names as instrumentations send them → one canonical set: the well-known values of the
// OpenTelemetry GenAI attribute `gen_ai.provider.name` (openai, azure.ai.openai, anthropic, aws.bedrock,
// gcp.gemini, gcp.vertex_ai, mistral_ai, x_ai, …). The Vercel AI SDK sends `openai.chat` or
// `openai.responses`, OpenInference `openai` in llm.system / llm.provider, older SDKs `OpenAI` or
// `azure.openai`. An unknown name is kept as sent, without an AI SDK suffix (`ollama.chat` → `ollama`).
const ALIASES: Record<string, string> = {
  openai: "openai",
  "azure.ai.openai": "azure.ai.openai",
  "azure.openai": "azure.ai.openai",
  azure_openai: "azure.ai.openai",
  "azure-openai": "azure.ai.openai",
  azure: "azure.ai.openai",
  "az.ai.openai": "azure.ai.openai",
  "azure.ai.inference": "azure.ai.inference",
  "az.ai.inference": "azure.ai.inference",
  anthropic: "anthropic",
  "aws.bedrock": "aws.bedrock",
  "amazon-bedrock": "aws.bedrock",
  bedrock: "aws.bedrock",
  aws_bedrock: "aws.bedrock",
  "gcp.gemini": "gcp.gemini",
  google: "gcp.gemini",
  "google.generative-ai": "gcp.gemini",
  "google.generative_ai": "gcp.gemini",
  gemini: "gcp.gemini",
  "gcp.vertex_ai": "gcp.vertex_ai",
  "google.vertex": "gcp.vertex_ai",
  vertex: "gcp.vertex_ai",
  vertexai: "gcp.vertex_ai",
  vertex_ai: "gcp.vertex_ai",
  "gcp.gen_ai": "gcp.gen_ai",
  mistral: "mistral_ai",
  mistralai: "mistral_ai",
  mistral_ai: "mistral_ai",
  xai: "x_ai",
  x_ai: "x_ai",
  cohere: "cohere",
  groq: "groq",
  deepseek: "deepseek",
  perplexity: "perplexity",
  "ibm.watsonx.ai": "ibm.watsonx.ai",
  watsonx: "ibm.watsonx.ai",
};

/** Suffixes the AI SDK adds to a provider id for the API it calls (`openai.chat`, `anthropic.messages`). */
const API_SUFFIX = /\.(chat|responses|completion|completions|messages|embedding|embeddings|image|transcription|speech|text|generative-ai)$/;

export function canonicalProvider(raw: string | undefined | null): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const name = raw.trim().toLowerCase().replace(/\s+/g, "_");
  if (name === "") return undefined;
  if (ALIASES[name]) return ALIASES[name];
  const base = name.replace(API_SUFFIX, "");
  if (ALIASES[base]) return ALIASES[base];
  // `google.vertex.chat` → google.vertex; `azure-openai.responses` → azure-openai
  const known = ALIASES[base.split(".").slice(0, 2).join(".")] ?? ALIASES[base.split(".")[0]!];
  if (known) return known;
  // unknown: kept as sent (it may even be a pasted secret the credential scan must still see),
  // only an AI SDK suffix on a plain lower-case id goes
  const raw0 = raw.trim();
  return (/^[a-z][a-z0-9_-]*\.[a-z-]+$/.test(raw0) ? raw0.replace(API_SUFFIX, "") : raw0).slice(0, 100);
}
