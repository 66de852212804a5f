"use server";

import { defineAction } from "../auth/define-action";
import { deletePrice, savePrice } from "./prices";
import { priceIdSchema, priceSchema } from "./price-schema";

export const savePriceAction = defineAction(
  { name: "model_price.save", permission: "prices.manage", schema: priceSchema, resourceType: "model_price" },
  async (input, { actor }) => (await savePrice(input, actor)).id,
);

export const deletePriceAction = defineAction(
  { name: "model_price.delete", permission: "prices.manage", schema: priceIdSchema, resourceType: "model_price" },
  async ({ id }, { actor }) => {
    await deletePrice(id, actor);
    return id;
  },
);
