import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { exportZip, SUMMARY_EVENTS } from "./export-zip";

const archive = {
  format: "clearlog.subject-export/2",
  generatedAt: "2026-12-03T10:00:00.000Z",
  subject: { id: "app-user-77", restricted: false },
  events: Array.from({ length: SUMMARY_EVENTS + 3 }, (_, i) => ({ event_id: `e${i}`, occurred_at: "2026-12-01T08:00:00.000Z", type: "user_action", name: `click.${i}`, message: i === 0 ? "<script>alert(1)</script>" : "ok" })),
  sessions: [{ sessionKey: "s1", firstSeenAt: "2026-12-01T08:00:00.000Z", lastSeenAt: "2026-12-01T09:00:00.000Z", eventCount: 3 }],
  consent: { current: [{ purpose: "ai_training", name: "AI model training", granted: false, method: "withdrawal" }], history: [{ purpose: "ai_training", granted: false, method: "admin", reason: "Asked by phone", recordedAt: "2026-12-02T08:00:00.000Z" }] },
  requests: [{ id: "r1", type: "erasure", status: "received", details: "Please erase me", receivedAt: "2026-12-02T08:00:00.000Z" }],
  feedback: [],
  training: { featureSets: [], features: [] },
};

describe("exportZip", () => {
  it("packs the machine-readable JSON and a readable, escaped HTML summary into a ZIP", () => {
    const zip = exportZip(Buffer.from(JSON.stringify(archive)), new Date("2026-12-03T10:00:00Z"));
    // A ZIP starts with a local file header.
    expect(Array.from(zip.slice(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(["my-data.json", "summary.html"]);
    expect(JSON.parse(strFromU8(files["my-data.json"]!))).toEqual(archive);
    const html = strFromU8(files["summary.html"]!);
    expect(html).toContain("app-user-77");
    expect(html).toContain("Please erase me");
    expect(html).toContain("Asked by phone");
    expect(html).toContain(`the first ${SUMMARY_EVENTS} of ${SUMMARY_EVENTS + 3}`);
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain("<script>");
    expect(html).toContain("click.0");
    expect(html).not.toContain(`click.${SUMMARY_EVENTS + 1}`);
  });
});
