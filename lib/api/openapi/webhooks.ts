import "server-only";
import { z } from "zod";
import { EVENT_DATA, EVENT_LABELS, TEST_EVENT } from "../../notifications/events";

// The webhooks Clearlog sends (OpenAPI 3.1 `webhooks`), from the events' own schemas
// (lib/notifications/events.ts); docs/privacy.md#notifications tells how to verify them.
const HEADERS = [
  { name: "webhook-id", description: "the event's id; the same on retries and replays: deduplicate on it" },
  { name: "webhook-timestamp", description: "seconds since the epoch when this attempt was signed; refuse it when more than 5 minutes off" },
  { name: "webhook-signature", description: "`v1,` + base64 HMAC-SHA256 of `${webhook-id}.${webhook-timestamp}.${body}` under the base64-decoded secret after `whsec_` (Standard Webhooks)" },
].map((h) => ({ ...h, in: "header", required: true, schema: { type: "string" } }));

export function webhooksDocument(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(EVENT_DATA).map(([type, data]) => {
      const body = z.object({ type: z.literal(type), timestamp: z.string().datetime(), data });
      return [
        type,
        {
          post: {
            summary: type === TEST_EVENT ? "A test event (the console's Send test event)" : EVENT_LABELS[type as keyof typeof EVENT_LABELS],
            parameters: HEADERS,
            requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(body, { target: "draft-2020-12" }) } } },
            responses: { "2XX": { description: "Received; any other answer, a timeout or a redirect is retried with backoff (8 attempts)" } },
          },
        },
      ];
    }),
  );
}
