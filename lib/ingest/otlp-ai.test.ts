import { describe, expect, it } from "vitest";
import type { WireEvent } from "@clearlog/sdk";
import { canonicalProvider } from "./ai-providers";
import { mapOtlpTraces } from "./otlp";

// The LLM instrumentations' span shapes → AI fields, on hand-written spans (the real libraries are
// driven end to end in llm-instrumentations.db.test.ts).
type Attr = { key: string; value: unknown };
const s = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const i = (key: string, v: number): Attr => ({ key, value: { intValue: v } });
const T0 = "1767261600000000000";
const span = (attributes: Attr[], resource: Attr[] = []) => ({
  resourceSpans: [{ resource: { attributes: [s("service.name", "app"), ...resource] }, scopeSpans: [{ scope: { name: "x" }, spans: [{ traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b174", name: "llm", startTimeUnixNano: T0, endTimeUnixNano: "1767261600500000000", attributes }] }] }],
});
const mapOne = (attributes: Attr[], resource: Attr[] = []) => {
  const mapped = mapOtlpTraces(span(attributes, resource));
  expect(mapped).toHaveLength(1);
  return mapped[0]!.event as WireEvent;
};

describe("provider names", () => {
  it("maps the names instrumentations send to the GenAI well-known values", () => {
    expect(["openai.chat", "openai.responses", "OpenAI", "openai"].map(canonicalProvider)).toEqual(["openai", "openai", "openai", "openai"]);
    expect(["azure.openai", "azure-openai.chat", "az.ai.openai"].map(canonicalProvider)).toEqual(["azure.ai.openai", "azure.ai.openai", "azure.ai.openai"]);
    expect(canonicalProvider("anthropic.messages")).toBe("anthropic");
    expect(canonicalProvider("google.generative-ai")).toBe("gcp.gemini");
    expect(canonicalProvider("google.vertex.chat")).toBe("gcp.vertex_ai");
    expect(canonicalProvider("amazon-bedrock")).toBe("aws.bedrock");
    expect(canonicalProvider("ollama.chat")).toBe("ollama");
    expect(canonicalProvider("")).toBeUndefined();
  });
});

describe("LLM instrumentation spans", () => {
  it("reads legacy GenAI attributes as OpenLLMetry sends them: indexed prompts, total tokens, association properties", () => {
    const e = mapOne([
      s("gen_ai.system", "OpenAI"), s("gen_ai.request.model", "gpt-4o"), s("llm.request.type", "chat"),
      s("gen_ai.prompt.0.role", "system"), s("gen_ai.prompt.0.content", "Be brief."),
      s("gen_ai.prompt.1.role", "user"), s("gen_ai.prompt.1.content", "Total?"),
      s("gen_ai.completion.0.role", "assistant"), s("gen_ai.completion.0.content", "42"),
      i("llm.usage.total_tokens", 30),
      s("traceloop.association.properties.user_id", "u-7"), s("traceloop.association.properties.session_id", "s-7"),
    ]);
    expect(e.type).toBe("ai_interaction");
    expect(e.ai).toMatchObject({ provider: "OpenAI", model: "gpt-4o", operation: "chat", prompt: "Total?", response: "42", tokens: 30 });
    expect([e.subject, e.sessionId]).toEqual(["u-7", "s-7"]);
    expect(JSON.stringify(e.attributes)).not.toContain("u-7");
  });

  it("maps OpenInference indexed message contents and takes `user` out of the invocation parameters", () => {
    const e = mapOne([
      s("openinference.span.kind", "LLM"), s("llm.model_name", "gpt-4.1"), s("llm.provider", "openai"),
      s("llm.invocation_parameters", JSON.stringify({ model: "gpt-4.1", user: "end-user-1", temperature: 0 })),
      s("input.value", JSON.stringify({ model: "gpt-4.1", input: "Hi", user: "end-user-1" })),
      s("llm.input_messages.0.message.role", "user"), s("llm.input_messages.0.message.contents.0.message_content.text", "Hi"),
      s("llm.output_messages.0.message.role", "assistant"), s("llm.output_messages.0.message.contents.0.message_content.text", "Hello"),
      i("llm.token_count.prompt", 3), i("llm.token_count.completion", 2), i("llm.token_count.total", 5),
    ]);
    expect(e.ai).toMatchObject({ provider: "openai", model: "gpt-4.1", prompt: "Hi", response: "Hello", inputTokens: 3, outputTokens: 2 });
    expect(e.subject).toBe("end-user-1");
    expect(e.attributes?.["llm.invocation_parameters"]).toBe(JSON.stringify({ model: "gpt-4.1", temperature: 0 }));
    expect(JSON.stringify(e.attributes)).not.toContain("end-user-1");
  });

  it("falls back to input.value / output.value when OpenInference sends no message list", () => {
    const e = mapOne([
      s("openinference.span.kind", "LLM"), s("llm.model_name", "gpt-4o"),
      s("input.value", JSON.stringify({ messages: [{ role: "user", content: "Q?" }] })),
      s("output.value", JSON.stringify({ choices: [{ message: { role: "assistant", content: "A." } }] })),
    ]);
    expect(e.ai).toMatchObject({ prompt: "Q?", response: "A." });
  });

  it("keeps OpenInference chains and tools as system events", () => {
    expect(mapOne([s("openinference.span.kind", "CHAIN"), s("input.value", "q")]).type).toBe("system");
  });

  it("stores the AI SDK's outer span as a system event without prompt or response, the inner as the AI interaction", () => {
    const outer = mapOne([s("ai.operationId", "ai.generateText"), s("ai.model.id", "gpt-4o"), s("ai.prompt", '{"prompt":"secret plan"}'), s("ai.response.text", "the answer"), i("ai.usage.inputTokens", 5)]);
    expect(outer.type).toBe("system");
    expect(JSON.stringify(outer)).not.toContain("secret plan");
    expect(JSON.stringify(outer)).not.toContain("the answer");
    const inner = mapOne([
      s("ai.operationId", "ai.streamText.doStream"), s("ai.model.id", "gpt-4o"), s("ai.model.provider", "openai.responses"), s("gen_ai.system", "openai.responses"),
      s("ai.prompt.messages", JSON.stringify([{ role: "user", content: [{ type: "text", text: "secret plan" }] }])), s("ai.response.text", "the answer"),
      i("ai.usage.promptTokens", 5), i("ai.usage.completionTokens", 7), s("ai.telemetry.metadata.userId", "u-9"),
    ]);
    expect(inner.ai).toMatchObject({ provider: "openai.responses", model: "gpt-4o", prompt: "secret plan", response: "the answer", inputTokens: 5, outputTokens: 7 });
    expect(inner.subject).toBe("u-9");
    expect(inner.attributes?.["ai.prompt.messages"]).toBeUndefined();
  });

  it("takes a resource enduser.id as the subject when the span names none, and never keeps it under attributes.resource", () => {
    const e = mapOne([s("user.id", "span-user")], [s("enduser.id", "resource-user")]);
    expect(e.subject).toBe("span-user");
    expect(JSON.stringify(e.attributes)).not.toContain("resource-user");
    expect(mapOne([], [s("enduser.id", "resource-user")]).subject).toBe("resource-user");
  });
});
