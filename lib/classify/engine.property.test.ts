import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EventType, WireEvent } from "@clearlog/sdk";
import { EVENT_TYPES, wireEventSchema } from "../ingest/event-schema";
import { toStorable } from "../ingest/normalize";
import { compileRule, type CompiledRule, type RuleRow } from "./compiled-rule";
import { DEFAULT_RULES } from "./default-rules";
import { classifyEvent } from "./engine";

// Property: whatever the event (all five types, random nested attributes, random free text), wherever a
// credential is planted, and whatever the rules (the defaults, none, or adversarial ones that only
// hash or look), classification never throws and the credential's text is nowhere in the outcome.
const RUNS = 300;
const h = (value: string) => createHash("sha256").update(`prop-key:${value}`).digest("hex").slice(0, 12);

type RuleSpec = Partial<Omit<RuleRow, "name" | "action">> & Pick<RuleRow, "name" | "action">;
const rule = (spec: RuleSpec): CompiledRule =>
  compileRule({ id: spec.name, priority: 0, matchEventType: null, matchFieldPath: null, matchRegex: null, matchDetector: null, level: "internal", categories: [], ...spec });

const DEFAULTS: CompiledRule[] = [...DEFAULT_RULES]
  .sort((a, b) => a.priority - b.priority)
  .map((r) => rule({ name: r.name, priority: r.priority, matchEventType: r.matchEventType ?? null, matchFieldPath: r.matchFieldPath ?? null, matchRegex: r.matchRegex ?? null, matchDetector: r.matchDetector ?? null, level: r.level, categories: r.categories, action: r.action }));

/** Rules an admin could write that try to keep text: every one hashes or only classifies (plus an unrelated drop_field). */
const ADVERSARIAL_POOL: CompiledRule[] = [
  rule({ name: "Hash secrets", matchDetector: "secret", action: "hash" }),
  rule({ name: "Look at secrets", matchDetector: "secret", level: "public", action: "classify_only" }),
  rule({ name: "Hash API keys", matchDetector: "provider_api_key", action: "hash" }),
  rule({ name: "Hash JWTs", matchDetector: "jwt", matchRegex: "^ey", action: "hash" }),
  rule({ name: "Hash sensitive fields", matchDetector: "sensitive_field", action: "hash" }),
  rule({ name: "Look at sensitive fields", matchDetector: "sensitive_field", action: "classify_only" }),
  rule({ name: "Hash emails", matchDetector: "email", action: "hash" }),
  rule({ name: "Hash phones", matchDetector: "phone", action: "hash" }),
  rule({ name: "Hash long words", matchRegex: "[A-Za-z0-9_-]{12,}", action: "hash" }),
  rule({ name: "Hash digits", matchRegex: String.raw`\d+`, action: "hash" }),
  rule({ name: "Hash attributes", matchFieldPath: "attributes.*", action: "hash" }),
  rule({ name: "Hash AI text", matchEventType: "ai_interaction", matchFieldPath: "gen_ai.*", action: "hash" }),
  rule({ name: "Look at everything", matchFieldPath: "*", action: "classify_only" }),
  rule({ name: "Drop unrelated", matchFieldPath: "attributes.zz_unrelated.field", action: "drop_field" }),
];
const adversarialRules = fc.shuffledSubarray(ADVERSARIAL_POOL, { minLength: 1 });

// ───────────────────────────── planted credentials ─────────────────────────────

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const ALNUM = UPPER + LOWER + DIGITS;
const B64URL = `${ALNUM}_-`;
const chars = (alphabet: string, minLength: number, maxLength = minLength) => fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

interface Plant {
  kind: string;
  /** the credential as written into text, or null when it is an attribute value under a sensitive key */
  text: string | null;
  sensitive?: { key: string; value: unknown };
  /** strings that must not appear anywhere in the outcome */
  needles: string[];
}
const textPlant = (kind: string, text: string, extra: string[] = []): Plant => ({ kind, text, needles: [text, ...extra] });

