import { z } from "zod";

/** One consent change from the portal or the API. */
export const consentChangeSchema = z.object({
  purpose: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "Unknown purpose"),
  granted: z.boolean("granted must be true or false"),
});
