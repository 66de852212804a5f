import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { badRequest, routeUser } from "@/lib/auth/route-guard";
import { pseudonymFor } from "@/lib/privacy/pseudonym";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ subject: z.string().trim().min(1, "Enter the application's user id").max(256) });

/**
 * The pseudonym for an application's user id, so the explorer can filter by person while the URL
 * (and the server's request log) only ever holds the pseudonym. POST: the id travels in the body.
 */
export async function POST(request: NextRequest) {
  const guard = await routeUser("logs.read");
  if ("response" in guard) return guard.response;
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return badRequest(parsed.error.issues[0] ?? { path: ["subject"], message: "Expected a JSON body" });
  return NextResponse.json({ pseudonym: pseudonymFor(parsed.data.subject) }, { headers: { "Cache-Control": "no-store" } });
}
