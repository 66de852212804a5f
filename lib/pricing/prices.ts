import "server-only";
import { writeAudit, type Actor } from "../audit/audit";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { SafeError } from "../errors";
import { invalidatePriceCache } from "./price-cache";
import type { PriceInput } from "./price-schema";

// The model price table as admins edit it (/admin/prices). Each change is audited in its own
// transaction, and this process's price cache is dropped at once (others follow within seconds).
export interface PriceView {
  id: string;
  model: string;
  provider: string | null;
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
  effectiveFrom: string;
  updatedAt: Date;
}

export async function listPrices(): Promise<PriceView[]> {
  const rows = await db().modelPrice.findMany({ orderBy: [{ provider: { sort: "asc", nulls: "last" } }, { model: "asc" }] });
  return rows.map((r) => ({
    id: r.id,
    model: r.model,
    provider: r.provider,
    inputUsdPerMillion: Number(r.inputUsdPerMillion),
    outputUsdPerMillion: Number(r.outputUsdPerMillion),
    effectiveFrom: r.effectiveFrom.toISOString().slice(0, 10),
    updatedAt: r.updatedAt,
  }));
}

export async function savePrice(input: PriceInput, actor: Actor) {
  const saved = await transaction(async (tx) => {
    const clash = await tx.modelPrice.findFirst({ where: { model: input.model, ...(input.id ? { NOT: { id: input.id } } : {}) } });
    if (clash) throw new SafeError(`There is already a price for ${input.model}; edit that one.`, "conflict");
    const data = {
      model: input.model,
      provider: input.provider,
      inputUsdPerMillion: input.inputUsdPerMillion,
      outputUsdPerMillion: input.outputUsdPerMillion,
      effectiveFrom: new Date(`${input.effectiveFrom}T00:00:00Z`),
    };
    const row = input.id ? await tx.modelPrice.update({ where: { id: input.id }, data }).catch(() => null) : await tx.modelPrice.create({ data });
    if (!row) throw new SafeError("That price does not exist any more.", "not_found");
    await writeAudit(
      {
        actor,
        action: input.id ? "model_price.update" : "model_price.create",
        resourceType: "model_price",
        resourceId: row.id,
        outcome: "success",
        metadata: { model: row.model, provider: row.provider, inputUsdPerMillion: input.inputUsdPerMillion, outputUsdPerMillion: input.outputUsdPerMillion, effectiveFrom: input.effectiveFrom },
      },
      tx,
    );
    return row;
  });
  invalidatePriceCache();
  return saved;
}

export async function deletePrice(id: string, actor: Actor) {
  await transaction(async (tx) => {
    const gone = await tx.modelPrice.delete({ where: { id } }).catch(() => null);
    if (!gone) throw new SafeError("That price does not exist any more.", "not_found");
    await writeAudit({ actor, action: "model_price.delete", resourceType: "model_price", resourceId: id, outcome: "success", metadata: { model: gone.model } }, tx);
  });
  invalidatePriceCache();
}
