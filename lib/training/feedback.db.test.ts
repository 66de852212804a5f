import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { invalidateRuleCache } from "../classify/rule-cache";
import { recordConsent } from "../consent/consent";
import { database, db } from "../db/client";
import { ingestEvents } from "../ingest/ingest";
import { pseudonymFor } from "../privacy/pseudonym";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { errorOf, expectSafeError } from "@/test/support/errors";
import { FeedbackRefusedError, recordFeedback } from "./feedback";
import { feedbackStats } from "./feedback-stats";

// Feedback intake and its statistics on a real database, and the route over real HTTP.
let server: IngestTestServer;
let url: string;
let feedbackKey: string;
let ingestKey: string;
const v: Record<"one" | "two" | "stats" | "fractional", string> = { one: "", two: "", stats: "", fractional: "" };

async function startServer() {
  server = await startIngestServer();
  url = `${server.url}/api/v1/feedback`;
}

const grantTraining = async (subject: string, granted = true) =>
  recordConsent({ externalId: subject }, [{ purpose: "ai_training", granted }], { method: "api" });

async function row(id: string) {
  const { rows } = await database().pool.query("SELECT f.*, f::text AS row_text FROM model_feedback f WHERE id = $1", [id]);
  expect(rows).toHaveLength(1);
  return rows[0];
}

beforeAll(async () => {
  const model = await db().model.create({ data: { name: "support-bot", modelType: "llm" } });
  const version = (version: string, modelId = model.id) => db().modelVersion.create({ data: { modelId, version } }).then((r) => r.id);
  v.one = await version("1.0.0");
  v.two = await version("1.1.0");
  v.stats = await version("2.0.0");
  v.fractional = await version("3.0.0");
  await db().modelAlias.create({ data: { modelId: model.id, alias: "production", modelVersionId: v.two } });
  await db().model.create({ data: { name: "other-model", modelType: "llm" } });
  feedbackKey = (await createApiKey({ name: "feedback", scopes: ["feedback"] }, { type: "cli" })).secret;
  ingestKey = (await createApiKey({ name: "ingest only", scopes: ["ingest"] }, { type: "cli" })).secret;
  await grantTraining("ada");
  await grantTraining("eve");
  await db().subject.update({ where: { pseudonym: pseudonymFor("eve") }, data: { restrictedAt: new Date() } });
  await startServer();
});

afterAll(async () => {
  await server?.stop();
});

const base = { model: "support-bot", version: "1.0.0" };

