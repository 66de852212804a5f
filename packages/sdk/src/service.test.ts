import { afterEach, describe, expect, it, vi } from "vitest";
import { createLoggingService, loggingService } from "./index";
import type { ClearlogError } from "./errors";
import { fakeFetch } from "@/test/support/sdk-fetch";

const env = { CLEARLOG_URL: "https://logs.example.test/", CLEARLOG_API_KEY: "clk_service_key" };

function setup(vars: Record<string, string | undefined> = env) {
  const fake = fakeFetch();
  const errors: ClearlogError[] = [];
  const service = createLoggingService(() => vars);
  service.configure({ fetch: fake.fetch, flushOnPageHide: false, onError: (e) => errors.push(e) });
  return { service, calls: fake.calls, errors };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("loggingService", () => {
  it("reads CLEARLOG_URL and CLEARLOG_API_KEY from process.env when first used", async () => {
    vi.stubEnv("CLEARLOG_URL", "https://env.example.test");
    vi.stubEnv("CLEARLOG_API_KEY", "clk_from_env");
    const fake = fakeFetch();
    loggingService.configure({ fetch: fake.fetch, flushOnPageHide: false });
    expect(typeof loggingService.logUserAction("open", "menu")).toBe("string");
    await loggingService.flush();
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.url).toBe("https://env.example.test/api/v1/events");
    expect(fake.calls[0]?.init.headers).toMatchObject({ Authorization: "Bearer clk_from_env" });
    await loggingService.shutdown();
  });

  it("logUserAction(action, component, details) sends a user action", async () => {
    const { service, calls } = setup();
    const id = service.logUserAction("checkout.click", "cart", { items: 3 });
    await service.flush();
    expect(calls[0]?.url).toBe("https://logs.example.test/api/v1/events");
    expect(calls[0]?.events).toEqual([
      expect.objectContaining({ id, type: "user_action", action: "checkout.click", component: "cart", severity: "info", attributes: { items: 3 } }),
    ]);
  });

  it("logAIInteraction(operation, details): tokens is the total unless input and output are split", async () => {
    const { service, calls } = setup();
    service.logAIInteraction("chat", { model: "gpt-4o", provider: "openai", tokens: 900, prompt: "hi", response: "hello", temperature: 0.2 });
    service.logAIInteraction("chat", { model: "gpt-4o", inputTokens: 800, outputTokens: 100, tokens: 5 });
    service.logAIInteraction("chat", { model: "gpt-4o", inputTokens: 700, tokens: 900 });
    service.logAIInteraction("embeddings", { model: "text-embedding-3-small", outputTokens: 50, tokens: 60 });
    await service.flush();
    const [total, split, inputOnly, outputOnly] = calls.flatMap((c) => c.events);
    expect(total).toMatchObject({ type: "ai_interaction", attributes: { temperature: 0.2 } });
    expect(total?.ai).toEqual({ model: "gpt-4o", operation: "chat", provider: "openai", prompt: "hi", response: "hello", tokens: 900 });
    expect(split?.ai).toEqual({ model: "gpt-4o", operation: "chat", inputTokens: 800, outputTokens: 100 });
    expect(inputOnly?.ai).toEqual({ model: "gpt-4o", operation: "chat", inputTokens: 700, outputTokens: 200 });
    expect(outputOnly?.ai).toEqual({ model: "text-embedding-3-small", operation: "embeddings", inputTokens: 10, outputTokens: 50 });
  });

  it("logError(error, component) sends the error's name, message and stack", async () => {
    const { service, calls } = setup();
    const error = new TypeError("card declined");
    service.logError(error, "checkout");
    await service.flush();
    expect(calls[0]?.events[0]).toMatchObject({
      type: "error",
      severity: "error",
      component: "checkout",
      message: "card declined",
      error: { name: "TypeError", message: "card declined", stack: error.stack },
    });
  });

  it("configure() replaces the logger: what was queued is still sent, later events go to the new endpoint", async () => {
    const { service, calls } = setup();
    service.logUserAction("first", "a");
    service.configure({ endpoint: "https://other.example.test" });
    service.logUserAction("second", "a");
    await service.flush();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls.map((c) => [c.url, c.events.map((e) => e.action)])).toEqual(
      expect.arrayContaining([
        ["https://logs.example.test/api/v1/events", ["first"]],
        ["https://other.example.test/api/v1/events", ["second"]],
      ]),
    );
  });

  it("without CLEARLOG_URL it does nothing and says which variable is missing", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { service, calls, errors } = setup({ CLEARLOG_API_KEY: "clk_x" });
    expect(service.logUserAction("open", "menu")).toBeUndefined();
    await service.flush();
    expect(calls).toHaveLength(0);
    expect(errors.map((e) => e.code)).toEqual(["config"]);
    expect(errors[0]?.message).toContain("CLEARLOG_URL");
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("creates nothing until it is used", () => {
    const read = vi.fn(() => env);
    const service = createLoggingService(read);
    expect(read).not.toHaveBeenCalled();
    service.stats();
    expect(read).toHaveBeenCalledTimes(1);
  });
});
