import { setUser } from "@arizeai/openinference-core";
import { OpenAIInstrumentation as OpenInferenceOpenAI } from "@arizeai/openinference-instrumentation-openai";
import { createOpenAI } from "@ai-sdk/openai";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { expect, test } from "@playwright/test";
import { OpenAIInstrumentation as OpenLLMetryOpenAI } from "@traceloop/instrumentation-openai";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { startFakeOpenAi } from "../test/support/fake-openai";
import { storageState } from "./accounts";
import { createIngestKey, expectCount, unique } from "./console-helpers";

// An AI call from each LLM instrumentation (Vercel AI SDK, OpenInference, OpenLLMetry), made with the
// real libraries against a fake OpenAI server and exported over OTLP/HTTP to the running app, shows in
// the logs explorer with its provider, model, tokens, cost and subject; saves
// docs/screenshots/ai-instrumentations.png.
test.use({ storageState: storageState("admin") });
test.describe.configure({ timeout: 90_000 });

// OpenLLMetry puts the user id on the parent span; SimpleSpanProcessor exports the LLM span and then
// the parent in overlapping requests, whose ingest transactions meet in trace_subjects.
test("AI calls from the AI SDK, OpenInference and OpenLLMetry show with model, tokens, cost and subject", async ({ page, baseURL }) => {
  const word = unique("invoice");
  const key = await createIngestKey(page, `instrumentations ${word}`);
  const fake = await startFakeOpenAi();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracing = (service: string) => {
    const exporter = new OTLPTraceExporter({ url: `${baseURL}/api/v1/otlp/v1/traces`, headers: { Authorization: `Bearer ${key}` } });
    const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ "service.name": service }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
    return { provider, tracer: provider.getTracer("e2e") };
  };
  try {
    // Vercel AI SDK, streaming; the user id rides in the telemetry metadata
    const sdk = tracing("ai-sdk");
    const openai = createOpenAI({ baseURL: fake.baseURL, apiKey: "sk-fake-key-for-e2e" });
    const streamed = streamText({ model: openai("gpt-4.1"), prompt: `Total of ${word} 1?`, experimental_telemetry: { isEnabled: true, tracer: sdk.tracer, metadata: { userId: "ai-demo-user-1" } } });
    await streamed.text;
    await generateText({ model: openai.chat("gpt-4o-mini"), prompt: `Total of ${word} 2?`, experimental_telemetry: { isEnabled: true, tracer: sdk.tracer, metadata: { userId: "ai-demo-user-1" } } });
    await sdk.provider.forceFlush();

    // OpenInference, the user from its context helper
    const oi = tracing("openinference");
    const oiInstrumentation = new OpenInferenceOpenAI({ tracerProvider: oi.provider });
    oiInstrumentation.manuallyInstrument(OpenAI);
    const oiClient = new OpenAI({ baseURL: fake.baseURL, apiKey: "sk-fake-key-for-e2e" });
    await context.with(setUser(context.active(), { userId: "ai-demo-user-2" }), () => oiClient.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: `Total of ${word} 3?` }] }));
    oiInstrumentation.disable();
    await oi.provider.forceFlush();

    // OpenLLMetry, the user id on the parent span
    const tl = tracing("openllmetry");
    const tlInstrumentation = new OpenLLMetryOpenAI();
    tlInstrumentation.setTracerProvider(tl.provider);
    tlInstrumentation.manuallyInstrument(OpenAI);
    const tlClient = new OpenAI({ baseURL: fake.baseURL, apiKey: "sk-fake-key-for-e2e" });
    await tl.tracer.startActiveSpan("answer-ticket", { attributes: { "user.id": "ai-demo-user-3" } }, async (span) => {
      await tlClient.chat.completions.create({ model: "claude-3-5-sonnet-20241022", messages: [{ role: "user", content: `Total of ${word} 4?` }] });
      span.end();
    });
    tlInstrumentation.disable();
    await tl.provider.forceFlush();
  } finally {
    await fake.stop();
    context.disable();
  }

  await page.setViewportSize({ width: 1680, height: 820 });
  await page.goto(`/admin/logs?type=ai_interaction&q=${word}`);
  await expectCount(page, 4);
  const rows = page.getByTestId("log-row");
  const expected = [
    ["openllmetry", "openai claude-3-5-sonnet-20241022 · 21→9 tok · $0.000198"],
    ["openinference", "openai gpt-4o · 21→9 tok · $0.000143"],
    ["ai-sdk", "openai gpt-4o-mini · 21→9 tok · $0.000009"],
    ["ai-sdk", "openai gpt-4.1 · 21→9 tok · $0.000114"],
  ];
  for (const [i, [component, details]] of expected.entries()) {
    await expect(rows.nth(i)).toContainText(component!);
    await expect(rows.nth(i)).toContainText(details!);
    await expect(rows.nth(i)).toContainText(/subject [0-9a-f]{8}…/);
  }
  await page.screenshot({ path: "docs/screenshots/ai-instrumentations.png" });
});