const awsKey = fc.tuple(fc.constantFrom("AKIA", "ASIA"), chars(UPPER + DIGITS, 16)).map(([p, body]) => textPlant("aws", p + body));
const githubToken = fc.tuple(fc.constantFrom("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), chars(ALNUM, 36, 60)).map(([p, body]) => textPlant("github", p + body));
const anthropicKey = fc.tuple(chars(B64URL, 40, 95), chars(DIGITS, 1), chars(LOWER, 1)).map(([body, d, l]) => textPlant("sk-ant", `sk-ant-api03-${body}${d}${l}AA`));
const clearlogKey = fc.tuple(chars("0123456789abcdef", 8), chars(B64URL, 43)).map(([id, body]) => textPlant("clk", `clk_${id}_${body}`));
const bearer = fc
  .tuple(fc.constantFrom("Bearer ", "bearer ", "Authorization: Bearer "), chars(ALNUM + "-._~+/", 8, 40), chars(DIGITS, 2))
  .map(([scheme, body, d]) => ({ ...textPlant("bearer", `${scheme}${body}${d}`), needles: [`${body}${d}`] }));
const jwt = fc
  .tuple(
    fc.record({ alg: fc.constantFrom("HS256", "RS256", "ES384", "EdDSA"), typ: fc.constant("JWT"), kid: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }) }),
    fc.record({ sub: fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), iat: fc.nat() }),
    chars(B64URL, 16, 86),
  )
  .map(([header, payload, sig]) => {
    const token = `${b64url(header)}.${b64url(payload)}.${sig}`;
    return textPlant("jwt", token, [`${b64url(payload)}.${sig}`]);
  });
const pemKey = fc
  .tuple(fc.constantFrom("", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED "), fc.array(chars(`${ALNUM}+/`, 16, 64), { minLength: 1, maxLength: 5 }), chars(`${ALNUM}+/`, 0, 3))
  .map(([type, lines, tail]) => {
    const block = `-----BEGIN ${type}PRIVATE KEY-----\n${lines.join("\n")}${tail}\n-----END ${type}PRIVATE KEY-----`;
    return textPlant("pem", block, lines);
  });
/** A random value (≥ 12 random characters around a unique core) under an attribute key named like a secret. */
const sensitiveValue = fc.tuple(fc.string({ unit: "grapheme", maxLength: 8 }), chars(ALNUM, 12, 24), fc.string({ maxLength: 8 })).map(([a, core, b]) => `${a}${core}${b}`);
const sensitive = fc
  .tuple(fc.constantFrom("password", "apiToken", "Authorization"), sensitiveValue, fc.constantFrom("string", "object", "array"), fc.string({ minLength: 1, maxLength: 8 }))
  .map(([key, value, shape, inner]): Plant => {
    const wrapped = shape === "string" ? value : shape === "object" ? { [inner]: value, n: 1 } : [value, 42];
    return { kind: `sensitive:${key}`, text: null, sensitive: { key, value: wrapped }, needles: [value] };
  });
const plants = fc.oneof(awsKey, githubToken, anthropicKey, clearlogKey, bearer, jwt, pemKey, sensitive);

// ───────────────────────────── random events ─────────────────────────────

const freeText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 30 }), fc.lorem({ maxCount: 6 }));
const SEPARATORS = [" ", "\n", "\t", "=", ":", '"', "'", "(", ")", ",", ";", "/", "?", "&", "<", ">", "[", "]", "{", "}", "|", ". ", "\r\n"];
const surround = fc.tuple(freeText, fc.constantFrom(...SEPARATORS), fc.constantFrom(...SEPARATORS), freeText);
const attrKey = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== "__proto__");
const attributes = fc.dictionary(attrKey, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
/** Steps from the attributes object down to the planted value: object keys, or `null` for "inside an array". */
const attrPath = fc.array(fc.option(attrKey, { freq: 4 }), { minLength: 0, maxLength: 4 });

const baseEvent = fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
  type: fc.constantFrom<EventType>(...EVENT_TYPES),
  name: fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: undefined }),
  message: fc.option(freeText, { nil: undefined }),
  component: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
  attributes: fc.option(attributes, { nil: undefined }),
  route: fc.oneof(fc.constant("/api/orders/:id"), fc.string({ minLength: 1, maxLength: 30 })),
  status: fc.integer({ min: 100, max: 599 }),
});
type Base = typeof baseEvent extends fc.Arbitrary<infer T> ? T : never;

