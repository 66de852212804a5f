import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { ingestEvents } from "../ingest/ingest";
import type { WireEvent } from "@clearlog/sdk";
import { ruleInputSchema } from "./rule-schema";
import { latestStoredEvents, previewRule, previewSavedRule } from "./rule-preview";
import { createRule } from "./rules";

// The preview against events stored through the real ingest pipeline.

const ctx = { apiKeyId: null, ip: null, userAgent: null };
const draft = (over: Record<string, unknown>) => ruleInputSchema.parse({ name: "Orders", matchRegex: "ORD-\\d{4}", level: "internal", categories: "business.order", action: "redact", ...over });
let n = 0;
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const event = (e: Partial<WireEvent>): WireEvent => ({ id: `evt-${Date.now()}-${n++}`, type: "system", timestamp: at(1), name: "note", ...e }) as WireEvent;

describe("previewRule", () => {
  it("runs a draft over the latest stored events of its type and shows markers only", async () => {
    await ingestEvents(
      [
        event({ message: "order ORD-1234 shipped", timestamp: at(3) }),
        event({ type: "user_action", action: "checkout", attributes: { order: "ORD-5678" }, timestamp: at(2) }),
        event({ message: "no order here", timestamp: at(1) }),
        event({ message: "old ORD-9999", timestamp: new Date(Date.now() - 9 * 86_400_000).toISOString() }),
      ],
      ctx,
    );
    const all = await previewRule(draft({}));
    expect(all).toMatchObject({ kind: "ok", matched: 2, paths: [{ path: "attributes.order", count: 1 }, { path: "message", count: 1 }] });
    if (all.kind !== "ok") return;
    expect(all.scanned).toBeGreaterThanOrEqual(3);
    expect(all.samples.map((s) => s.excerpt).sort()).toEqual(["[REDACTED]", "order [REDACTED] shipped"]);
    expect(JSON.stringify(all)).not.toMatch(/ORD-\d/);

    const systemOnly = await previewRule(draft({ matchEventType: "system" }));
    expect(systemOnly).toMatchObject({ kind: "ok", matched: 1, samples: [{ type: "system", path: "message" }] });
  });

  it("reads only the last days, newest first, up to the limit", async () => {
    const rows = await latestStoredEvents(null, new Date(), 2);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.occurredAt.getTime()).toBeGreaterThanOrEqual(rows[1]!.occurredAt.getTime());
    const week = await latestStoredEvents(null, new Date());
    expect(week.every((r) => r.occurredAt.getTime() > Date.now() - 7 * 86_400_000)).toBe(true);
    expect(week.some((r) => r.message === "old ORD-9999")).toBe(false);
  });

  it("runs a regex that would backtrack catastrophically in JavaScript over long stored texts, in linear time", async () => {
    await ingestEvents([event({ message: `${"a".repeat(10_000)}!` })], ctx);
    const started = performance.now();
    expect(await previewRule(draft({ matchRegex: "(a+)+$" }))).toMatchObject({ kind: "ok", scanned: expect.any(Number) });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("refuses a saved rule whose regex RE2 cannot run (written into the database by hand)", async () => {
    const row = await db().classificationRule.create({ data: { name: "Hand-made", priority: 9999, enabled: false, matchRegex: "(?<=x)y", level: "internal", action: "redact" } });
    expect(await previewSavedRule(row.id)).toEqual({ kind: "invalid", error: expect.stringMatching(/^The regex uses a lookbehind `\(\?<=…\)`/) });
    await db().classificationRule.delete({ where: { id: row.id } });
  });

  it("previews a saved rule by id", async () => {
    await ingestEvents([event({ message: "invoice INV-42 paid" })], ctx);
    const saved = await createRule(draft({ name: "Invoices", matchRegex: "INV-\\d+" }), { type: "cli" });
    expect(await previewSavedRule(saved.id)).toMatchObject({ kind: "ok", matched: 1, samples: [{ excerpt: "invoice [REDACTED] paid" }] });
    expect(await previewSavedRule("00000000-0000-4000-8000-000000000000")).toBeNull();
  });
});
