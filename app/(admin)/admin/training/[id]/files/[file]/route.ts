import { NextResponse } from "next/server";
import { writeAudit } from "@/lib/audit/audit";
import { routeUser } from "@/lib/auth/route-guard";
import { SafeError } from "@/lib/errors";
import { openDatasetExport, openManifestExport, type DatasetFormat } from "@/lib/training/dataset-export";

export const dynamic = "force-dynamic";

const FILES: Record<string, DatasetFormat | "manifest"> = {
  "features.csv": "csv",
  "features.jsonl": "jsonl",
  "features.parquet": "parquet",
  "manifest.json": "manifest",
};

const STATUS: Partial<Record<SafeError["code"], number>> = { invalid: 400, not_found: 404, conflict: 409 };

/**
 * A feature set's files: the data as CSV, JSON Lines or Parquet (streamed) and its manifest.
 * Data of a stale set is refused with a 409; its manifest stays available.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string; file: string }> }) {
  const auth = await routeUser("training.use");
  if ("response" in auth) return auth.response;
  const actor = { type: "user" as const, id: auth.user.id, role: auth.user.role };
  const { id, file } = await params;
  const format = Object.hasOwn(FILES, file) ? FILES[file] : undefined;
  if (!format) return NextResponse.json({ error: `No such file; use one of ${Object.keys(FILES).join(", ")}.` }, { status: 404 });

  let download: { filename: string; contentType: string; digest: string; body: BodyInit };
  try {
    download = format === "manifest" ? await openManifestExport(id) : await openDatasetExport(id, format).then((d) => ({ ...d, body: d.stream }));
  } catch (error) {
    if (!(error instanceof SafeError) || !STATUS[error.code]) throw error;
    if (error.code === "conflict") {
      await writeAudit({ actor, action: "feature_set.download", resourceType: "feature_set", resourceId: id, outcome: "denied", metadata: { format, reason: "stale" } });
    }
    return NextResponse.json({ error: error.message }, { status: STATUS[error.code] });
  }
  await writeAudit({ actor, action: "feature_set.download", resourceType: "feature_set", resourceId: id, outcome: "success", metadata: { format } });

  const headers = new Headers({
    "Content-Type": download.contentType,
    "Content-Disposition": `attachment; filename="${download.filename}"`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Clearlog-Digest": `sha256:${download.digest}`,
  });
  if (format !== "manifest") headers.set("Link", `</admin/training/${id}/files/manifest.json>; rel="describedby"; type="application/json"`);
  return new Response(download.body, { headers });
}
