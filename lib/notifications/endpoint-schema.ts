import { z } from "zod";
import { EVENT_TYPES } from "./events";

// One schema per input, shared by the console's forms and the actions. Pure: client components import it.
export const createEndpointSchema = z.object({
  url: z.string("Give the endpoint's URL").trim().min(1, "Give the endpoint's URL").max(2000, "url must be at most 2,000 characters"),
  description: z.string().trim().max(200, "Keep the description under 200 characters").optional(),
  eventTypes: z
    .array(z.enum(EVENT_TYPES, `eventTypes must be among ${EVENT_TYPES.join(", ")}`), "Choose the events to send")
    .min(1, "Choose at least one event to send")
    .transform((v) => [...new Set(v)]),
});

export const endpointIdSchema = z.object({ id: z.string().uuid("That endpoint does not exist") });

export const setEnabledSchema = endpointIdSchema.extend({ enabled: z.boolean("Say whether the endpoint is enabled") });

export const replaySchema = z.object({ deliveryId: z.string().uuid("That delivery does not exist") });
