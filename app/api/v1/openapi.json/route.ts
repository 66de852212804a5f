import { preflight } from "@/lib/api/cors";
import { CORS_HEADERS } from "@/lib/api/cors";
import { apiDocument } from "@/lib/api/openapi/document";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** The OpenAPI 3.1 document of /api/v1: public, no key. */
export async function GET(): Promise<Response> {
  return new Response(JSON.stringify(apiDocument()), { headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300", ...CORS_HEADERS } });
}
