import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wireEventSchema } from "../ingest/event-schema";
import { toStorable } from "../ingest/normalize";
import { findAll } from "./detectors";
import { classifyEvent } from "./engine";
import { findLabelledSecrets } from "./secret-patterns";
import { findUnlabelledSecrets, shannonEntropy } from "./unlabelled-secrets";

// The scan for unlabelled secrets: generated secrets (random bytes in the encodings keys use) are
// caught; generated look-alikes (UUIDs, git SHAs, digests, order numbers, versions, data: URIs,
// base64 of text, identifiers, paths) are not. Random tokens can, rarely, look like words: the
// generated-secret properties measure a rate over many samples instead of demanding every one.
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789abcdef";
const str = (alphabet: string, min: number, max: number) => fc.string({ unit: fc.constantFrom(...alphabet.split("")), minLength: min, maxLength: max });
const words = fc.constantFrom("user", "account", "settings", "handler", "request", "callback", "product", "catalog", "search", "result", "page", "component", "manager", "invoice", "order", "payment");
const pascal = fc.array(words, { minLength: 5, maxLength: 9 }).map((ws) => ws.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(""));
const around = (value: fc.Arbitrary<string>) => fc.tuple(fc.constantFrom("", "my key is ", "AWS_SECRET ", "see: ", '{"v":"', "token ", "\n"), value, fc.constantFrom("", " thanks", '"}', ".", "\n"));

// no bias: fast-check otherwise favours repeated and small values, which random keys are not
const secrets = fc.noBias(fc.oneof(
  bytes(24, 48).map((b) => Buffer.from(b).toString("base64")), // AWS secret access keys are 40 base64 characters
  bytes(24, 48).map((b) => Buffer.from(b).toString("base64url")),
  str(ALNUM, 32, 64), // base62 API keys and session tokens
));

const lookAlikes = fc.oneof(
  fc.uuid(),
  str(ALNUM, 29, 29).map((s) => `chatcmpl-${s}`), // OpenAI response ids
  str(HEX, 40, 40), // git SHA-1
  str(HEX, 64, 64), // git SHA-256, sha256 hex digests
  str(HEX, 32, 32).map((h) => h.toUpperCase()), // MD5 in upper case
  bytes(32, 32).map((b) => `sha256-${Buffer.from(b).toString("base64")}`), // subresource integrity
  bytes(32, 32).map((b) => `digest: ${Buffer.from(b).toString("base64")}`),
  bytes(32, 32).map((b) => `"etag": "${Buffer.from(b).toString("base64")}"`),
  bytes(40, 600).map((b) => `data:image/png;base64,${Buffer.from(b).toString("base64")}`),
  bytes(40, 300).map((b) => `iVBORw0KGgoAAAANSUhEUgAA${Buffer.from(b).toString("base64")}`), // a PNG's base64 without its data: URI
  fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 0, max: 99_999_999 })).map(([y, n]) => `ORD-${y}-${String(n).padStart(12, "0")}-EU`),
  fc.tuple(fc.nat(99), fc.nat(99), fc.nat(999), str(HEX, 7, 12)).map(([a, b, c, h]) => `v${a}.${b}.${c}-rc.1+build.${h}`),
  fc.tuple(pascal, fc.nat(9999)).map(([p, n]) => `${p}${n}`), // identifiers
  fc.tuple(pascal, words).map(([p, w]) => `com_example_${p}_${w}_V2`),
  fc.tuple(words, words, pascal).map(([a, b, p]) => `src/${a}/${b}/${p}Component2`), // paths
  fc.tuple(words, fc.nat(100_000)).map(([w, n]) => Buffer.from(`{"${w}":"${w} ${n}","ok":true,"items":[1,2,3]}`).toString("base64")), // base64 of text
);

describe("unlabelled secrets", () => {
  it("catches at least 99.9% of generated secrets, each as the whole token", () => {
    const samples = fc.sample(around(secrets), { numRuns: 10_000, seed: 13 });
    let caught = 0;
    for (const [before, secret, after] of samples) {
      const matches = findUnlabelledSecrets(before + secret + after);
      if (matches.length === 1 && matches[0]!.start === before.length && matches[0]!.end === before.length + secret.length) caught++;
    }
    expect(caught / samples.length).toBeGreaterThanOrEqual(0.999);
  }, 30_000);

  it("never redacts a generated look-alike (UUIDs, SHAs, digests, data: URIs, order numbers, versions, identifiers, paths, base64 text)", () => {
    fc.assert(
      fc.property(around(lookAlikes), ([before, value, after]) => {
        expect(findUnlabelledSecrets(before + value + after)).toEqual([]);
      }),
      { numRuns: 5000 },
    );
  });

  it("catches the AWS documentation's example secret access key pasted into a prompt, unlabelled", () => {
    const text = "Why does my upload fail? I use wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY in the script.";
    expect(findAll(text).map((m) => [m.detector, text.slice(m.start, m.end)])).toEqual([["unlabelled_secret", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]]);
  });

  it("has entropy near log2 of the alphabet for random text and low for words", () => {
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
  });
});

describe("identifiers", () => {
  it("accepts long random event, session and conversation ids as they are, but not a secret in a message", () => {
    fc.assert(
      fc.property(fc.noBias(str(ALNUM, 32, 64)), (id) => {
        const wire = { id, type: "ai_interaction", timestamp: "2026-12-03T10:00:00Z", sessionId: id, message: `leaked ${id}`, ai: { model: "gpt-4o", conversationId: id } };
        const parsed = wireEventSchema.safeParse(wire);
        expect(parsed.success).toBe(true);
        const outcome = classifyEvent(toStorable(parsed.data!), [], { hash: (v) => v.slice(0, 4) });
        if (outcome.kind !== "stored") throw new Error("dropped");
        expect([outcome.event.eventId, outcome.event.sessionId, outcome.event.genAi.conversationId]).toEqual([id, id, id]);
        if (findUnlabelledSecrets(id).length > 0) expect(outcome.event.message).toBe("leaked [SECRET]");
      }),
      { numRuns: 300 },
    );
  });
});

describe("credentials in URLs and key= labels", () => {
  const values = str(ALNUM + "-_.~%", 8, 80);
  const names = fc.constantFrom("token", "key", "sig", "code", "access_token", "id_token", "X-Amz-Signature", "X-Amz-Security-Token", "api_key", "client_secret");

  it("redacts the value of a credential parameter in a query string or fragment, and keeps the rest of the URL", () => {
    fc.assert(
      fc.property(names, values, fc.constantFrom("?", "&", "#"), (name, value, sep) => {
        const url = `https://files.example.com/report.pdf?v=2${sep === "?" ? "&" : sep}${name}=${value}&lang=en`;
        const found = findLabelledSecrets(url).map((m) => url.slice(m.start, m.end));
        expect(found).toEqual([value]);
      }),
      { numRuns: 1000 },
    );
  });

  it("leaves ordinary parameters and prose alone", () => {
    for (const text of ["https://shop.example.com/items?page=2&sort=price&lang=en-GB", "status code=200 after retry", "GET /search?q=weather+paris&code=FR"]) {
      expect(findLabelledSecrets(text)).toEqual([]);
    }
  });

  it("treats a bare key= label as a secret only when its value looks like one", () => {
    const text = "config key=Zx81QmT4vLp02RaYw9 and key=users:42, key: name";
    expect(findLabelledSecrets(text).map((m) => text.slice(m.start, m.end))).toEqual(["Zx81QmT4vLp02RaYw9"]);
  });
});
