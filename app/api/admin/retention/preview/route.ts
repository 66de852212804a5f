import { NextResponse, type NextRequest } from "next/server";
import { badRequest, routeUser } from "@/lib/auth/route-guard";
import { previewPolicy } from "@/lib/retention/policies";
import { previewSchema } from "@/lib/retention/policy-schema";

export const dynamic = "force-dynamic";

/** How many rows a policy (saved or being edited) would touch if retention ran now. Admins only. */
export async function GET(request: NextRequest) {
  const guard = await routeUser("retention.manage");
  if ("response" in guard) return guard.response;
  const parsed = previewSchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) return badRequest(parsed.error.issues[0]!);
  const p = parsed.data;
  return NextResponse.json(await previewPolicy(p), { headers: { "Cache-Control": "no-store" } });
}
