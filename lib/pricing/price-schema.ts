import { z } from "zod";

// One schema for the price form and its actions.
const usd = (what: string) =>
  z.coerce.number(`${what} price per million tokens, in USD`).min(0, `The ${what.toLowerCase()} price cannot be negative`).max(100_000, `The ${what.toLowerCase()} price is at most $100,000 per million tokens`);

export const priceSchema = z.object({
  id: z.preprocess((v) => (v === "" ? undefined : v), z.string().uuid("Unknown price").optional()),
  model: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "Name the model (or a model family prefix such as gpt-4o)")
    .max(200, "Keep the model name under 200 characters")
    .regex(/^[a-z0-9][a-z0-9._:@/-]*$/, "A model name has letters, digits and . _ : @ / - only"),
  provider: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), z.string().trim().toLowerCase().max(100, "Keep the provider under 100 characters").nullable()).default(null),
  inputUsdPerMillion: usd("Input"),
  outputUsdPerMillion: usd("Output"),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Give the date the price applies from (YYYY-MM-DD)"),
});

export type PriceInput = z.infer<typeof priceSchema>;

export const priceIdSchema = z.object({ id: z.string().uuid("Unknown price") });
