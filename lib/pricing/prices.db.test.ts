import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { database, db } from "../db/client";
import { ingestEvents } from "../ingest/ingest";
import { activePrices } from "./price-cache";
import { priceFor } from "./price-match";
import { priceSchema } from "./price-schema";
import { deletePrice, listPrices, savePrice } from "./prices";
import { expectSafeError } from "@/test/support/errors";

// The model price table: seeded by its migration, edited by admins (audited in the same
// transaction), and used by ingestion for events that carry no cost, at once in this process.
const ADMIN_ID = randomUUID();
const admin: Actor = { type: "user", id: ADMIN_ID, role: "admin" };
const input = (fields: Record<string, unknown>) => priceSchema.parse({ model: "acme-large", provider: "acme", inputUsdPerMillion: "4", outputUsdPerMillion: "12", effectiveFrom: "2026-12-01", ...fields });
const audits = (action: string) => db().auditLog.findMany({ where: { action }, orderBy: { id: "asc" } });

async function ingestCall(model: string, extra: Record<string, unknown> = {}) {
  const id = `price-${randomUUID()}`;
  const result = await ingestEvents([{ id, timestamp: new Date().toISOString(), type: "ai_interaction", ai: { model, provider: "acme", inputTokens: 1000, outputTokens: 500, ...extra } }], { apiKeyId: null, ip: null, userAgent: null });
  expect(result.results).toEqual([{ id, status: "accepted" }]);
  const { rows } = await database().pool.query<{ gen_ai_cost_usd: string | null }>("SELECT gen_ai_cost_usd FROM system_logs WHERE event_id = $1", [id]);
  return rows[0]!.gen_ai_cost_usd === null ? null : Number(rows[0]!.gen_ai_cost_usd);
}

describe("model prices", () => {
  it("are seeded with common models of OpenAI, Anthropic and Google", async () => {
    const table = await activePrices();
    for (const model of ["gpt-4o", "gpt-4o-mini", "gpt-4.1-mini", "o3", "o4-mini", "claude-3-5-sonnet-20241022", "claude-3-7-sonnet-latest", "claude-sonnet-4-20250514", "claude-opus-4-1", "gemini-1.5-pro", "gemini-2.5-flash"]) {
      expect(priceFor(table, model), model).toBeDefined();
    }
    expect((await listPrices()).find((p) => p.model === "gpt-4o")).toMatchObject({ provider: "openai", inputUsdPerMillion: 2.5, outputUsdPerMillion: 10, effectiveFrom: "2025-08-01" });
  });

  it("are created, updated and deleted with an audit row each, and ingestion uses the change at once", async () => {
    expect(await ingestCall("acme-large-2026")).toBeNull(); // no price yet
    const created = await savePrice(input({}), admin);
    expect(await ingestCall("acme-large-2026")).toBe(0.01); // 1000 × $4/M + 500 × $12/M
    expect(await ingestCall("acme-large-2026", { costUsd: 0.5 })).toBe(0.5); // a cost sent by the client wins

    await savePrice(input({ id: created.id, inputUsdPerMillion: "8" }), admin);
    expect(await ingestCall("acme-large")).toBe(0.014);
    await expectSafeError(savePrice(input({ model: "gpt-4o" }), admin), "conflict", "There is already a price for gpt-4o; edit that one.");

    await deletePrice(created.id, admin);
    expect(await ingestCall("acme-large")).toBeNull();
    await expectSafeError(deletePrice(created.id, admin), "not_found");

    const trail = [...(await audits("model_price.create")), ...(await audits("model_price.update")), ...(await audits("model_price.delete"))].filter((a) => a.resourceId === created.id);
    expect(trail.map((a) => [a.action, a.actorId, a.outcome])).toEqual([
      ["model_price.create", ADMIN_ID, "success"],
      ["model_price.update", ADMIN_ID, "success"],
      ["model_price.delete", ADMIN_ID, "success"],
    ]);
    expect(trail[1]!.metadata).toMatchObject({ model: "acme-large", inputUsdPerMillion: 8, outputUsdPerMillion: 12 });
  });

  it("refuses bad input naming the field", () => {
    const r = priceSchema.safeParse({ model: "", inputUsdPerMillion: "-1", outputUsdPerMillion: "1", effectiveFrom: "soon" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toEqual([
      "Name the model (or a model family prefix such as gpt-4o)",
      "A model name has letters, digits and . _ : @ / - only",
      "The input price cannot be negative",
      "Give the date the price applies from (YYYY-MM-DD)",
    ]);
  });
});
