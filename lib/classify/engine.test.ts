import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { WireEvent } from "@clearlog/sdk";
import { wireEventSchema } from "../ingest/event-schema";
import { toStorable, type StorableEvent } from "../ingest/normalize";
import { compileRule, globToRegExp, type CompiledRule, type RuleRow } from "./compiled-rule";
import { DEFAULT_RULES } from "./default-rules";
import { classifyEvent, type ClassifyOutcome } from "./engine";

// classifyEvent on events built the way ingestion builds them (wire JSON → schema → toStorable), with
// the rules a new workspace starts with, compiled and ordered by priority as the rule cache does.
const h = (value: string) => createHash("sha256").update(`test-key:${value}`).digest("hex").slice(0, 12);

const DEFAULTS: CompiledRule[] = [...DEFAULT_RULES]
  .sort((a, b) => a.priority - b.priority)
  .map((r, i) =>
    compileRule({
      id: `default-${i}`, name: r.name, priority: r.priority, matchEventType: r.matchEventType ?? null, matchFieldPath: r.matchFieldPath ?? null,
      matchRegex: r.matchRegex ?? null, matchDetector: r.matchDetector ?? null, level: r.level, categories: r.categories, action: r.action,
    }),
  );

type RuleSpec = Partial<Omit<RuleRow, "name" | "action">> & Pick<RuleRow, "name" | "action">;
const rule = (spec: RuleSpec): CompiledRule =>
  compileRule({ id: spec.name, priority: 0, matchEventType: null, matchFieldPath: null, matchRegex: null, matchDetector: null, level: "internal", categories: [], ...spec });

const event = (wire: Partial<WireEvent>): StorableEvent =>
  toStorable(wireEventSchema.parse({ id: "evt-1", type: "user_action", timestamp: "2026-11-27T10:00:00Z", name: "checkout", ...wire }));

const run = (e: StorableEvent, rules: readonly CompiledRule[] = DEFAULTS, hash = h) => classifyEvent(e, rules, { hash });
function stored(outcome: ClassifyOutcome) {
  if (outcome.kind !== "stored") throw new Error(`expected a stored event, got dropped by ${outcome.rule}`);
  return outcome;
}
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

