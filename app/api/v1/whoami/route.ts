import { NextResponse, type NextRequest } from "next/server";
import { authenticateAnyApiKey } from "@/lib/auth/api-keys";

export const dynamic = "force-dynamic";

/** Lets an application check its key: which key it is and what it may do. Never echoes the secret. */
export async function GET(request: NextRequest) {
  const auth = await authenticateAnyApiKey(request.headers.get("authorization"));
  if (!auth.ok) return NextResponse.json({ error: auth.error }, { status: auth.status });
  return NextResponse.json({ key: auth.prefix, scopes: auth.scopes });
}
