import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type { RuleView } from "@/lib/classify/rule-schema";
import { RULE_DETECTORS } from "@/lib/classify/rule-schema";
import { EMPTY_RULE, matcherSummary } from "./rule-labels";
import { RuleForm } from "./rule-form";
import { PreviewView } from "./rule-preview-panel";
import { TesterResultView } from "./rule-tester-panel";
import { RulesTable } from "./rules-table";

// The rules components rendered to HTML on the server, as Next renders them first: what an admin
// sees, and that event text is always shown as text.
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {}, push: () => {} }) }));
vi.mock("@/lib/classify/rule-actions", () => ({}));

const rule = (over: Partial<RuleView>): RuleView => ({
  id: "7f1e0a52-3c1b-4a57-9a43-5d1a3f7f2b10", name: "Ticket ids", description: null, priority: 10, enabled: true, matchEventType: null, matchFieldPath: null,
  matchRegex: "ZX-\\d+", matchDetector: null, level: "internal", categories: ["business.ticket"], action: "redact", updatedAt: "2026-11-27T10:00:00.000Z", ...over,
});

describe("RulesTable", () => {
  it("lists rules in order with their matchers, switches and row actions", () => {
    const html = renderToStaticMarkup(
      <RulesTable
        rules={[
          rule({}),
          rule({ id: "8f1e0a52-3c1b-4a57-9a43-5d1a3f7f2b10", name: "AI prompts", priority: 20, enabled: false, matchEventType: "ai_interaction", matchFieldPath: "gen_ai.*", matchRegex: null, level: "confidential", action: "classify_only" }),
        ]}
      />,
    );
    expect(html).toContain("Ticket ids");
    expect(html).toContain("/ZX-\\d+/");
    expect(html).toContain("AI interactions · field gen_ai.*");
    expect(html).toContain('aria-checked="true" aria-label="Ticket ids enabled"');
    expect(html).toContain('aria-checked="false" aria-label="AI prompts enabled"');
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*aria-label="Move Ticket ids up"/);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*aria-label="Move AI prompts down"/);
    expect(html).not.toMatch(/<button[^>]*disabled=""[^>]*aria-label="Move Ticket ids down"/);
    expect(html).toContain('href="/admin/rules/7f1e0a52-3c1b-4a57-9a43-5d1a3f7f2b10"');
    expect(html).toContain('aria-label="Delete AI prompts"');
    expect(html.indexOf("Ticket ids")).toBeLessThan(html.indexOf("AI prompts"));
  });

  it("explains an empty list", () => {
    expect(renderToStaticMarkup(<RulesTable rules={[]} />)).toContain("No classification rules");
  });
});

describe("matcherSummary", () => {
  it("names every matcher, or a dash", () => {
    expect(matcherSummary({ matchEventType: "api_request", matchFieldPath: "http.route", matchRegex: "^/healthz$", matchDetector: "email" })).toBe("API requests · field http.route · /^/healthz$/ · detector email");
    expect(matcherSummary({ matchEventType: null, matchFieldPath: null, matchRegex: null, matchDetector: null })).toBe("—");
  });
});

describe("RuleForm", () => {
  it("offers every detector, event type, level and action, and shows field errors", () => {
    const html = renderToStaticMarkup(
      <RuleForm values={EMPTY_RULE} onChange={() => {}} onSubmit={() => {}} fieldErrors={{ matchRegex: "The regex is too slow" }} error={null} notice={null} pending={false} submitLabel="Create rule" />,
    );
    for (const detector of RULE_DETECTORS) expect(html).toContain(`value="${detector}"`);
    for (const value of ["user_action", "ai_interaction", "restricted", "drop_event", "classify_only"]) expect(html).toContain(`value="${value}"`);
    expect(html).toContain('id="rule-matchRegex-error"');
    expect(html).toContain("The regex is too slow");
    expect(html).toContain('aria-invalid="true"');
  });
});

describe("TesterResultView", () => {
  it("shows matches and the stored event as escaped JSON text", () => {
    const html = renderToStaticMarkup(
      <TesterResultView
        result={{
          kind: "stored", droppedBy: null, classification: "confidential", categories: ["user.contact.email"], notes: ["The sample has no id; the tester gave it one."], ruleCount: 10,
          rules: [{ rule: "Email addresses", path: "message", action: "hash" }],
          detectors: [{ detector: "email", marker: "[EMAIL]", path: "message", count: 2 }],
          stored: { event_id: "e1", message: '<img src=x onerror="alert(1)"> [EMAIL:0123456789ab]' },
        }}
      />,
    );
    expect(html).toContain("Rules that matched (1 of 10)");
    expect(html).toContain("Email addresses — <span");
    expect(html).toContain("Hash (keyed)");
    expect(html).toContain("email <span");
    expect(html).toContain("in <span class=\"font-mono text-xs\">message</span> ×2");
    expect(html).toMatch(/<pre[^>]*>\{\n {2}&quot;event_id&quot;: &quot;e1&quot;/);
    expect(html).toContain("&lt;img src=x");
    expect(html).not.toContain("<img");
  });

  it("says which rule dropped the event", () => {
    const html = renderToStaticMarkup(
      <TesterResultView result={{ kind: "dropped", droppedBy: "Health checks", classification: null, categories: [], notes: [], ruleCount: 10, rules: [{ rule: "Health checks", path: "http.route", action: "drop_event" }], detectors: [], stored: null }} />,
    );
    expect(html).toContain("Dropped by rule “Health checks”: nothing would be stored.");
    expect(html).not.toContain("<pre");
  });
});

describe("PreviewView", () => {
  it("summarises matches and shows excerpts as text", () => {
    const html = renderToStaticMarkup(
      <PreviewView
        preview={{
          kind: "ok", scanned: 200, matched: 12, days: 7, alreadyClassified: { category: "user.contact.email", count: 40 },
          paths: [{ path: "message", count: 12 }],
          samples: [{ eventId: "evt-1", occurredAt: "2026-11-27T10:00:00.000Z", type: "system", path: "message", excerpt: "<b>mail</b> [EMAIL]" }],
        }}
      />,
    );
    expect(html).toContain("Would match 12 of the latest 200 events (last 7 days).");
    expect(html).toContain("40 of them already carry");
    expect(html).toContain("&lt;b&gt;mail&lt;/b&gt; [EMAIL]");
  });
});