const AWS_KEY = "AKIAZ7QW3ERT5YUI2OPL";
const GITHUB_TOKEN = "ghp_R2d2C3poB1nGo7Qx9LmNvBcXzAsDfGhJkL0p";
const JWT = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: "u-981", exp: 1893456000 })}.Zk3q9LmX2vB7nR4tY8wQ1pS6dF0gH5jK`;
const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx7Qm2Lr9Vb\nk3Jd8sPq0WnZr5Tc1YhU6gFe\n-----END RSA PRIVATE KEY-----";

describe("actions (default rules)", () => {
  it("redact replaces the match with a typed marker", () => {
    const out = stored(run(event({ message: "Card 4111 1111 1111 1111 on file" })));
    expect(out.event.message).toBe("Card [CARD] on file");
    expect(out.classification).toBe("restricted");
    expect(out.categories).toEqual(["user.financial.card"]);
    expect(out.hits).toEqual([{ rule: "Payment cards", path: "message", action: "redact" }]);
  });

  it("hash replaces an email with its keyed hash, joinable across events", () => {
    const out = stored(run(event({ message: "Contact ada@example.com today", attributes: { owner: "ada@example.com" } })));
    expect(out.event.message).toBe(`Contact [EMAIL:${h("ada@example.com")}] today`);
    expect(out.event.payload).toEqual({ attributes: { owner: `[EMAIL:${h("ada@example.com")}]` } });
    expect(out.classification).toBe("confidential");
    expect(out.categories).toEqual(["user.contact.email"]);
  });

  it("redact by regex alone writes [REDACTED]; hash by regex alone writes [HASH:…]", () => {
    const rules = [
      rule({ name: "Order numbers", priority: 1, matchRegex: String.raw`order-\d+`, action: "redact" }),
      rule({ name: "Customer refs", priority: 2, matchRegex: String.raw`cus_[a-z0-9]+`, action: "hash" }),
    ];
    const out = stored(run(event({ message: "order-1234 for cus_9f8e and order-77" }), rules));
    expect(out.event.message).toBe(`[REDACTED] for [HASH:${h("cus_9f8e")}] and [REDACTED]`);
  });

  it("a secret is redacted, never hashed, even by a hash rule aimed at secrets", () => {
    const spy = vi.fn(h);
    const rules = [rule({ name: "Hash secrets", matchDetector: "secret", action: "hash" })];
    const out = stored(run(event({ message: `key ${AWS_KEY} and ${GITHUB_TOKEN}` }), rules, spy));
    expect(out.event.message).toBe("key [API_KEY] and [API_KEY]");
    expect(spy).not.toHaveBeenCalled();
    expect(out.classification).toBe("restricted"); // secrets are replaced before any rule sees them
    expect(out.categories).toEqual(["system.credentials"]);
    expect(stored(run(event({ message: `key ${AWS_KEY}` }))).event.message).toBe("key [API_KEY]");
  });

  it("drop_field removes an attribute, nulls a nullable column and marks the event name", () => {
    const rules = [
      rule({ name: "No notes", matchFieldPath: "attributes.note", action: "drop_field" }),
      rule({ name: "No messages", matchFieldPath: "message", action: "drop_field" }),
      rule({ name: "No names", matchFieldPath: "name", action: "drop_field" }),
    ];
    const out = stored(run(event({ message: "free text", attributes: { note: "x", plan: "pro" } }), rules));
    expect(out.event.payload).toEqual({ attributes: { plan: "pro" } });
    expect(out.event.message).toBeNull();
    expect(out.event.name).toBe("[REMOVED]");
    expect(out.hits.map((x) => `${x.rule}@${x.path}`)).toEqual(["No names@name", "No messages@message", "No notes@attributes.note"]);
  });

  it("drop_field turns an array element into null, keeping the other indexes", () => {
    const rules = [rule({ name: "Drop emails", matchDetector: "email", action: "drop_field" })];
    const out = stored(run(event({ attributes: { to: ["a@x.io", "ok", "b@y.io"] } }), rules));
    expect(out.event.payload).toEqual({ attributes: { to: [null, "ok", null] } });
  });

  it("drop_event drops the whole event and names the rule", () => {
    const health = event({ type: "api_request", http: { method: "get", route: "/healthz", status: 200 } });
    expect(run(health)).toEqual({ kind: "dropped", rule: "Health checks", hits: [{ rule: "Health checks", path: "http.route", action: "drop_event" }] });
    const real = stored(run(event({ type: "api_request", http: { method: "get", route: "/healthz/deep", status: 200 } })));
    expect(real.event.http.route).toBe("/healthz/deep");
  });

  it("classify_only leaves the text and classifies the event", () => {
    const prompt = "Summarise my last three orders";
    const out = stored(run(event({ type: "ai_interaction", ai: { model: "gpt-4o", prompt, messages: [{ role: "user", content: prompt }] } })));
    expect(out.event.payload.gen_ai).toEqual({ prompt, messages: [{ role: "user", content: prompt }] });
    expect(out.classification).toBe("confidential");
    expect(out.categories).toEqual(["user.content.ai_conversation"]);
    expect(out.hits.map((x) => x.path)).toEqual(["gen_ai.prompt", "gen_ai.messages.0.role", "gen_ai.messages.0.content"]);
  });
});

describe("priority order", () => {
  it("a higher-priority drop_field wins over a later redact on the same field", () => {
    const rules = [
      rule({ name: "Drop contact", priority: 1, matchFieldPath: "attributes.contact", action: "drop_field" }),
      rule({ name: "Redact emails", priority: 2, matchDetector: "email", action: "redact" }),
    ];
    const out = stored(run(event({ attributes: { contact: "ada@example.com", cc: "bob@example.com" } }), rules));
    expect(out.event.payload).toEqual({ attributes: { cc: "[EMAIL]" } });
    expect(out.hits).toEqual([
      { rule: "Drop contact", path: "attributes.contact", action: "drop_field" },
      { rule: "Redact emails", path: "attributes.cc", action: "redact" },
    ]);
  });

  it("a redact before a hash means the hash never sees the value", () => {
    const spy = vi.fn(h);
    const rules = [
      rule({ name: "Redact emails", priority: 1, matchDetector: "email", action: "redact" }),
      rule({ name: "Hash emails", priority: 2, matchDetector: "email", action: "hash" }),
    ];
    const out = stored(run(event({ message: "from ada@example.com" }), rules, spy));
    expect(out.event.message).toBe("from [EMAIL]");
    expect(spy).not.toHaveBeenCalled();
    expect(out.hits.map((x) => x.rule)).toEqual(["Redact emails"]);
  });
});

describe("scoping", () => {
  it("a rule for ai_interaction events does not touch api_request events", () => {
    const rules = [rule({ name: "AI text", matchEventType: "ai_interaction", matchRegex: "secret plan", action: "redact" })];
    const ai = stored(run(event({ type: "ai_interaction", message: "the secret plan", ai: { model: "m" } }), rules));
    const api = stored(run(event({ type: "api_request", message: "the secret plan", http: { method: "POST", route: "/x", status: 201 } }), rules));
    expect(ai.event.message).toBe("the [REDACTED]");
    expect(api.event.message).toBe("the secret plan");
    expect(api.hits).toEqual([]);
  });

  it("`attributes.*.email` matches at any depth below attributes, and only fields named email", () => {
    const rules = [rule({ name: "Nested emails", matchFieldPath: "attributes.*.email", action: "redact" })];
    const attributes = { email: "top", user: { email: "u", email_verified: "yes" }, billing: { contact: { email: "deep" } }, note: "n" };
    const out = stored(run(event({ attributes }), rules));
    expect(out.event.payload.attributes).toEqual({ email: "top", user: { email: "[REDACTED]", email_verified: "yes" }, billing: { contact: { email: "[REDACTED]" } }, note: "n" });
    expect(out.hits.map((x) => x.path)).toEqual(["attributes.user.email", "attributes.billing.contact.email"]);
  });

  it("a regex combined with a detector keeps only detector matches that the regex accepts", () => {
    const rules = [rule({ name: "Staff emails", matchDetector: "email", matchRegex: String.raw`@example\.com$`, action: "redact" })];
    const out = stored(run(event({ message: "ada@example.com wrote to bob@corp.io" }), rules));
    expect(out.event.message).toBe("[EMAIL] wrote to bob@corp.io");
    expect(stored(run(event({ message: "only bob@corp.io" }), rules)).hits).toEqual([]);
  });
});

describe("level and categories", () => {
  it("categories come from the rule when it names some, else from the detectors that matched", () => {
    const fromDetector = stored(run(event({ message: "ada@example.com" }), [rule({ name: "E", matchDetector: "email", action: "redact" })]));
    expect(fromDetector.categories).toEqual(["user.contact.email"]);
    const fromRule = stored(run(event({ message: "ada@example.com" }), [rule({ name: "E", matchDetector: "email", categories: ["marketing.leads"], action: "redact" })]));
    expect(fromRule.categories).toEqual(["marketing.leads"]);
    const regexOnly = stored(run(event({ message: "ticket 42" }), [rule({ name: "T", matchRegex: "ticket", action: "classify_only" })]));
    expect(regexOnly.categories).toEqual([]);
  });

  it("the level is the highest of the matched rules' levels, internal when nothing matched", () => {
    expect(stored(run(event({ message: "nothing here" }))).classification).toBe("internal");
    expect(stored(run(event({ message: "from 203.0.113.7" }))).classification).toBe("internal");
    const mixed = stored(run(event({ message: "from 203.0.113.7 by ada@example.com" })));
    expect(mixed.classification).toBe("confidential");
    expect(mixed.categories).toEqual(["user.contact.email", "user.device.ip_address"]);
    expect(stored(run(event({ message: "203.0.113.7 ada@example.com ssn 123-45-6789" }))).classification).toBe("restricted");
    const pub = [rule({ name: "P", matchRegex: "hello", level: "public", action: "classify_only" })];
    expect(stored(classifyEvent(event({ message: "hello" }), pub, { hash: h, baseLevel: "public" })).classification).toBe("public");
  });
});

describe("attribute shapes", () => {
  it("numbers that are card numbers are redacted; other numbers stay numbers", () => {
    const out = stored(run(event({ attributes: { card: 4111111111111111, amount: 1299, ts: 99_999_999_999 } })));
    expect(out.event.payload.attributes).toEqual({ card: "[CARD]", amount: 1299, ts: 99_999_999_999 });
    expect(out.classification).toBe("restricted");
  });

  it("arrays and nested objects are walked with index and key paths", () => {
    const attributes = { contacts: ["ada@example.com", { phone: "+1 415 555 0100", tags: ["vip"] }], n: 3, ok: true, none: null };
    const out = stored(run(event({ attributes })));
    expect(out.event.payload.attributes).toEqual({ contacts: [`[EMAIL:${h("ada@example.com")}]`, { phone: "[PHONE]", tags: ["vip"] }], n: 3, ok: true, none: null });
    expect(out.hits).toEqual([
      { rule: "Email addresses", path: "attributes.contacts.0", action: "hash" },
      { rule: "Phone numbers", path: "attributes.contacts.1.phone", action: "redact" },
    ]);
  });

  it("a sensitive key whose value is an object: the whole subtree goes (dropped by default, [SECRET] with no rules)", () => {
    const attributes = { auth: { user: "ada", scheme: "basic", nested: { pin: 1234 } }, db: { password: "hunter2", host: "db1" }, plan: "pro" };
    const withDefaults = stored(run(event({ attributes })));
    expect(withDefaults.event.payload.attributes).toEqual({ db: { host: "db1" }, plan: "pro" });
    expect(withDefaults.hits.filter((x) => x.action === "drop_field").map((x) => x.path)).toEqual(["attributes.auth", "attributes.db.password"]);
    const noRules = stored(run(event({ attributes }), []));
    expect(noRules.event.payload.attributes).toEqual({ auth: "[SECRET]", db: { password: "[SECRET]", host: "db1" }, plan: "pro" });
    expect(noRules.classification).toBe("restricted");
    expect(noRules.categories).toEqual(["system.credentials"]);
    expect(JSON.stringify(noRules)).not.toContain("hunter2");
  });

  it("a field named like a secret is only sensitive under attributes, and flags/counters are not", () => {
    const out = stored(run(event({ attributes: { has_password: true, token_count: 12, password_policy: "strict" } }), []));
    expect(out.event.payload.attributes).toEqual({ has_password: true, token_count: 12, password_policy: "strict" });
  });
});

describe("mandatory secret pass", () => {
  it("replaces secrets whatever the rules say (classify_only, hash of everything)", () => {
    const rules = [
      rule({ name: "Just look", priority: 1, matchDetector: "secret", action: "classify_only" }),
      rule({ name: "Hash all", priority: 2, matchFieldPath: "attributes.*", matchDetector: "email", action: "hash" }),
    ];
    const out = stored(run(event({ message: `token ${JWT}`, attributes: { cfg: `${PEM}\nafter` } }), rules));
    expect(out.event.message).toBe("token [JWT]");
    expect(out.event.payload.attributes).toEqual({ cfg: "[PRIVATE_KEY]\nafter" });
    expect(out.classification).toBe("restricted");
    expect(out.hits).toEqual([]); // the secrets were gone before the rules ran
  });

  it("secrets in typed id columns (session, conversation, model, provider, user agent) are replaced too", () => {
    const out = stored(
      run(
        event({
          type: "ai_interaction", sessionId: `sess:${AWS_KEY}`, userAgent: `curl/8 Bearer 9f8e7d6c5b4a3210`,
          ai: { model: `ft:${GITHUB_TOKEN}`, provider: AWS_KEY, conversationId: JWT },
        }),
        [],
      ),
    );
    expect(out.event.sessionId).toBe("sess:[API_KEY]");
    expect(out.event.genAi).toMatchObject({ model: "ft:[API_KEY]", provider: "[API_KEY]", conversationId: "[JWT]" });
    expect(out.event.userAgent).toBe("curl/8 Bearer [TOKEN]");
    expect(out.classification).toBe("restricted");
    expect(out.categories).toEqual(["system.credentials"]);
    expect(out.hits).toEqual([]); // typed id columns get the secret pass only, never rules
  });

  it("secrets in the error type and the AI operation (stored columns) are replaced too", () => {
    const err = stored(run(event({ type: "error", name: "PaymentFailed", error: { name: `Err ${AWS_KEY}`, message: "boom" } })));
    expect(err.event.errorType).toBe("Err [API_KEY]");
    const ai = stored(run(event({ type: "ai_interaction", name: "chat", ai: { model: "m", operation: GITHUB_TOKEN } })));
    expect(ai.event.genAi.operation).toBe("[API_KEY]");
  });
});

describe("purity and rule compilation", () => {
  it("does not mutate the input event", () => {
    const input = event({ message: `ada@example.com ${AWS_KEY}`, attributes: { password: "x", card: 4111111111111111, list: ["b@y.io"] } });
    const before = structuredClone(input);
    stored(run(input));
    stored(run(input, [rule({ name: "Drop all", matchFieldPath: "*", action: "drop_field" })]));
    expect(input).toEqual(before);
  });

  it("compileRule names the rule when its regex does not compile", () => {
    expect(() => compileRule({ id: "r1", name: "Broken rule", priority: 1, matchEventType: null, matchFieldPath: null, matchRegex: "a(b", matchDetector: null, level: "internal", categories: [], action: "redact" })).toThrow(
      /^regex of rule "Broken rule" does not compile: /,
    );
  });

  it("globToRegExp treats `*` as any characters (dots included) and everything else literally", () => {
    const route = globToRegExp("http.route");
    expect(route.test("http.route")).toBe(true);
    expect(route.test("httpxroute")).toBe(false);
    expect(route.test("http.route.extra")).toBe(false);
    expect(globToRegExp("message").test("error.message")).toBe(false);
    expect(globToRegExp("attributes.*").test("attributes.a.b.0")).toBe(true);
    expect(globToRegExp("attributes.*").test("attributes")).toBe(false);
    expect(globToRegExp("a+b(c)[d]$").test("a+b(c)[d]$")).toBe(true);
    expect(globToRegExp("a+b").test("aab")).toBe(false);
    expect(globToRegExp("*").test("gen_ai.messages.3.content")).toBe(true);
  });
});

// Secrets are replaced before the rules run, so no rule can hash a secret or split one so that the
// rest of it escapes detection.
describe("rules that would rewrite a secret never see it", () => {
  it("a hash rule by regex or path never stores the keyed hash of a secret", () => {
    const rules = [rule({ name: "Hash ids", matchRegex: "[A-Z0-9]{20}", action: "hash" })];
    const out = stored(run(event({ message: `key ${AWS_KEY}` }), rules));
    expect(out.event.message).not.toContain(h(AWS_KEY));
    expect(out.classification).toBe("restricted");
  });

  it("a rule that would rewrite part of a secret cannot expose the rest", () => {
    const rules = [rule({ name: "Redact digits", matchRegex: String.raw`\d+`, action: "redact" })];
    const out = stored(run(event({ message: `key ${AWS_KEY}` }), rules));
    expect(out.event.message).not.toContain("AKIAZ");
    expect(out.classification).toBe("restricted");
  });
});
