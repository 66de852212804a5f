import { writeAudit } from "@/lib/audit/audit";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { exportArchiveFor } from "@/lib/privacy/subject-export";

export const dynamic = "force-dynamic";

/** The person's own data archive, as a JSON file. Anyone else's, or an expired one, is a 404. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return new Response("Sign in to download your data.", { status: 401 });
  const { id } = await params;
  const archive = can(user.role, "portal.use") && /^[0-9a-f-]{36}$/i.test(id) ? await exportArchiveFor(id, user.id) : null;
  if (!archive) return new Response("This archive does not exist or has expired.", { status: 404 });
  await writeAudit({ actor: { type: "user", id: user.id, role: user.role }, action: "privacy_export.download", resourceType: "subject_export", resourceId: id, outcome: "success", metadata: { bytes: archive.json.length } });
  return new Response(new Uint8Array(archive.json), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="clearlog-my-data-${archive.createdAt.toISOString().slice(0, 10)}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
