import { createHash } from "node:crypto";
import type { Prisma } from "../lib/db/generated/client";

// Realistic demo events for the seeded workspace, already classified and redacted as ingest
// would store them. Deterministic (seeded PRNG) so every fresh workspace looks the same.
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const int = (rand: Rand, min: number, max: number) => Math.floor(min + rand() * (max - min + 1));

const PAGES = ["/", "/pricing", "/docs", "/dashboard", "/settings", "/billing", "/projects"] as const;
const ACTIONS = [
  ["page_view", "router"],
  ["click_button", "toolbar"],
  ["submit_form", "settings-form"],
  ["search", "search-bar"],
  ["export_report", "reports"],
  ["invite_member", "team-panel"],
] as const;
const MODELS = [
  ["openai", "gpt-4o-mini", 0.00000015, 0.0000006],
  ["anthropic", "claude-sonnet-4", 0.000003, 0.000015],
  ["meta", "llama-3.1-70b", 0.0000009, 0.0000009],
] as const;
const PROMPTS = [
  ["Summarise this support ticket for the on-call engineer.", "The customer cannot export reports since the last release; the export button returns a 500."],
  ["Draft a reply to [EMAIL_HASH:3f9a1c] about their invoice.", "Hi! Thanks for reaching out — your invoice has been corrected and re-sent."],
  ["Classify the sentiment of: 'the new dashboard is great'", "positive"],
  ["Translate 'welcome back' to French.", "Bon retour"],
] as const;
const ROUTES = [
  ["GET", "/api/projects", 200, 40],
  ["GET", "/api/projects/:id", 200, 25],
  ["POST", "/api/projects", 201, 120],
  ["POST", "/api/reports/export", 500, 900],
  ["GET", "/api/billing/invoices", 200, 80],
  ["PATCH", "/api/settings", 422, 35],
  ["DELETE", "/api/members/:id", 403, 20],
] as const;
const ERRORS = [
  ["TypeError", "Cannot read properties of undefined (reading 'rows')", "reports"],
  ["RangeError", "Invalid time value", "date-picker"],
  ["FetchError", "request to /api/billing/invoices failed, reason: socket hang up", "billing"],
  ["ValidationError", "Field 'phone' is invalid: [PHONE]", "settings-form"],
] as const;
const SYSTEM = [
  ["deploy.completed", "Deployed web@1.42.0"],
  ["cron.finished", "Nightly report generation finished"],
  ["cache.evicted", "Evicted 1,204 stale cache entries"],
  ["worker.restarted", "Queue worker restarted after memory threshold"],
] as const;

export interface DemoSubject {
  externalId: string;
  pseudonym: string;
}

export interface DemoSessionRow {
  sessionKey: string;
  subjectPseudonym: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  eventCount: number;
  userAgent: string;
  ipPrefix: string;
}

export function demoEvents(subjects: DemoSubject[], count: number, now: Date, rand = prng(42)) {
  const events: Prisma.SystemLogCreateManyInput[] = [];
  const sessions = new Map<string, DemoSessionRow>();
  const weekMs = 7 * 86_400_000;
  for (let i = 0; i < count; i++) {
    const subject = pick(rand, subjects);
    const occurredAt = new Date(now.getTime() - Math.floor(rand() ** 0.8 * weekMs));
    // Keys derive from the pseudonym, never the application's user id (that lives only in `subjects`).
    const sessionKey = `sess_${subject.pseudonym.slice(0, 16)}_${Math.floor(occurredAt.getTime() / 3_600_000)}`;
    const base = {
      eventId: `demo-${i.toString().padStart(6, "0")}`,
      occurredAt,
      subjectPseudonym: subject.pseudonym,
      sessionId: sessionKey,
      purpose: "analytics",
    };
    const roll = rand();
    let event: Prisma.SystemLogCreateManyInput;
    if (roll < 0.45) {
      const [action, component] = pick(rand, ACTIONS);
      event = { ...base, type: "user_action", name: action, component, classification: "internal", payload: { page: pick(rand, PAGES) } };
    } else if (roll < 0.65) {
      const [provider, model, inPrice, outPrice] = pick(rand, MODELS);
      const [prompt, response] = pick(rand, PROMPTS);
      const input = int(rand, 40, 1800);
      const output = int(rand, 20, 900);
      event = {
        ...base,
        type: "ai_interaction",
        name: "chat",
        component: "assistant",
        purpose: "essential",
        classification: prompt.includes("[EMAIL") ? "confidential" : "internal",
        categories: prompt.includes("[EMAIL") ? ["user.contact.email", "user.content.ai_conversation"] : ["user.content.ai_conversation"],
        genAiProviderName: provider,
        genAiRequestModel: model,
        genAiOperationName: "chat",
        genAiConversationId: `conv_${subject.pseudonym.slice(0, 16)}_${int(rand, 1, 4)}`,
        genAiUsageInputTokens: input,
        genAiUsageOutputTokens: output,
        genAiLatencyMs: int(rand, 300, 6000),
        genAiCostUsd: (input * inPrice + output * outPrice).toFixed(6),
        trainingExcluded: rand() < 0.3,
        payload: { gen_ai: { prompt, response } },
      };
    } else if (roll < 0.87) {
      const [method, route, status, typical] = pick(rand, ROUTES);
      event = {
        ...base,
        type: "api_request",
        name: `${method} ${route}`,
        component: "api",
        purpose: "essential",
        severity: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
        classification: "internal",
        httpRequestMethod: method,
        httpRoute: route,
        httpResponseStatusCode: status,
        httpDurationMs: Math.round(typical * (0.5 + rand() * 1.5)),
        httpRequestSize: method === "GET" ? 0 : int(rand, 80, 4000),
        httpResponseSize: int(rand, 200, 40_000),
        payload: { http: { user_agent: "Mozilla/5.0" } },
      };
    } else if (roll < 0.97) {
      const [name, message, component] = pick(rand, ERRORS);
      event = {
        ...base,
        type: "error",
        name,
        message,
        component,
        purpose: "error_reporting",
        severity: "error",
        classification: message.includes("[PHONE]") ? "confidential" : "internal",
        categories: message.includes("[PHONE]") ? ["user.contact.phone"] : [],
        errorType: name,
        errorFingerprint: createHash("sha256").update(`${name}|${component}`).digest("hex").slice(0, 16),
        payload: { error: { stack: `${name}: ${message}\n    at ${component} (app.js:${int(rand, 10, 900)}:${int(rand, 1, 80)})` } },
      };
    } else {
      const [name, message] = pick(rand, SYSTEM);
      event = { ...base, type: "system", name, message, component: "platform", subjectPseudonym: null, sessionId: null, purpose: "essential", classification: "public", payload: {} };
    }
    events.push(event);
    if (event.sessionId) {
      const s = sessions.get(sessionKey);
      if (s) {
        s.eventCount++;
        if (occurredAt < s.firstSeenAt) s.firstSeenAt = occurredAt;
        if (occurredAt > s.lastSeenAt) s.lastSeenAt = occurredAt;
      } else {
        sessions.set(sessionKey, {
          sessionKey,
          subjectPseudonym: subject.pseudonym,
          firstSeenAt: occurredAt,
          lastSeenAt: occurredAt,
          eventCount: 1,
          userAgent: pick(rand, ["Mozilla/5.0 (Macintosh) Safari/605.1", "Mozilla/5.0 (Windows NT 10.0) Chrome/131.0", "Mozilla/5.0 (X11; Linux) Firefox/133.0"]),
          ipPrefix: `203.0.113.0/24`,
        });
      }
    }
  }
  return { events, sessions: [...sessions.values()] };
}
