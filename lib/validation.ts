import { z } from "zod";

// Rules every input that reaches PostgreSQL shares, for the zod schemas of each input (one schema per
// input, so every route and action gets them): PostgreSQL refuses a NUL character (U+0000) in text,
// a lone UTF-16 surrogate (half an emoji) is not Unicode, and dates outside years 1-9999 have no
// ISO 8601 form both JavaScript and PostgreSQL read. Event ingestion cleans the first two instead of
// refusing them (lib/ingest/sanitize.ts); every other input refuses them with these messages.
export const NUL_MESSAGE = "must not contain a NUL character (U+0000)";
export const SURROGATE_MESSAGE = "must be valid Unicode text (it holds half of a UTF-16 surrogate pair, e.g. a cut emoji)";
export const DATE_RANGE_MESSAGE = "must be a date between the years 1 and 9999";

export const hasNul = (s: string) => s.includes("\u0000");

/** A string PostgreSQL can store as text: no NUL, no lone surrogate. */
export const isStorableText = (s: string) => !hasNul(s) && s.isWellFormed();

/** Adds the storable-text checks to a string schema, with messages that name the problem. */
export function storable<S extends z.ZodType<string>>(schema: S) {
  return schema.refine((s) => !hasNul(s), NUL_MESSAGE).refine((s) => s.isWellFormed(), SURROGATE_MESSAGE);
}

const MIN_TIME = new Date("0001-01-01T00:00:00Z").getTime();
const MAX_TIME = new Date("9999-12-31T23:59:59.999Z").getTime();

/** A valid Date within years 1-9999. */
export const isStorableDate = (d: Date) => !Number.isNaN(d.getTime()) && d.getTime() >= MIN_TIME && d.getTime() <= MAX_TIME;