const TEXT_LOCATIONS = ["message", "attribute", "prompt", "response", "messages", "requestBody", "responseBody", "stack"] as const;
/** Typed columns and the longest value the schema accepts there (a longer plant goes to the message instead). */
const COLUMN_LIMITS = { sessionId: 128, component: 128, name: 256, userAgent: 512, model: 200, conversationId: 200, errorName: 200, operation: 100 } as const;
type Location = (typeof TEXT_LOCATIONS)[number] | keyof typeof COLUMN_LIMITS;
const location = fc.constantFrom<Location>(...TEXT_LOCATIONS, ...(Object.keys(COLUMN_LIMITS) as (keyof typeof COLUMN_LIMITS)[]));

type Json = Record<string, unknown>;
function nest(path: (string | null)[], leaf: unknown): unknown {
  return path.reduceRight<unknown>((inner, step) => (step === null ? ["before", inner] : { [step]: inner }), leaf);
}

/** A valid wire event of the base's type, with the plant written at `where`. */
function buildEvent(base: Base, plant: Plant, where: Location, around: [string, string, string, string], path: (string | null)[]): WireEvent {
  const e: Json = { id: base.id, type: base.type, timestamp: "2026-11-27T10:00:00Z", name: base.name ?? "event" };
  if (base.message !== undefined) e.message = base.message;
  if (base.component !== undefined) e.component = base.component;
  if (base.attributes !== undefined) e.attributes = { ...base.attributes };
  if (base.type === "ai_interaction") e.ai = { model: "gpt-4o" };
  if (base.type === "api_request") e.http = { method: "POST", route: base.route, status: base.status };
  if (base.type === "error") e.error = { message: base.message ?? "failed" };
  const ai = () => (e.ai ??= { model: "gpt-4o" }) as Json;
  const http = () => (e.http ??= { method: "GET", route: base.route, status: base.status }) as Json;
  const error = () => (e.error ??= { message: "failed" }) as Json;
  const attrs = () => (e.attributes ??= {}) as Json;

  if (plant.sensitive) {
    const [first, ...rest] = path;
    attrs()[first ?? "ctx"] = nest([...rest.slice(0, 3), plant.sensitive.key], plant.sensitive.value);
    return e as unknown as WireEvent;
  }
  const secret = plant.text!;
  const [before, sep1, sep2, after] = around;
  const inText = `${before}${sep1}${secret}${sep2}${after}`;
  if (where in COLUMN_LIMITS && secret.length > COLUMN_LIMITS[where as keyof typeof COLUMN_LIMITS]) where = "message";
  switch (where) {
    case "message":
      if (base.type === "error") error().message = inText;
      else e.message = inText;
      break;
    case "attribute": {
      const [first = "note", ...rest] = path;
      attrs()[first ?? "list"] = nest(rest, inText);
      break;
    }
    case "prompt":
    case "response":
      ai()[where] = inText;
      break;
    case "messages":
      ai().messages = [{ role: "system", content: before }, { role: "user", content: inText }];
      break;
    case "requestBody":
    case "responseBody":
      http()[where] = inText;
      break;
    case "stack":
      error().stack = `Error: boom\n    at handler (${inText})\n    at main (app.js:1:1)`;
      break;
    case "errorName":
      error().name = secret;
      break;
    case "operation":
    case "model":
    case "conversationId":
      ai()[where] = secret;
      break;
    default:
      e[where] = secret;
  }
  return e as unknown as WireEvent;
}

const planted = fc.record({ base: baseEvent, plant: plants, where: location, around: surround, path: attrPath });
type Planted = typeof planted extends fc.Arbitrary<infer T> ? T : never;
const escaped = (s: string) => JSON.stringify(s).slice(1, -1);
const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;

