import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { IntakePanel } from "./intake-panel";

// The dashboard's intake panel as the server renders it: what admins see of what was not stored.
describe("IntakePanel", () => {
  it("lists refusals per key and reason with their counts, and totals them in the title", () => {
    const html = renderToStaticMarkup(
      <IntakePanel
        range="last 7 days"
        rows={[
          { keyName: "Checkout <prod>", keyPrefix: "clk_1a2b3c4d", reason: "too_old", description: "older than CLEARLOG_INGEST_MAX_AGE_DAYS", records: 1200, requests: 0, lastAt: "2026-12-03T10:41:07.120Z" },
          { keyName: "Worker", keyPrefix: "clk_9f8e7d6c", reason: "unreadable", description: "request body could not be read", records: 0, requests: 3, lastAt: "2026-12-02T08:00:00.000Z" },
        ]}
      />,
    );
    expect(html).toContain("Refused at intake: 1,200 records, 3 whole requests");
    expect(html).toContain('data-testid="intake-refusals"');
    expect(html).toContain("Checkout &lt;prod&gt;");
    expect(html).toContain("clk_1a2b3c4d");
    expect(html).toContain("too_old");
    expect(html).toContain("older than CLEARLOG_INGEST_MAX_AGE_DAYS");
    expect(html).toContain("3 Dec 2026, 10:41 UTC");
  });

  it("says nothing was refused when nothing was", () => {
    const html = renderToStaticMarkup(<IntakePanel range="last 24 hours" rows={[]} />);
    expect(html).toContain("Nothing refused in the last 24 hours");
    expect(html).not.toContain("intake-refusals");
  });
});
