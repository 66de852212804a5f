import { z } from "zod";
import { isStorableDate } from "../validation";
import { FEATURE_TYPES } from "./definitions";

const DAY_MS = 86_400_000;
export const MAX_RANGE_DAYS = 400;

const instant = (label: string) =>
  z.coerce.date({ error: `${label} must be a date such as 2026-11-01 or an ISO timestamp.` }).refine((d) => !Number.isNaN(d.getTime()), `${label} is not a valid date.`)
    .refine(isStorableDate, `${label} must be between the years 1 and 9999.`);

/** What an extraction covers: start inclusive, end exclusive. Shared by the form, the action and the service. */
export const extractionSchema = z
  .object({
    featureType: z.enum(FEATURE_TYPES, { error: `featureType must be one of ${FEATURE_TYPES.join(", ")}.` }),
    startDate: instant("startDate"),
    endDate: instant("endDate"),
  })
  .refine((r) => r.startDate < r.endDate, { message: "endDate must be after startDate.", path: ["endDate"] })
  .refine((r) => r.endDate.getTime() - r.startDate.getTime() <= MAX_RANGE_DAYS * DAY_MS, {
    message: `A range can cover at most ${MAX_RANGE_DAYS} days.`,
    path: ["endDate"],
  })
  .refine((r) => r.startDate.getUTCFullYear() >= 2000, { message: "startDate is before the year 2000.", path: ["startDate"] });

export type ExtractionInput = z.input<typeof extractionSchema>;
export type ExtractionRange = z.output<typeof extractionSchema>;

export const featureSetIdSchema = z.object({ id: z.uuid({ error: "That is not a feature set id." }) });
