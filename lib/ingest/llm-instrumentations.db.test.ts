import { setSession, setUser } from "@arizeai/openinference-core";
import { OpenAIInstrumentation as OpenInferenceOpenAI } from "@arizeai/openinference-instrumentation-openai";
import { createOpenAI } from "@ai-sdk/openai";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OpenAIInstrumentation as OpenLLMetryOpenAI } from "@traceloop/instrumentation-openai";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { database } from "../db/client";
import { activePrices } from "../pricing/price-cache";
import { costOf } from "../pricing/price-match";
import { pseudonymFor } from "../privacy/pseudonym";
import { secret } from "../env";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { FAKE_REPLY, FAKE_USAGE, startFakeOpenAi, type FakeOpenAi } from "@/test/support/fake-openai";

// The LLM instrumentations people use, as they are: the real `ai` + `@ai-sdk/openai`, `openai` with
// OpenInference's and OpenLLMetry's instrumentations, calling a fake OpenAI-compatible server on
// loopback (test/support/fake-openai.ts), exporting with the official OTLP/HTTP exporter to the real
// route over real HTTP, one span per export (SimpleSpanProcessor), so a trace's spans arrive apart.
let fake: FakeOpenAi;
let server: IngestTestServer;
let key: string;
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${seq++}`;

function tracing(service: string, resource: Record<string, string> = {}) {
  const exporter = new OTLPTraceExporter({ url: `${server.url}/api/v1/otlp/v1/traces`, headers: { Authorization: `Bearer ${key}` } });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service, ...resource }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { provider, tracer: provider.getTracer("llm-instrumentations-test") };
}

interface Row {
  type: string;
  name: string;
  gen_ai_provider_name: string | null;
  gen_ai_request_model: string | null;
  gen_ai_operation_name: string | null;
  gen_ai_usage_input_tokens: number | null;
  gen_ai_usage_output_tokens: number | null;
  gen_ai_cost_usd: string | null;
  gen_ai_latency_ms: number | null;
  subject_pseudonym: string | null;
  session_id: string | null;
  payload: { gen_ai?: { prompt?: string; response?: string }; attributes?: Record<string, unknown> };
  row_text: string;
}

async function rowsOf(component: string): Promise<Row[]> {
  const { rows } = await database().pool.query<Row>("SELECT s.*, s::text AS row_text FROM system_logs s WHERE component = $1 ORDER BY occurred_at, event_id", [component]);
  return rows;
}

const pseudonym = (id: string) => pseudonymFor(id, secret());

async function expectedCost(model: string, input: number | null, output: number | null) {
  return costOf(await activePrices(), model, input, output);
}

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  key = (await createApiKey({ name: "LLM instrumentations", scopes: ["ingest"] }, { type: "cli" })).secret;
  [fake, server] = await Promise.all([startFakeOpenAi(), startIngestServer()]);
});

afterAll(async () => {
  await Promise.all([fake?.stop(), server?.stop()]);
  context.disable();
});

describe("LLM instrumentations through OTLP", () => {
  it("Vercel AI SDK: one AI row per call (generateText, streamText), provider openai, cost from the price table, metadata.userId as the subject", async () => {
    const service = unique("ai-sdk");
    const user = unique("ai-sdk-user");
    const { provider, tracer } = tracing(service);
    const openai = createOpenAI({ baseURL: fake.baseURL, apiKey: "sk-fake-key-for-tests" });
    const telemetry = { isEnabled: true, tracer, metadata: { userId: user, sessionId: "ai-sdk-session" } };

    const generated = await generateText({ model: openai("gpt-4.1"), prompt: "What is my invoice total?", experimental_telemetry: telemetry });
    expect(generated.text).toBe(FAKE_REPLY);
    const streamed = streamText({ model: openai.chat("gpt-4o-mini"), system: "Be brief.", prompt: "And the streamed total?", experimental_telemetry: telemetry });
    expect(await streamed.text).toBe(FAKE_REPLY);
    await provider.forceFlush();

    const rows = await rowsOf(service);
    const ai = rows.filter((r) => r.type === "ai_interaction");
    expect(ai.map((r) => [r.name, r.gen_ai_provider_name, r.gen_ai_request_model])).toEqual([
      ["ai.generateText.doGenerate", "openai", "gpt-4.1"],
      ["ai.streamText.doStream", "openai", "gpt-4o-mini"],
    ]);
    for (const r of ai) {
      expect([r.gen_ai_usage_input_tokens, r.gen_ai_usage_output_tokens]).toEqual([FAKE_USAGE.input, FAKE_USAGE.output]);
      expect(r.subject_pseudonym).toBe(pseudonym(user));
      expect(r.session_id).toBe("ai-sdk-session");
      expect(r.payload.gen_ai?.response).toBe(FAKE_REPLY);
      expect(r.gen_ai_latency_ms).not.toBeNull();
    }
    expect(Number(ai[0]!.gen_ai_cost_usd)).toBe(0.000114); // 21 × $2/M + 9 × $8/M
    expect(Number(ai[1]!.gen_ai_cost_usd)).toBe(await expectedCost("gpt-4o-mini", FAKE_USAGE.input, FAKE_USAGE.output));
    expect(ai[0]!.payload.gen_ai?.prompt).toBe("What is my invoice total?");
    expect(ai[1]!.payload.attributes?.["ai.response.msToFirstChunk"]).toEqual(expect.any(Number));

    // the outer spans stay as system events, without the prompt or the response
    const outer = rows.filter((r) => r.type === "system");
    expect(outer.map((r) => r.name).sort()).toEqual(["ai.generateText", "ai.streamText"]);
    for (const r of outer) {
      expect(r.row_text).not.toContain("invoice total");
      expect(r.row_text).not.toContain(FAKE_REPLY);
      expect(r.subject_pseudonym).toBe(pseudonym(user));
    }
    for (const r of rows) expect(r.row_text).not.toContain(user);
  });

  it("OpenInference: LLM spans become AI rows; OpenAI's `user` and the context's user.id become the subject, never kept raw", async () => {
    const service = unique("openinference");
    const paramUser = unique("oi-param-user");
    const contextUser = unique("oi-context-user");
    const { provider } = tracing(service);
    const instrumentation = new OpenInferenceOpenAI({ tracerProvider: provider });
    instrumentation.manuallyInstrument(OpenAI);
    const client = new OpenAI({ baseURL: fake.baseURL, apiKey: "sk-fake-key-for-tests" });

    await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Total of invoice 7?" }], user: paramUser });
    await context.with(setSession(setUser(context.active(), { userId: contextUser }), { sessionId: "oi-session" }), async () => {
      const stream = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Stream it" }], stream: true, stream_options: { include_usage: true } });
      for await (const chunk of stream) void chunk;
    });
    instrumentation.disable();
    await provider.forceFlush();

    const rows = await rowsOf(service);
    expect(rows.map((r) => [r.type, r.gen_ai_provider_name, r.gen_ai_request_model])).toEqual([
      ["ai_interaction", "openai", "gpt-4o"],
      ["ai_interaction", "openai", "gpt-4o-mini"],
    ]);
    const [plain, streamed] = rows as [Row, Row];
    expect([plain.gen_ai_usage_input_tokens, plain.gen_ai_usage_output_tokens]).toEqual([FAKE_USAGE.input, FAKE_USAGE.output]);
    expect(Number(plain.gen_ai_cost_usd)).toBe(await expectedCost("gpt-4o", FAKE_USAGE.input, FAKE_USAGE.output));
    expect(plain.payload.gen_ai).toMatchObject({ prompt: "Total of invoice 7?", response: FAKE_REPLY });
    expect(plain.subject_pseudonym).toBe(pseudonym(paramUser));
    expect(plain.payload.attributes?.["input.value"]).toBeUndefined();
    // The instrumentation records no token counts for streamed chat completions: no tokens, no cost.
    expect(streamed.payload.gen_ai).toMatchObject({ prompt: "Stream it", response: FAKE_REPLY });
    expect(streamed.subject_pseudonym).toBe(pseudonym(contextUser));
    expect(streamed.session_id).toBe("oi-session");
    for (const r of rows) expect(r.row_text).not.toContain(paramUser);
    for (const r of rows) expect(r.row_text).not.toContain(contextUser);
  });

  it("OpenLLMetry: the parent span's user.id reaches the LLM spans exported before it; streaming with estimated tokens", async () => {
    const service = unique("openllmetry");
    const user = unique("tl-user");
    const { provider, tracer } = tracing(service);
    const instrumentation = new OpenLLMetryOpenAI({ enrichTokens: true });
    instrumentation.setTracerProvider(provider);
    instrumentation.manuallyInstrument(OpenAI);
    const client = new OpenAI({ baseURL: fake.baseURL, apiKey: "sk-fake-key-for-tests" });

    await tracer.startActiveSpan("handle-chat", { attributes: { "user.id": user, "session.id": "tl-session" } }, async (span) => {
      await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Invoice 9 total?" }] });
      const stream = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Streamed please" }], stream: true });
      for await (const chunk of stream) void chunk;
      // the LLM spans are exported (and stored) before their parent carries the user id in
      await provider.forceFlush();
      expect((await rowsOf(service)).map((r) => r.subject_pseudonym)).toEqual([null, null]);
      span.end();
    });
    instrumentation.disable();
    await provider.forceFlush();

    const rows = await rowsOf(service);
    const ai = rows.filter((r) => r.type === "ai_interaction");
    expect(ai.map((r) => [r.gen_ai_provider_name, r.gen_ai_request_model, r.gen_ai_operation_name])).toEqual([
      ["openai", "gpt-4o-mini", "chat"],
      ["openai", "gpt-4o", "chat"],
    ]);
    expect([ai[0]!.gen_ai_usage_input_tokens, ai[0]!.gen_ai_usage_output_tokens]).toEqual([FAKE_USAGE.input, FAKE_USAGE.output]);
    expect(Number(ai[0]!.gen_ai_cost_usd)).toBe(await expectedCost("gpt-4o-mini", FAKE_USAGE.input, FAKE_USAGE.output));
    expect(ai[1]!.gen_ai_usage_output_tokens).toBeGreaterThan(0); // counted by the instrumentation (enrichTokens)
    expect(Number(ai[1]!.gen_ai_cost_usd)).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.subject_pseudonym).toBe(pseudonym(user));
      expect(r.session_id).toBe("tl-session");
      expect(r.row_text).not.toContain(user);
    }
  });

  it("a resource enduser.id becomes the subject of every span and is not kept under attributes.resource", async () => {
    const service = unique("resource-user");
    const user = unique("resource-user-id");
    const { provider, tracer } = tracing(service, { "enduser.id": user });
    const openai = createOpenAI({ baseURL: fake.baseURL, apiKey: "sk-fake-key-for-tests" });
    await generateText({ model: openai("gpt-4o"), prompt: "Hello", experimental_telemetry: { isEnabled: true, tracer } });
    await provider.forceFlush();
    const rows = await rowsOf(service);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.subject_pseudonym).toBe(pseudonym(user));
      expect(r.row_text).not.toContain(user);
    }
  });
});
