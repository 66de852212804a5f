import { preflight } from "@/lib/api/cors";
import { otlpRoute } from "@/lib/ingest/otlp-route";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** OTLP/HTTP traces intake: an ExportTraceServiceRequest with an API key holding the `ingest` scope. */
export const POST = otlpRoute("traces");
