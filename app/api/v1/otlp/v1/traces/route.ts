import type { NextRequest } from "next/server";
import { handleOtlp } from "@/lib/ingest/otlp-route";

export const dynamic = "force-dynamic";

/** OTLP/HTTP traces intake: POST an OTLP/JSON ExportTraceServiceRequest with an API key holding the `ingest` scope. */
export async function POST(request: NextRequest) {
  return handleOtlp(request, "traces");
}
