import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { anonymizeEvent, EVENT_LINK_COLUMNS, pseudonymize, redactJson, redactText } from "./anonymize";

// Pure parts of anonymization: no database, explicit keys (no CLEARLOG_SECRET needed).
describe("redactText", () => {
  it.each([
    ["mail ada@example.com now", "mail [EMAIL] now"],
    ["call +44 20 7946 0958 today", "call [PHONE] today"],
    ["paid with 4111 1111 1111 1111 exp 12/27", "paid with [CARD] exp 12/27"],
    ["card 5555555555554444.", "card [CARD]."],
    ["Pay to DE89 3704 0044 0532 0130 00 EUR", "Pay to [IBAN] EUR"],
    ["iban GB82WEST12345698765432", "iban [IBAN]"],
    ["client 203.0.113.42 connected", "client [IP] connected"],
    ["from 2001:db8::1 ok", "from [IP] ok"],
  ])("redacts %j", (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it("redacts several kinds in one text, keeping everything between them", () => {
    const text = "user=carol@example.com ip=203.0.113.9 card=4111111111111111 phone +1 415 555 0132 done";
    expect(redactText(text)).toBe("user=[EMAIL] ip=[IP] card=[CARD] phone [PHONE] done");
  });

  it("leaves plain text, Luhn-invalid card numbers and bad IBANs alone", () => {
    for (const text of [
      "",
      "The export finished in 12.5 s with 1234 rows",
      "version 1.2.3 released on 2026-11-27",
      "4111 1111 1111 1112",
      "GB82WEST12345698765433",
      "order ORD-2026-000123",
    ]) {
      expect(redactText(text)).toBe(text);
    }
  });

  it("is idempotent: redacted text has nothing left to redact", () => {
    const once = redactText("ada@example.com, 4111 1111 1111 1111, 10.0.0.1");
    expect(once).toBe("[EMAIL], [CARD], [IP]");
    expect(redactText(once)).toBe(once);
  });
});

describe("redactJson", () => {
  it("redacts strings at every depth and keeps numbers, booleans and null", () => {
    const input = {
      note: "write to bob@example.org",
      count: 3,
      ratio: 0.5,
      ok: true,
      off: false,
      none: null,
      nested: { contact: { phone: "+44 20 7946 0958", tags: ["vip", "from 198.51.100.7"] }, depth: 2 },
      list: [1, "ada@example.com", { ip: "10.0.0.1" }],
    };
    expect(redactJson(input)).toEqual({
      note: "write to [EMAIL]",
      count: 3,
      ratio: 0.5,
      ok: true,
      off: false,
      none: null,
      nested: { contact: { phone: "[PHONE]", tags: ["vip", "from [IP]"] }, depth: 2 },
      list: [1, "[EMAIL]", { ip: "[IP]" }],
    });
  });

  it("replaces the values of secret-named fields, whatever their type, at any depth", () => {
    const input = {
      password: "hunter2hunter2",
      token: 12345,
      secret: { a: 1 },
      user: { name: "Ada", apiToken: "abc", db_password: ["x"] },
      token_count: 42,
      session_key: "plain",
    };
    expect(redactJson(input)).toEqual({
      password: "[REDACTED]",
      token: "[REDACTED]",
      secret: "[REDACTED]",
      user: { name: "Ada", apiToken: "[REDACTED]", db_password: "[REDACTED]" },
      token_count: 42,
      session_key: "plain",
    });
  });

  it("handles top-level scalars and arrays, and does not change its input", () => {
    expect(redactJson("ada@example.com")).toBe("[EMAIL]");
    expect(redactJson(7)).toBe(7);
    expect(redactJson(null)).toBeNull();
    expect(redactJson(true)).toBe(true);
    expect(redactJson(["a", "10.0.0.1"])).toEqual(["a", "[IP]"]);
    const input = { m: "ada@example.com", password: "p" };
    redactJson(input);
    expect(input).toEqual({ m: "ada@example.com", password: "p" });
  });
});

describe("anonymizeEvent", () => {
  it("clears every link column, redacts message and payload, and keeps the other fields", () => {
    const event = {
      event_id: "e-1",
      occurred_at: "2026-11-27T10:00:00.000Z",
      type: "user_action",
      message: "sent to bob@example.org",
      payload: { attributes: { email: "ada@example.com", password: "pw", n: 3 } },
      subject_pseudonym: "a".repeat(64),
      session_id: "sess-1",
      gen_ai_conversation_id: "conv-1",
    };
    const out = anonymizeEvent(event);
    expect(out).toEqual({
      event_id: "e-1",
      occurred_at: "2026-11-27T10:00:00.000Z",
      type: "user_action",
      message: "sent to [EMAIL]",
      payload: { attributes: { email: "[EMAIL]", password: "[REDACTED]", n: 3 } },
      subject_pseudonym: null,
      session_id: null,
      gen_ai_conversation_id: null,
    });
    for (const column of EVENT_LINK_COLUMNS) expect(out[column]).toBeNull();
    expect(EVENT_LINK_COLUMNS).toEqual(["subject_pseudonym", "session_id", "gen_ai_conversation_id"]);
    // The input is left as it was.
    expect(event.subject_pseudonym).toBe("a".repeat(64));
    expect(event.message).toBe("sent to bob@example.org");
  });

  it("also scrubs the person's user id, session and conversation as whole tokens, and keyed tokens", () => {
    const out = anonymizeEvent({
      message: "u-77 in sess-1 (conv-1) sent [EMAIL:3f2a9c0d1b4e]; u-770 stays",
      payload: { attributes: { user: "u-77", "u-77": 1 } },
      external_id: "u-77",
      session_id: "sess-1",
      gen_ai_conversation_id: "conv-1",
    });
    expect(out).toMatchObject({ message: "[SUBJECT] in [SESSION] ([CONVERSATION]) sent [EMAIL]; u-770 stays", payload: { attributes: { user: "[SUBJECT]", "[SUBJECT]": 1 } } });
  });

  it("keeps a null message null", () => {
    expect(anonymizeEvent({ message: null, payload: {} })).toEqual({ message: null, payload: {}, subject_pseudonym: null, session_id: null, gen_ai_conversation_id: null });
  });
});

describe("pseudonymize", () => {
  const key = "test-key-0123456789abcdef0123456789abcdef";
  const otherKey = "another-key-0123456789abcdef0123456789ab";

  it("is a hex HMAC-SHA256 of domain and value under the key", () => {
    const token = pseudonymize("subject", "user-42", key);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(token).toBe(createHmac("sha256", key).update("subject:user-42").digest("hex"));
  });

  it("is deterministic per key and domain", () => {
    expect(pseudonymize("subject", "user-42", key)).toBe(pseudonymize("subject", "user-42", key));
    expect(pseudonymize("hash", "ada@example.com", key)).toBe(pseudonymize("hash", "ada@example.com", key));
  });

  it("differs across domains, keys and values", () => {
    const base = pseudonymize("subject", "user-42", key);
    expect(pseudonymize("hash", "user-42", key)).not.toBe(base);
    expect(pseudonymize("subject", "user-42", otherKey)).not.toBe(base);
    expect(pseudonymize("subject", "user-43", key)).not.toBe(base);
  });
});
