import * as generated from "./generated/enums";

// Enum values come from Prisma's generated enums (`prisma/schema.prisma` is their one source). The
// generated file holds plain objects and no imports, so client components may import this module too.
export * from "./generated/enums";

/** The values of a generated enum as a non-empty tuple, for `z.enum`, selects and SQL arrays. */
export function enumValues<E extends Record<string, string>>(e: E): readonly [E[keyof E], ...E[keyof E][]] {
  const values = Object.values(e) as E[keyof E][];
  if (values.length === 0) throw new Error("An enum has at least one value");
  return values as [E[keyof E], ...E[keyof E][]];
}

/** A runtime check that `value` belongs to the enum. */
export function isEnumValue<E extends Record<string, string>>(e: E, value: unknown): value is E[keyof E] {
  return typeof value === "string" && Object.hasOwn(e, value) && e[value] === value;
}

export const EVENT_TYPES = enumValues(generated.EventType);
export const SEVERITIES = enumValues(generated.Severity);
export const CLASSIFICATIONS = enumValues(generated.Classification);
