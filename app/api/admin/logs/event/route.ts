import { NextResponse, type NextRequest } from "next/server";
import { badRequest, routeUser } from "@/lib/auth/route-guard";
import { eventDetail } from "@/lib/logs/event-detail";

export const dynamic = "force-dynamic";

/** One event in full for the drawer: `?id=<event id>&at=<occurred at, ISO>`. */
export async function GET(request: NextRequest) {
  const guard = await routeUser("logs.read");
  if ("response" in guard) return guard.response;
  const id = request.nextUrl.searchParams.get("id") ?? "";
  const at = new Date(request.nextUrl.searchParams.get("at") ?? "");
  if (!id || id.length > 128) return badRequest({ path: ["id"], message: "An event id is required" });
  if (Number.isNaN(at.getTime())) return badRequest({ path: ["at"], message: "Not a date" });
  const detail = await eventDetail(id, at);
  if (!detail) return NextResponse.json({ error: "No such event (it may have been erased or expired)." }, { status: 404 });
  return NextResponse.json(detail, { headers: { "Cache-Control": "no-store" } });
}
