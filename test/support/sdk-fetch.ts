// Helpers for the SDK's tests: a scripted fake `fetch` that records every request.
import type { BatchResponse, FetchInit, FetchLike, WireEvent } from "@clearlog/sdk";

export interface RecordedCall {
  url: string;
  init: FetchInit;
  events: WireEvent[];
}

export type Responder = (call: RecordedCall, index: number) => Response | Error | Promise<Response | Error>;

export function fakeFetch(responder: Responder = (call) => accepted(call.events)) {
  const calls: RecordedCall[] = [];
  const fetch: FetchLike = async (url, init) => {
    const call = { url, init, events: (JSON.parse(init.body) as { events: WireEvent[] }).events };
    calls.push(call);
    const answer = await responder(call, calls.length - 1);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch, calls };
}

export function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** 200 with every event accepted. */
export function accepted(events: WireEvent[]): Response {
  const body: BatchResponse = {
    accepted: events.length,
    duplicates: 0,
    dropped: 0,
    rejected: 0,
    results: events.map((e) => ({ id: e.id, status: "accepted" as const })),
  };
  return json(body, 200);
}
