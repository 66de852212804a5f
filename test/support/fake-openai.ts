import http from "node:http";
import type { AddressInfo } from "node:net";

// Test helper: a small OpenAI-compatible server on 127.0.0.1 for driving the real client libraries
// (`openai`, `@ai-sdk/openai`) and their instrumentations without the network. It answers
// POST /v1/chat/completions and POST /v1/responses, streaming (SSE) when the request asks for it, always
// with usage, and keeps the request bodies it received so a test can check what the client sent.
export interface FakeOpenAi {
  /** base URL for the clients, ending in /v1 */
  baseURL: string;
  requests: { path: string; body: Record<string, unknown> }[];
  stop(): Promise<void>;
}

export const FAKE_USAGE = { input: 21, output: 9 };
export const FAKE_REPLY = "Your invoice total is 42 euros.";

const created = () => Math.floor(Date.now() / 1000);

function chatCompletion(model: string) {
  return {
    id: "chatcmpl-fake1",
    object: "chat.completion",
    created: created(),
    model,
    choices: [{ index: 0, message: { role: "assistant", content: FAKE_REPLY, refusal: null }, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: FAKE_USAGE.input, completion_tokens: FAKE_USAGE.output, total_tokens: FAKE_USAGE.input + FAKE_USAGE.output },
  };
}

function chatChunks(model: string): unknown[] {
  const base = { id: "chatcmpl-fake2", object: "chat.completion.chunk", created: created(), model };
  const words = FAKE_REPLY.split(/(?<= )/);
  return [
    { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
    ...words.map((w) => ({ ...base, choices: [{ index: 0, delta: { content: w }, finish_reason: null }] })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
    { ...base, choices: [], usage: { prompt_tokens: FAKE_USAGE.input, completion_tokens: FAKE_USAGE.output, total_tokens: FAKE_USAGE.input + FAKE_USAGE.output } },
  ];
}

function response(model: string, status: "completed" | "in_progress") {
  const done = status === "completed";
  return {
    id: "resp_fake1",
    object: "response",
    created_at: created(),
    status,
    model,
    output: done
      ? [{ type: "message", id: "msg_fake1", status: "completed", role: "assistant", content: [{ type: "output_text", text: FAKE_REPLY, annotations: [] }] }]
      : [],
    usage: done
      ? { input_tokens: FAKE_USAGE.input, output_tokens: FAKE_USAGE.output, total_tokens: FAKE_USAGE.input + FAKE_USAGE.output, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } }
      : null,
    error: null,
    incomplete_details: null,
    parallel_tool_calls: true,
    tool_choice: "auto",
    tools: [],
    temperature: 1,
    top_p: 1,
  };
}

function responseEvents(model: string): unknown[] {
  const item = { type: "message", id: "msg_fake1", status: "in_progress", role: "assistant", content: [] };
  const events: unknown[] = [
    { type: "response.created", response: response(model, "in_progress") },
    { type: "response.output_item.added", output_index: 0, item },
    { type: "response.content_part.added", item_id: "msg_fake1", output_index: 0, content_index: 0, part: { type: "output_text", text: "", annotations: [] } },
    ...FAKE_REPLY.split(/(?<= )/).map((delta) => ({ type: "response.output_text.delta", item_id: "msg_fake1", output_index: 0, content_index: 0, delta })),
    { type: "response.output_text.done", item_id: "msg_fake1", output_index: 0, content_index: 0, text: FAKE_REPLY },
    { type: "response.output_item.done", output_index: 0, item: { ...item, status: "completed", content: [{ type: "output_text", text: FAKE_REPLY, annotations: [] }] } },
    { type: "response.completed", response: response(model, "completed") },
  ];
  return events.map((e, i) => ({ ...(e as object), sequence_number: i }));
}

function sse(res: http.ServerResponse, events: unknown[], named: boolean) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const e of events) {
    const type = named ? `event: ${(e as { type: string }).type}\n` : "";
    res.write(`${type}data: ${JSON.stringify(e)}\n\n`);
  }
  if (!named) res.write("data: [DONE]\n\n");
  res.end();
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: FakeOpenAi["requests"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "invalid JSON" } }));
        return;
      }
      requests.push({ path, body });
      const model = typeof body.model === "string" ? body.model : "gpt-4o-mini";
      if (req.method === "POST" && path === "/v1/chat/completions") {
        if (body.stream === true) sse(res, chatChunks(model), false);
        else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(chatCompletion(model)));
      } else if (req.method === "POST" && path === "/v1/responses") {
        if (body.stream === true) sse(res, responseEvents(model), true);
        else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(response(model, "completed")));
      } else {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `no route ${path}` } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
