import { writeAudit } from "@/lib/audit/audit";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { actorOf, ownerOf } from "@/lib/auth/session-user";
import { exportZip } from "@/lib/privacy/export-zip";
import { exportArchiveFor } from "@/lib/privacy/subject-export";

export const dynamic = "force-dynamic";

/** The person's own data archive, as a ZIP (readable summary + JSON). Anyone else's, or an expired one, is a 404. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return new Response("Sign in to download your data.", { status: 401 });
  const { id } = await params;
  const archive = can(user.role, "portal.use") && /^[0-9a-f-]{36}$/i.test(id) ? await exportArchiveFor(id, ownerOf(user)) : null;
  if (!archive) return new Response("This archive does not exist or has expired.", { status: 404 });
  const zip = exportZip(archive.json, archive.createdAt);
  await writeAudit({ actor: actorOf(user), action: "privacy_export.download", resourceType: "subject_export", resourceId: id, outcome: "success", metadata: { bytes: zip.length } });
  return new Response(new Uint8Array(zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="my-data-${archive.createdAt.toISOString().slice(0, 10)}.zip"`,
      "Cache-Control": "no-store",
    },
  });
}
