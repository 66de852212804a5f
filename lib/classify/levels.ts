import { CLASSIFICATIONS, type Classification } from "../db/enums";

/** From least to most sensitive: the schema declares the enum in that order. */
export const LEVELS: readonly Classification[] = CLASSIFICATIONS;

export function maxLevel(a: Classification, b: Classification): Classification {
  return LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;
}