describe("recordFeedback", () => {
  it("stores feedback with its text classified like event text: markers instead of the email, card and key", async () => {
    const result = await recordFeedback({
      ...base,
      subject: "ada",
      rating: "down",
      score: 2,
      label: "wrong_answer",
      comment: "Charged my card 4111 1111 1111 1111 twice, write to jane.doe@example.com",
      correction: "Use the key sk_live_abcdefghijklmnopqrstuvwx instead",
    });
    expect(result).toMatchObject({ status: "accepted", trainingEligible: true });
    const r = await row(result.id);
    expect(r).toMatchObject({ model_version_id: v.one, subject_pseudonym: pseudonymFor("ada"), rating: -1, score: 2, label: "wrong_answer", source: "end_user", training_eligible: true });
    expect(r.comment).toMatch(/^Charged my card \[CARD\] twice, write to \[EMAIL:[0-9a-f]{12}\]$/);
    expect(r.correction).toBe("Use the key [API_KEY] instead");
    for (const raw of ["4111 1111 1111 1111", "4111111111111111", "jane.doe", "example.com", "sk_live"]) expect(r.row_text).not.toContain(raw);
  });

  it("creates the subject link as ingest does; without ai_training consent it is kept but not eligible", async () => {
    const result = await recordFeedback({ ...base, subject: "cyd", rating: "up" });
    expect(result).toMatchObject({ status: "accepted", trainingEligible: false });
    expect(await db().subject.count({ where: { externalId: "cyd", pseudonym: pseudonymFor("cyd") } })).toBe(1);
    expect(await row(result.id)).toMatchObject({ subject_pseudonym: pseudonymFor("cyd"), training_eligible: false });
    expect(await recordFeedback({ ...base, rating: "up" })).toMatchObject({ trainingEligible: false }); // no subject
    expect(await recordFeedback({ ...base, subject: "eve", rating: "up" })).toMatchObject({ trainingEligible: false }); // restricted
  });

  it("is not eligible when the event it is about was excluded from training", async () => {
    const event = (id: string, subject: string) => ({ id, type: "ai_interaction", timestamp: new Date().toISOString(), subject, ai: { model: "gpt-4o", prompt: "hi" } });
    // gus had not consented when the interaction was logged, so the event is marked excluded.
    await ingestEvents([event("fb-gus-1", "gus"), event("fb-ada-1", "ada")], { apiKeyId: null, ip: null, userAgent: null });
    await grantTraining("gus");
    expect(await recordFeedback({ ...base, subject: "gus", eventId: "fb-gus-1", rating: "up" })).toMatchObject({ trainingEligible: false });
    expect(await recordFeedback({ ...base, subject: "gus", rating: "up" })).toMatchObject({ trainingEligible: true });
    expect(await recordFeedback({ ...base, subject: "ada", eventId: "fb-ada-1", rating: "up" })).toMatchObject({ trainingEligible: true });
    expect(await recordFeedback({ ...base, subject: "ada", eventId: "not-arrived-yet", rating: "up" })).toMatchObject({ trainingEligible: true });
  });

  it("stores the same id once and answers duplicate", async () => {
    const id = randomUUID();
    const input = { ...base, id, subject: "ada", score: 7 };
    expect(await recordFeedback(input)).toEqual({ id, status: "accepted", trainingEligible: true });
    expect(await recordFeedback(input)).toEqual({ id, status: "duplicate", trainingEligible: true });
    const twice = await Promise.all([recordFeedback({ ...input, id: randomUUID() }), recordFeedback({ ...input, id })]);
    expect(twice[1].status).toBe("duplicate");
    expect(await db().modelFeedback.count({ where: { id } })).toBe(1);
  });

  it("resolves an alias and a version id; unknown names are not_found, naming what is missing", async () => {
    expect((await row((await recordFeedback({ model: "support-bot", alias: "production", rating: "up" })).id)).model_version_id).toBe(v.two);
    expect((await row((await recordFeedback({ modelVersionId: v.one, comment: "fine" })).id)).model_version_id).toBe(v.one);
    await expectSafeError(recordFeedback({ model: "no-such-model", version: "1.0.0", rating: "up" }), "not_found", 'model: no model named "no-such-model" is registered');
    await expectSafeError(recordFeedback({ ...base, version: "9.9.9", rating: "up" }), "not_found", 'version: model "support-bot" has no version 9.9.9');
    await expectSafeError(recordFeedback({ model: "support-bot", alias: "staging", rating: "up" }), "not_found", 'alias: model "support-bot" has no alias "staging"');
    await expectSafeError(recordFeedback({ model: "other-model", alias: "production", rating: "up" }), "not_found", /^alias: model "other-model" has no alias/);
    await expectSafeError(recordFeedback({ modelVersionId: randomUUID(), rating: "up" }), "not_found", /^modelVersionId: no model version/);
    await expectSafeError(recordFeedback({ model: "other-model", modelVersionId: v.one, rating: "up" }), "not_found", /^modelVersionId: is not a version of model "other-model"/);
    await expectSafeError(recordFeedback({ ...base, score: 11 }), "invalid", /^score: must be from 0 to 10$/);
  });

  it("refuses feedback a drop_event rule matches, storing nothing", async () => {
    const rule = await db().classificationRule.create({
      data: { name: "Internal codenames", priority: 5, matchFieldPath: "feedback.*", matchRegex: "Project Nightjar", level: "restricted", action: "drop_event" },
    });
    invalidateRuleCache();
    try {
      const before = await db().modelFeedback.count();
      const error = await errorOf(recordFeedback({ ...base, rating: "down", comment: "It leaked Project Nightjar" }));
      expect(error).toBeInstanceOf(FeedbackRefusedError);
      expect((error as Error).message).toBe('comment: refused by the classification rule "Internal codenames"; the feedback was not stored');
      expect(await db().modelFeedback.count()).toBe(before);
    } finally {
      await db().classificationRule.delete({ where: { id: rule.id } });
      invalidateRuleCache();
    }
  });
});

