import type { NextRequest } from "next/server";
import { preflight } from "@/lib/ingest/http";
import { handleOtlp } from "@/lib/ingest/otlp-route";

export const dynamic = "force-dynamic";

/** Browser exporters on other origins send a CORS preflight first. */
export const OPTIONS = preflight;

/** OTLP/HTTP traces intake: POST an OTLP/JSON ExportTraceServiceRequest with an API key holding the `ingest` scope. */
export async function POST(request: NextRequest) {
  return handleOtlp(request, "traces");
}
