import { NextResponse, type NextRequest } from "next/server";
import { readConsent, updateConsent } from "@/lib/consent/api";
import { acceptJson, CORS_HEADERS, failure, preflight, requestIp } from "@/lib/ingest/http";

export const dynamic = "force-dynamic";
export const OPTIONS = preflight;

/** PUT `{ subject, purposes: { analytics: false, … } }` with a `consent`-scoped key: records the changes. */
export async function PUT(request: NextRequest) {
  try {
    const { keyId, body } = await acceptJson(request, "consent");
    const result = await updateConsent(body, { keyId, userAgent: request.headers.get("user-agent"), ip: requestIp(request) });
    return NextResponse.json(result, { headers: CORS_HEADERS });
  } catch (error) {
    return failure(error, "api/v1/consent");
  }
}

/** POST `{ subject }`: the subject's current consent per purpose (see also /api/v1/consent/query). */
export async function POST(request: NextRequest) {
  try {
    const { body } = await acceptJson(request, "consent");
    return NextResponse.json(await readConsent(body), { headers: CORS_HEADERS });
  } catch (error) {
    return failure(error, "api/v1/consent");
  }
}