describe("POST /api/v1/feedback", () => {
  const post = (body: string | object, key = feedbackKey, headers: Record<string, string> = {}) =>
    fetch(url, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const errorOfResponse = async (response: Response) => ((await response.json()) as { error: string }).error;

  it("answers 201 for new feedback and 200 for a resend of the same id", async () => {
    const id = randomUUID();
    const first = await post({ ...base, id, subject: "ada", rating: "up", comment: "Great answer" });
    expect(first.status).toBe(201);
    expect(first.headers.get("access-control-allow-origin")).toBe("*");
    expect(await first.json()).toEqual({ id, status: "accepted", trainingEligible: true });
    const again = await post({ ...base, id, subject: "ada", rating: "up", comment: "Great answer" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id, status: "duplicate", trainingEligible: true });
    expect(await db().modelFeedback.count({ where: { id } })).toBe(1);
  });

  it("refuses with the status and a message naming the problem, never the value", async () => {
    const wrongKey = await post({ ...base, rating: "up" }, "clk_not_a_real_key_0000000000000000");
    expect(wrongKey.status).toBe(401);
    const noScope = await post({ ...base, rating: "up" }, ingestKey);
    expect(noScope.status).toBe(403);
    expect(await errorOfResponse(noScope)).toMatch(/feedback/);
    const malformed = await post('{"model": "support-bot", ');
    expect(malformed.status).toBe(400);
    expect(await errorOfResponse(malformed)).toMatch(/^Malformed JSON/);
    const badField = await post({ ...base, rating: "up", score: 99, subject: "jane.doe@example.com" });
    expect(badField.status).toBe(400);
    const message = await errorOfResponse(badField);
    expect(message).toBe("score: must be from 0 to 10");
    const unknown = await post({ model: "support-bot", version: "4.0.0", rating: "up" });
    expect(unknown.status).toBe(404);
    expect(await errorOfResponse(unknown)).toMatch(/^version: model "support-bot" has no version 4\.0\.0$/);
    const huge = await post({ ...base, rating: "up", comment: "x".repeat(300_000) });
    expect(huge.status).toBe(413);
    const notJson = await post("rating=up", feedbackKey, { "Content-Type": "text/plain" });
    expect(notJson.status).toBe(415);
    const preflight = await fetch(url, { method: "OPTIONS" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
  });
});

describe("feedbackStats", () => {
  const now = new Date("2026-03-15T12:00:00Z");
  const at = (iso: string) => new Date(iso);

  it("computes the daily series, totals, score histogram and latest texts in SQL", async () => {
    const who = pseudonymFor("ada");
    const rows = [
      { createdAt: at("2026-03-13T08:00:00Z"), rating: 1, score: 4, trainingEligible: true, subjectPseudonym: who },
      { createdAt: at("2026-03-13T23:59:59Z"), rating: -1, score: 2 },
      { createdAt: at("2026-03-15T09:00:00Z"), rating: 1, score: 5, trainingEligible: true, comment: "great", subjectPseudonym: who },
      { createdAt: at("2026-03-15T10:00:00Z"), correction: "Email [EMAIL:0123456789ab] instead", source: "annotator" as const },
      { createdAt: at("2026-02-13T23:00:00Z"), rating: 1, score: 1, label: "old" }, // before the window
    ];
    await db().modelFeedback.createMany({ data: rows.map((r) => ({ source: "end_user" as const, ...r, modelVersionId: v.stats })) });
    const stats = await feedbackStats(v.stats, { now });
    expect(stats.days).toBe(30);
    expect(stats.since).toBe("2026-02-14T00:00:00.000Z");
    expect(stats.daily).toHaveLength(30);
    expect(stats.daily[0]!.date).toBe("2026-02-14");
    expect(stats.daily.at(-1)!.date).toBe("2026-03-15");
    const day = (date: string) => stats.daily.find((d) => d.date === date);
    expect(day("2026-03-13")).toEqual({ date: "2026-03-13", count: 2, up: 1, down: 1, meanScore: 3 });
    expect(day("2026-03-14")).toEqual({ date: "2026-03-14", count: 0, up: 0, down: 0, meanScore: null });
    expect(day("2026-03-15")).toEqual({ date: "2026-03-15", count: 2, up: 1, down: 0, meanScore: 5 });
    expect(stats.daily.reduce((n, d) => n + d.count, 0)).toBe(4);
    expect(stats.totals).toEqual({ count: 4, up: 2, down: 1, scored: 3, meanScore: 11 / 3, trainingEligible: 2, eligibleShare: 0.5 });
    expect(stats.scoreScale).toBe(5);
    expect(stats.scoreBuckets.map((b) => [b.label, b.count])).toEqual([["0", 0], ["1", 0], ["2", 1], ["3", 0], ["4", 1], ["5", 1]]);
    expect(stats.latest.map((l) => [l.source, l.correction ?? l.comment ?? l.label, l.createdAt])).toEqual([
      ["annotator", "Email [EMAIL:0123456789ab] instead", "2026-03-15T10:00:00.000Z"],
      ["end_user", "great", "2026-03-15T09:00:00.000Z"],
      ["end_user", "old", "2026-02-13T23:00:00.000Z"],
    ]);
    expect(JSON.stringify(stats)).not.toContain(who);

    const week = await feedbackStats(v.stats, { now, days: 7 });
    expect(week.daily.map((d) => d.date)).toEqual(["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13", "2026-03-14", "2026-03-15"]);
  });

  it("bins fractional scores in ten bins of the smallest scale that fits, and is empty without feedback", async () => {
    await db().modelFeedback.createMany({
      data: [0.05, 0.15, 0.95, 1].map((score) => ({ modelVersionId: v.fractional, score, source: "automated" as const, createdAt: at("2026-03-14T12:00:00Z") })),
    });
    const stats = await feedbackStats(v.fractional, { now });
    expect(stats.scoreScale).toBe(1);
    expect(stats.scoreBuckets).toHaveLength(10);
    expect(stats.scoreBuckets[0]).toEqual({ label: "0–0.1", from: 0, to: 0.1, count: 1 });
    expect(stats.scoreBuckets.map((b) => b.count)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(stats.scoreBuckets[9]!.label).toBe("0.9–1");
    const empty = await feedbackStats(randomUUID(), { now });
    expect(empty.totals).toEqual({ count: 0, up: 0, down: 0, scored: 0, meanScore: null, trainingEligible: 0, eligibleShare: null });
    expect(empty.scoreBuckets).toEqual([]);
    expect(empty.latest).toEqual([]);
    expect(empty.daily.every((d) => d.count === 0)).toBe(true);
  });
});
