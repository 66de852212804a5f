import { describe, expect, it } from "vitest";
import { FILTER_KEYS, filtersSchema, filtersToParams, RANGE_PRESETS, timeWindow, type Filters, type RangePreset } from "./filters";

// The explorer's URL filters (lib/logs/filters.ts): parsing, serialising back to a URL, time windows.
const SUBJECT = "0123456789abcdef".repeat(4);
const NOW = new Date("2025-06-15T12:00:00.000Z");

/** The issues of a failed parse, as path and message. */
function issues(input: Record<string, unknown>) {
  const parsed = filtersSchema.safeParse(input);
  expect(parsed.success).toBe(false);
  return parsed.error!.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

describe("filtersSchema", () => {
  it("defaults to the last 24 hours with no other filter", () => {
    const parsed = filtersSchema.parse({});
    expect(parsed.range).toBe("24h");
    for (const key of FILTER_KEYS.filter((k) => k !== "range")) expect(parsed[key], key).toBeUndefined();
    // Empty parameters (a cleared form field) are the same as absent ones.
    const empty = filtersSchema.parse(Object.fromEntries(FILTER_KEYS.map((k) => [k, ""])));
    expect(empty).toEqual(parsed);
    expect(filtersSchema.parse({ component: "   ", q: " \t " })).toEqual(parsed);
  });

  it("splits lists on commas and keeps their order", () => {
    const parsed = filtersSchema.parse({ type: "error,api_request", severity: "warn,error,fatal", classification: "restricted" });
    expect(parsed.type).toEqual(["error", "api_request"]);
    expect(parsed.severity).toEqual(["warn", "error", "fatal"]);
    expect(parsed.classification).toEqual(["restricted"]);
  });

  it("rejects unknown list values with a message naming what is wrong, and where", () => {
    expect(issues({ type: "error,bogus" })).toEqual([{ path: "type.1", message: "Unknown event type" }]);
    expect(issues({ severity: "critical" })).toEqual([{ path: "severity.0", message: "Unknown severity" }]);
    expect(issues({ classification: "secret" })).toEqual([{ path: "classification.0", message: "Unknown classification" }]);
    // Values are case-sensitive and an empty element is not a value.
    expect(issues({ type: "ERROR" })).toEqual([{ path: "type.0", message: "Unknown event type" }]);
    expect(issues({ type: "error," })).toEqual([{ path: "type.1", message: "Unknown event type" }]);
    expect(issues({ range: "2d" })).toEqual([{ path: "range", message: "Unknown time range" }]);
  });

  it("accepts only a 64-hex pseudonym as the subject", () => {
    expect(filtersSchema.parse({ subject: SUBJECT }).subject).toBe(SUBJECT);
    for (const bad of [SUBJECT.toUpperCase(), SUBJECT.slice(1), `${SUBJECT}0`, "user-42", "ada@example.com", `${SUBJECT.slice(1)}g`]) {
      expect(issues({ subject: bad }), bad).toEqual([{ path: "subject", message: "Not a subject pseudonym" }]);
    }
  });

  it("accepts an exact status or a status class, nothing else", () => {
    expect(filtersSchema.parse({ status: "404" }).status).toBe("404");
    expect(filtersSchema.parse({ status: "5xx" }).status).toBe("5xx");
    for (const bad of ["600", "099", "5XX", "5x", "4x4", "40", "4044", "5xxx", " 404", "abc", "5**"]) {
      expect(issues({ status: bad }), bad).toEqual([{ path: "status", message: "A status such as 404 or 5xx" }]);
    }
  });

  it("trims free text, caps its length, and rejects unreadable dates", () => {
    const parsed = filtersSchema.parse({ component: "  checkout ", session: " s-1 ", model: " gpt-4o", q: "  card declined  " });
    expect(parsed).toMatchObject({ component: "checkout", session: "s-1", model: "gpt-4o", q: "card declined" });
    expect(filtersSchema.parse({ q: "x".repeat(200) }).q).toHaveLength(200);
    expect(issues({ q: "x".repeat(201) })).toEqual([{ path: "q", message: "At most 200 characters" }]);
    expect(issues({ component: "c".repeat(201) })).toEqual([{ path: "component", message: "At most 200 characters" }]);
    expect(issues({ range: "custom", from: "yesterday-ish" })).toEqual([{ path: "from", message: "Not a date" }]);
    expect(filtersSchema.parse({ range: "custom", from: "2025-06-01T00:00:00.000Z" }).from).toEqual(new Date("2025-06-01T00:00:00.000Z"));
  });
});

describe("filtersToParams", () => {
  it("round-trips every filter through the URL and filtersSchema", () => {
    const filters: Filters = {
      range: "custom",
      from: new Date("2025-06-01T08:30:00.000Z"),
      to: new Date("2025-06-02T09:45:10.123Z"),
      type: ["api_request", "error"],
      severity: ["warn", "error"],
      classification: ["internal", "confidential"],
      component: "checkout",
      subject: SUBJECT,
      session: "sess-42",
      model: "gpt-4o",
      status: "5xx",
      q: "card declined & co",
    };
    const params = filtersToParams(filters);
    expect(params.get("type")).toBe("api_request,error");
    expect(params.get("from")).toBe("2025-06-01T08:30:00.000Z");
    const url = `/admin/logs?${params.toString()}`;
    const back = filtersSchema.parse(Object.fromEntries(new URL(url, "http://x").searchParams));
    expect(back).toEqual(filters);
  });

  it("leaves defaults, empty lists and unset values out of the URL", () => {
    expect(filtersToParams({ range: "24h" }).toString()).toBe("");
    expect(filtersToParams(filtersSchema.parse({})).toString()).toBe("");
    expect(filtersToParams({ range: "7d", type: [], q: undefined, status: "404" }).toString()).toBe("range=7d&status=404");
    const back = filtersSchema.parse(Object.fromEntries(filtersToParams({ range: "7d", status: "404" })));
    expect(back).toEqual({ range: "7d", status: "404" });
  });
});

describe("timeWindow", () => {
  it("ends now and reaches back the preset's length", () => {
    for (const [preset, ms] of Object.entries(RANGE_PRESETS) as [RangePreset, number][]) {
      expect(timeWindow(filtersSchema.parse({ range: preset }), NOW), preset).toEqual({ from: new Date(NOW.getTime() - ms), to: NOW });
    }
    expect(timeWindow(filtersSchema.parse({}), NOW)).toEqual({ from: new Date("2025-06-14T12:00:00.000Z"), to: NOW });
    expect(timeWindow(filtersSchema.parse({ range: "15m" }), NOW).from).toEqual(new Date("2025-06-15T11:45:00.000Z"));
    // A preset ignores stray from/to parameters.
    expect(timeWindow(filtersSchema.parse({ range: "1h", from: "2020-01-01", to: "2020-01-02" }), NOW)).toEqual({ from: new Date("2025-06-15T11:00:00.000Z"), to: NOW });
  });

  it("uses from and to of a custom range, with to defaulting to now and from to 24 hours before now", () => {
    const from = new Date("2025-05-01T00:00:00.000Z");
    const to = new Date("2025-05-03T06:00:00.000Z");
    expect(timeWindow(filtersSchema.parse({ range: "custom", from: from.toISOString(), to: to.toISOString() }), NOW)).toEqual({ from, to });
    expect(timeWindow(filtersSchema.parse({ range: "custom", from: from.toISOString() }), NOW)).toEqual({ from, to: NOW });
    expect(timeWindow(filtersSchema.parse({ range: "custom" }), NOW)).toEqual({ from: new Date("2025-06-14T12:00:00.000Z"), to: NOW });
  });
});

describe("filters refuse what the database would refuse, naming the parameter", () => {
  it("a NUL or half an emoji in a text filter, an absurd or impossible date", () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ q: "a\u0000b" }, "q", /NUL/],
      [{ component: "web\u0000" }, "component", /NUL/],
      [{ session: "s-\uD83D" }, "session", /surrogate/],
      [{ model: "\u0000" }, "model", /NUL/],
      [{ range: "custom", from: "99999-01-01" }, "from", /9999/],
      [{ range: "custom", to: "+275760-09-13T00:00:00Z" }, "to", /9999/],
      [{ range: "custom", from: "2026-13-45" }, "from", /Not a date/],
    ];
    for (const [input, path, message] of cases) {
      const parsed = filtersSchema.safeParse(input);
      expect(parsed.success, JSON.stringify(input)).toBe(false);
      expect(parsed.error!.issues[0]!.path).toEqual([path]);
      expect(parsed.error!.issues[0]!.message).toMatch(message);
    }
  });
});
