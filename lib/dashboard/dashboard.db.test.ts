import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { loadDashboard } from "./dashboard";
import { insertEvents, NOW, preparePartitions } from "@/test/support/dashboard-events";

beforeAll(preparePartitions);

describe("loadDashboard", () => {
  it("gives every panel its empty shape when nothing happened, and counts the workspace", async () => {
    const day = 86_400_000;
    await db().subject.createMany({ data: [{ externalId: "s-1", pseudonym: "p-1" }, { externalId: "s-2", pseudonym: "p-2" }] });
    await db().privacyRequest.createMany({
      data: [
        { type: "access", status: "received", dueAt: new Date(NOW.getTime() + 10 * day) },
        { type: "erasure", status: "in_progress", dueAt: new Date(NOW.getTime() - day) }, // overdue
        { type: "erasure", status: "completed", dueAt: new Date(NOW.getTime() - day) }, // closed: neither
      ],
    });
    await db().apiKey.createMany({
      data: [
        { name: "live", prefix: "clk_live0001", secretHash: "h1", scopes: ["ingest"] },
        { name: "old", prefix: "clk_old00001", secretHash: "h2", scopes: ["ingest"], revokedAt: NOW },
      ],
    });
    await insertEvents([{ type: "user_action", at: "2026-03-14T08:00:00.000Z" }]); // outside the last 24 h

    const d = await loadDashboard("24h", NOW);
    expect(d.workspace).toEqual({ subjects: 2, openRequests: 2, overdueRequests: 1, activeKeys: 1 });
    expect(d.volume.points).toHaveLength(24);
    expect([d.volume.total, d.volume.errors, d.volume.errorRate]).toEqual([0, 0, null]);
    expect(d.topErrors).toEqual([]);
    expect(d.routes).toEqual([]);
    expect(d.ai.models).toEqual([]);
    expect(d.classification.map((c) => c.count)).toEqual([0, 0, 0, 0]);

    const week = await loadDashboard("7d", NOW);
    expect([week.window.range, week.volume.total, week.classification[1]]).toEqual(["7d", 1, { classification: "internal", count: 1 }]);
  });
});
