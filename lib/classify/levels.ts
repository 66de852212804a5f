import type { Classification } from "../db/generated/enums";

export const LEVELS: readonly Classification[] = ["public", "internal", "confidential", "restricted"];

export function maxLevel(a: Classification, b: Classification): Classification {
  return LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;
}