function classifyPlanted({ base, plant, where, around, path }: Planted, rules: readonly CompiledRule[]) {
  const wire = buildEvent(base, plant, where, around, path);
  const wireJson = JSON.stringify(wire);
  // The planted text must be the only place the needle occurs (random text cannot hold it by chance).
  fc.pre(plant.needles.every((n) => occurrences(wireJson, escaped(n)) === 1));
  const parsed = wireEventSchema.safeParse(wire);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  const outcome = classifyEvent(toStorable(parsed.data!), rules, { hash: h });
  const json = JSON.stringify(outcome);
  for (const needle of plant.needles) {
    if (json.includes(escaped(needle))) throw new Error(`${plant.kind} planted in ${where} survives: ${JSON.stringify(needle)} in ${json}`);
  }
  return outcome;
}

describe("classifyEvent never stores a planted credential", () => {
  it("under the default rules (and the event is restricted)", () => {
    fc.assert(
      fc.property(planted, (p) => {
        const outcome = classifyPlanted(p, DEFAULTS);
        if (outcome.kind === "stored") expect(outcome.classification).toBe("restricted");
      }),
      { numRuns: RUNS },
    );
  });

  it("with no rules at all (the mandatory pass alone, and the event is restricted)", () => {
    fc.assert(
      fc.property(planted, (p) => {
        const outcome = classifyPlanted(p, []);
        expect(outcome.kind).toBe("stored");
        if (outcome.kind === "stored") {
          expect(outcome.classification).toBe("restricted");
          expect(outcome.categories).toContain("system.credentials");
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("under adversarial rules that only hash or classify", () => {
    fc.assert(
      fc.property(planted, adversarialRules, (p, rules) => {
        classifyPlanted(p, rules);
      }),
      { numRuns: RUNS },
    );
  });
});

// ───────────────────────────── arbitrary text everywhere ─────────────────────────────

/** Any code point, lone surrogates, and fragments that start detectors (so partial secrets get scanned). */
const unit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.constantFrom("Bearer ", "Basic ", "authorization: ", "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----", "eyJ", ".", "@", "%40", "AKIA", "ghp_", "sk-", "clk_", "4111 ", "+1 ", "::", "\n") },
);
// Units can be several characters long: cut to stay within the schema's shortest limit (role: 50).
const anyText = fc.string({ unit, maxLength: 40 }).map((s) => s.slice(0, 50));
const anyNonEmpty = fc.string({ unit, minLength: 1, maxLength: 40 }).map((s) => s.slice(0, 50));
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const anyEvent = fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/),
  type: fc.constantFrom<EventType>(...EVENT_TYPES),
  timestamp: fc.constant(1_795_000_000_000),
  subject: opt(anyNonEmpty), sessionId: opt(anyNonEmpty), component: opt(anyNonEmpty), name: anyNonEmpty, action: opt(anyNonEmpty),
  message: opt(anyText), userAgent: opt(anyText),
  attributes: opt(fc.dictionary(fc.string({ unit, maxLength: 12 }), fc.jsonValue({ maxDepth: 4, stringUnit: unit }), { maxKeys: 8 })),
  ai: fc.record({
    provider: opt(anyNonEmpty), model: anyNonEmpty, operation: opt(anyNonEmpty), prompt: opt(anyText), response: opt(anyText), conversationId: opt(anyNonEmpty),
    messages: opt(fc.array(fc.record({ role: anyNonEmpty, content: anyText }), { maxLength: 4 })),
  }),
  http: fc.record({ method: fc.stringMatching(/^[A-Za-z]{1,16}$/), route: anyNonEmpty, status: fc.integer({ min: 100, max: 599 }), requestBody: opt(anyText), responseBody: opt(anyText) }),
  error: fc.record({ name: opt(anyNonEmpty), message: anyText, stack: opt(anyText) }),
});

describe("classifyEvent on arbitrary text", () => {
  it("never throws, whatever the strings in every field and whatever the rules", () => {
    const ruleSets = fc.oneof(fc.constant(DEFAULTS), fc.constant([] as CompiledRule[]), adversarialRules);
    fc.assert(
      fc.property(anyEvent, ruleSets, (wire, rules) => {
        const parsed = wireEventSchema.safeParse(wire);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        const outcome = classifyEvent(toStorable(parsed.data!), rules, { hash: h });
        expect(["stored", "dropped"]).toContain(outcome.kind);
        expect(() => JSON.stringify(outcome)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});
