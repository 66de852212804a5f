import { randomUUID } from "node:crypto";
import { prng } from "../prisma/seed-events";
import type { WireEvent } from "@clearlog/sdk";

// Realistic events for the ingestion benchmark: every type, with personal data and secrets planted
// in about one event in five, so classification has real work to do.
const PLANTED = [
  "contact me at jane.doe@example.com",
  "call +1 415 555 0132 tomorrow",
  "card 4111 1111 1111 1111 exp 12/29",
  "key AKIAIOSFODNN7EXAMPLE leaked",
  "IBAN GB82 WEST 1234 5698 7654 32",
  "from 198.51.100.23",
];

export function benchEvents(count: number, seed = 1): WireEvent[] {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const now = Date.now();
  const events: WireEvent[] = [];
  for (let i = 0; i < count; i++) {
    const base = {
      id: randomUUID(),
      timestamp: new Date(now - Math.floor(rand() * 3_600_000)).toISOString(),
      subject: `bench-user-${Math.floor(rand() * 2000)}`,
      sessionId: `bench-session-${Math.floor(rand() * 5000)}`,
      component: pick(["web", "api", "worker", "assistant"]),
    };
    const note = rand() < 0.2 ? pick(PLANTED) : "nothing sensitive here";
    const roll = rand();
    if (roll < 0.4) {
      events.push({ ...base, type: "user_action", action: pick(["page_view", "click", "search", "export"]), attributes: { page: "/dashboard", note, items: Math.floor(rand() * 20) } });
    } else if (roll < 0.6) {
      events.push({
        ...base,
        type: "ai_interaction",
        ai: { provider: "openai", model: pick(["gpt-4o-mini", "gpt-4o"]), prompt: `Summarise this ticket: ${note}. The customer reports slow exports since Tuesday.`, response: "The customer reports slow exports; escalate to the data team.", inputTokens: 400 + Math.floor(rand() * 800), outputTokens: 50 + Math.floor(rand() * 300), latencyMs: 300 + Math.floor(rand() * 3000), costUsd: 0.0004 },
      });
    } else if (roll < 0.85) {
      events.push({ ...base, type: "api_request", http: { method: pick(["GET", "POST"]), route: pick(["/api/projects", "/api/projects/:id", "/api/reports"]), status: pick([200, 200, 200, 201, 404, 500]), durationMs: Math.floor(rand() * 400), requestSize: 120, responseSize: 4000 } });
    } else if (roll < 0.95) {
      events.push({ ...base, type: "error", error: { name: "TypeError", message: `Cannot read properties of undefined (${note})`, stack: "TypeError: Cannot read properties of undefined\n    at render (/srv/app/reports.js:120:15)\n    at run (/srv/app/worker.js:44:3)" } });
    } else {
      events.push({ ...base, type: "system", name: pick(["cache.evicted", "cron.finished"]), message: note });
    }
  }
  return events;
}
