import "server-only";
import { writeAudit, type Actor } from "../audit/audit";
import { SafeError } from "../errors";
import { openDatasetExport, openManifestExport, type DatasetFormat } from "./dataset-export";

/**
 * A feature set's file as an HTTP answer, for the console route and the public API alike: the data
 * streamed (CSV, JSON Lines, Parquet) or the manifest, with its digest header, audited. A stale set's
 * data is refused (SafeError "conflict", audited as denied); its manifest stays available.
 */
export async function featureSetFileResponse(id: string, format: DatasetFormat | "manifest", actor: Actor, manifestHref: string): Promise<Response> {
  let download: { filename: string; contentType: string; digest: string; body: BodyInit };
  try {
    download = format === "manifest" ? await openManifestExport(id) : await openDatasetExport(id, format).then((d) => ({ ...d, body: d.stream }));
  } catch (error) {
    if (error instanceof SafeError && error.code === "conflict") {
      await writeAudit({ actor, action: "feature_set.download", resourceType: "feature_set", resourceId: id, outcome: "denied", metadata: { format, reason: "stale" } });
    }
    throw error;
  }
  await writeAudit({ actor, action: "feature_set.download", resourceType: "feature_set", resourceId: id, outcome: "success", metadata: { format } });
  const headers = new Headers({
    "Content-Type": download.contentType,
    "Content-Disposition": `attachment; filename="${download.filename}"`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Clearlog-Digest": `sha256:${download.digest}`,
  });
  if (format !== "manifest") headers.set("Link", `<${manifestHref}>; rel="describedby"; type="application/json"`);
  return new Response(download.body, { headers });
}
