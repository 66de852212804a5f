import { NextResponse } from "next/server";
import { getCurrentUser } from "@/lib/auth/current-user";
import { jobViewFor } from "@/lib/jobs/job-view";

export const dynamic = "force-dynamic";

/** Progress of a long job, polled by the pages that started it. Someone else's job is a 404. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return NextResponse.json({ error: "Sign in to continue." }, { status: 401 });
  const { id } = await params;
  const job = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? await jobViewFor(id, user) : null;
  if (!job) return NextResponse.json({ error: "No such job." }, { status: 404 });
  return NextResponse.json(job, { headers: { "Cache-Control": "no-store" } });
}
