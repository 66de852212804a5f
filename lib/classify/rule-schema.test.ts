import { describe, expect, it } from "vitest";
import { detectorNames } from "./detectors";
import { RULE_DETECTOR_NAMES, ruleInputSchema, testEventSchema, updateRuleSchema } from "./rule-schema";

// The one schema of a rule's input, shared by the form and the actions.

const form = (over: Record<string, unknown> = {}) => ({
  name: "Ticket ids",
  description: "",
  matchEventType: "",
  matchFieldPath: "",
  matchRegex: "ZX-\\d+",
  matchDetector: "",
  level: "internal",
  categories: "business.ticket, business.ticket , support.case_id",
  action: "redact",
  ...over,
});

function firstError(input: unknown, schema = ruleInputSchema) {
  const parsed = schema.safeParse(input);
  return parsed.success ? null : { path: parsed.error.issues[0]!.path.join("."), message: parsed.error.issues[0]!.message };
}

describe("ruleInputSchema", () => {
  it("turns the form's text into a rule: empty fields become null, categories a de-duplicated list", () => {
    expect(ruleInputSchema.parse(form())).toEqual({
      name: "Ticket ids",
      description: null,
      matchEventType: null,
      matchFieldPath: null,
      matchRegex: "ZX-\\d+",
      matchDetector: null,
      level: "internal",
      categories: ["business.ticket", "support.case_id"],
      action: "redact",
    });
    expect(ruleInputSchema.parse(form({ categories: ["user.contact.email"], matchRegex: undefined, matchDetector: "email" })).categories).toEqual(["user.contact.email"]);
  });

  it("requires a name", () => {
    expect(firstError(form({ name: "   " }))).toEqual({ path: "name", message: "Give the rule a name" });
    expect(firstError(form({ name: undefined }))?.path).toBe("name");
  });

  it("requires at least one matcher", () => {
    expect(firstError(form({ matchRegex: "" }))).toEqual({ path: "matchDetector", message: "Give the rule something to match: an event type, a field path, a regex or a detector" });
    for (const matcher of [{ matchEventType: "error" }, { matchFieldPath: "attributes.*.email" }, { matchDetector: "sensitive_field" }]) {
      expect(ruleInputSchema.safeParse(form({ matchRegex: "", ...matcher })).success, JSON.stringify(matcher)).toBe(true);
    }
  });

  it("accepts only known detectors, event types, levels and actions", () => {
    expect(firstError(form({ matchDetector: "passport" }))).toMatchObject({ path: "matchDetector", message: expect.stringContaining("Detector must be one of email, phone") });
    expect(firstError(form({ matchEventType: "telemetry" }))?.path).toBe("matchEventType");
    expect(firstError(form({ level: "secret" }))?.path).toBe("level");
    expect(firstError(form({ action: "encrypt" }))?.path).toBe("action");
    for (const detector of ["secret", "sensitive_field", ...detectorNames()]) expect(ruleInputSchema.safeParse(form({ matchDetector: detector })).success, detector).toBe(true);
  });

  it("lists every built-in detector", () => {
    expect([...RULE_DETECTOR_NAMES].sort()).toEqual(detectorNames().sort());
  });

  it("validates categories against the segment.segment taxonomy", () => {
    expect(firstError(form({ categories: "user.contact.email, Email" }))).toEqual({
      path: "categories",
      message: 'Category "Email" is not a taxonomy path: use lower-case segments joined by dots, such as user.contact.email',
    });
    expect(firstError(form({ categories: "user" }))?.message).toContain('Category "user"');
    expect(firstError(form({ categories: "user..email" }))?.path).toBe("categories");
    expect(firstError(form({ categories: Array.from({ length: 11 }, (_, i) => `a.c${i}`).join(",") }))?.message).toBe("Give at most 10 categories");
    expect(ruleInputSchema.parse(form({ categories: "" })).categories).toEqual([]);
  });

  it("validates field paths", () => {
    expect(ruleInputSchema.parse(form({ matchFieldPath: " attributes.*.email " })).matchFieldPath).toBe("attributes.*.email");
    expect(firstError(form({ matchFieldPath: "attributes..email" }))?.path).toBe("matchFieldPath");
    expect(firstError(form({ matchFieldPath: "attributes email" }))?.path).toBe("matchFieldPath");
  });

  it("refuses a regex RE2 cannot run, naming the construct, and one over the size limits", () => {
    expect(firstError(form({ matchRegex: "(" }))).toEqual({ path: "matchRegex", message: "The regex is not valid RE2 syntax: missing closing ): `(`." });
    expect(firstError(form({ matchRegex: "(?<=order )#\\d+" }))).toMatchObject({ path: "matchRegex", message: expect.stringMatching(/^The regex uses a lookbehind `\(\?<=…\)`, which RE2 does not support/) });
    expect(firstError(form({ matchRegex: "(a)\\1" }))).toMatchObject({ path: "matchRegex", message: expect.stringMatching(/^The regex uses a backreference `\\1`/) });
    expect(firstError(form({ matchRegex: "x".repeat(501) }))?.message).toBe("The regex is 501 characters long; the limit is 500.");
  });

  it("accepts a regex that would backtrack catastrophically in JavaScript: RE2 runs it in linear time", () => {
    expect(ruleInputSchema.parse(form({ matchRegex: "(a+)+$" })).matchRegex).toBe("(a+)+$");
  });

  it("keeps a regex's spaces as written", () => {
    expect(ruleInputSchema.parse(form({ matchRegex: " id " })).matchRegex).toBe(" id ");
  });
});

describe("updateRuleSchema", () => {
  it("needs the rule's id and the version the editor loaded", () => {
    const id = "7f1e0a52-3c1b-4a57-9a43-5d1a3f7f2b10";
    expect(updateRuleSchema.safeParse({ ...form(), id, version: "2026-11-27T10:00:00.000Z" }).success).toBe(true);
    expect(firstError({ ...form(), id: "nope", version: "2026-11-27T10:00:00.000Z" }, updateRuleSchema)).toEqual({ path: "id", message: "Unknown rule" });
    expect(firstError({ ...form(), id }, updateRuleSchema)?.path).toBe("version");
    expect(firstError({ ...form({ matchRegex: "" }), id, version: "2026-11-27T10:00:00.000Z" }, updateRuleSchema)?.path).toBe("matchDetector");
  });
});

describe("testEventSchema", () => {
  it("needs a sample and validates a draft rule like a rule", () => {
    expect(firstError({ sample: "" }, testEventSchema as never)?.message).toBe("Paste a sample event as JSON");
    expect(testEventSchema.safeParse({ sample: "{}" }).success).toBe(true);
    expect(firstError({ sample: "{}", draft: form({ matchRegex: "(a)\\1" }) }, testEventSchema as never)).toMatchObject({ path: "draft.matchRegex" });
  });
});
