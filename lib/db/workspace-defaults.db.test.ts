import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../classify/default-rules";
import { DEFAULT_PURPOSES, NOTICE_VERSION } from "../consent/purposes";
import { DEFAULT_RETENTION } from "../retention/default-policies";
import { db } from "./client";

// Every migrated database starts with the workspace defaults (the workspace_defaults migration), and
// they are exactly the values the code documents: the two cannot drift apart.
describe("workspace defaults", () => {
  it("has the default consent purposes", async () => {
    const rows = await db().consentPurpose.findMany({ orderBy: { sortOrder: "asc" } });
    expect(rows.map((r, i) => ({ ...r, sortOrder: i }))).toEqual(DEFAULT_PURPOSES.map((p, i) => ({ ...p, noticeVersion: NOTICE_VERSION, sortOrder: i })));
  });

  it("has the default classification rules, enabled", async () => {
    const rows = await db().classificationRule.findMany({ orderBy: { priority: "asc" } });
    expect(rows.every((r) => r.enabled)).toBe(true);
    expect(
      rows.map((r) => ({
        name: r.name,
        description: r.description,
        priority: r.priority,
        ...(r.matchEventType ? { matchEventType: r.matchEventType } : {}),
        ...(r.matchFieldPath ? { matchFieldPath: r.matchFieldPath } : {}),
        ...(r.matchRegex ? { matchRegex: r.matchRegex } : {}),
        ...(r.matchDetector ? { matchDetector: r.matchDetector } : {}),
        level: r.level,
        categories: r.categories,
        action: r.action,
      })),
    ).toEqual(DEFAULT_RULES);
  });

  it("has the default retention policies", async () => {
    const rows = await db().retentionPolicy.findMany({ orderBy: { keepDays: "desc" } });
    expect(rows.map((r) => ({ name: r.name, classification: r.classification, keepDays: r.keepDays, action: r.action, eventType: r.eventType }))).toEqual(
      [...DEFAULT_RETENTION].sort((a, b) => b.keepDays - a.keepDays).map((p) => ({ ...p, eventType: null })),
    );
  });
});
