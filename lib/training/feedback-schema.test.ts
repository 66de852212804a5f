import { describe, expect, it } from "vitest";
import { parseFeedback } from "./feedback-schema";

const valid = { model: "support-bot", version: "1.2.0", rating: "up" };

function problem(input: unknown): { field: string; message: string } {
  const parsed = parseFeedback(input);
  if (parsed.ok) throw new Error(`expected a refusal for ${JSON.stringify(input)}`);
  return parsed;
}

describe("feedbackSchema", () => {
  it("accepts each way of naming the version, and defaults the source to end_user", () => {
    for (const input of [valid, { model: "support-bot", alias: "production", score: 0 }, { modelVersionId: "0b6c7b9e-3f43-4a8e-9d0a-5a8f1d2c3b4e", comment: "ok" }]) {
      const parsed = parseFeedback(input);
      expect(parsed.ok, JSON.stringify(input)).toBe(true);
      if (parsed.ok) expect(parsed.data.source).toBe("end_user");
    }
    const full = parseFeedback({
      ...valid,
      id: "7d3c1a52-96b4-4e0e-8f7e-2b1f4c5d6e7f",
      eventId: "evt_01:a.b-c",
      subject: "user-42",
      score: 10,
      label: "wrong_answer",
      correction: "The refund window is 30 days.",
      comment: "Close, but the policy changed.",
      source: "annotator",
    });
    expect(full.ok).toBe(true);
  });

  it("names the field of each bad input, without echoing the value", () => {
    const cases: [unknown, RegExp][] = [
      ["just text", /^body: must be a JSON object$/],
      [[valid], /^body: must be a JSON object$/],
      [null, /^body: must be a JSON object$/],
      [{ ...valid, ratng: "up" }, /^body: unknown field\(s\): ratng$/],
      [{ ...valid, id: "not-a-uuid" }, /^id: must be a UUID/],
      [{ ...valid, model: "Support Bot!" }, /^model: must be a registered model name/],
      [{ ...valid, model: 7 }, /^model: must be a string$/],
      [{ ...valid, version: "1.2" }, /^version: must be a semantic version/],
      [{ model: "support-bot", rating: "up" }, /^version: give exactly one of version, alias or modelVersionId$/],
      [{ ...valid, alias: "production" }, /^alias: give exactly one of version, alias or modelVersionId$/],
      [{ ...valid, alias: "Prod!" }, /^alias: must be an alias/],
      [{ version: "1.2.0", rating: "up" }, /^model: is required with version or alias$/],
      [{ modelVersionId: "nope", rating: "up" }, /^modelVersionId: must be a model version id/],
      [{ ...valid, eventId: "has spaces" }, /^eventId: must be the event's id/],
      [{ ...valid, eventId: "ghp_abcdefghijklmnopqrstuvwxyz0123456789" }, /^eventId: must not contain a credential/],
      [{ ...valid, subject: "" }, /^subject: must not be empty$/],
      [{ ...valid, subject: "x".repeat(257) }, /^subject: must be at most 256 characters$/],
      [{ ...valid, rating: "meh" }, /^rating: must be up or down$/],
      [{ ...valid, rating: 1 }, /^rating: must be up or down$/],
      [{ ...valid, score: 10.5 }, /^score: must be from 0 to 10$/],
      [{ ...valid, score: -0.1 }, /^score: must be from 0 to 10$/],
      [{ ...valid, score: "4" }, /^score: must be a number$/],
      [{ ...valid, label: "l".repeat(201) }, /^label: must be at most 200 characters$/],
      [{ ...valid, label: "" }, /^label: must not be empty$/],
      [{ ...valid, correction: "c".repeat(20_001) }, /^correction: must be at most 20000 characters$/],
      [{ ...valid, comment: "c".repeat(5001) }, /^comment: must be at most 5000 characters$/],
      [{ ...valid, comment: 42 }, /^comment: must be a string$/],
      [{ ...valid, source: "robot" }, /^source: must be one of end_user, annotator, automated$/],
      [{ model: "support-bot", version: "1.2.0" }, /^body: give at least one of rating, score, label, correction, comment$/],
    ];
    for (const [input, expected] of cases) {
      const { message } = problem(input);
      expect(message, JSON.stringify(input).slice(0, 120)).toMatch(expected);
    }
  });

  it("reports the field separately for callers that map it", () => {
    expect(problem({ ...valid, score: 99 }).field).toBe("score");
    expect(problem({ ...valid, subject: "" }).field).toBe("subject");
    expect(problem(42).field).toBe("body");
  });

  it("never repeats what was sent", () => {
    const planted = "jane.doe@example.com";
    for (const input of [{ ...valid, model: planted }, { ...valid, alias: planted }, { ...valid, eventId: planted }, { ...valid, id: planted }, { ...valid, rating: planted }]) {
      expect(problem(input).message).not.toContain("jane");
    }
  });
});
