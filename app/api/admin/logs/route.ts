import { NextResponse, type NextRequest } from "next/server";
import { badRequest, routeUser } from "@/lib/auth/route-guard";
import { decodeCursor } from "@/lib/logs/cursor";
import { filtersSchema } from "@/lib/logs/filters";
import { eventsSince, listEvents } from "@/lib/logs/query";

export const dynamic = "force-dynamic";

/** A page of the logs explorer (`cursor`: older than it), or the live tail (`after`: newer than it). */
export async function GET(request: NextRequest) {
  const guard = await routeUser("logs.read");
  if ("response" in guard) return guard.response;
  const params = request.nextUrl.searchParams;
  const parsed = filtersSchema.safeParse(Object.fromEntries(params));
  if (!parsed.success) return badRequest(parsed.error.issues[0]!);
  const after = params.get("after");
  if (after) {
    const position = decodeCursor(after);
    if (!position) return badRequest({ path: ["after"], message: "Not a position in the log" });
    return NextResponse.json({ events: await eventsSince(parsed.data, position) }, { headers: { "Cache-Control": "no-store" } });
  }
  const cursor = params.get("cursor");
  const position = decodeCursor(cursor);
  if (cursor && !position) return badRequest({ path: ["cursor"], message: "Not a position in the log" });
  return NextResponse.json(await listEvents(parsed.data, position), { headers: { "Cache-Control": "no-store" } });
}
