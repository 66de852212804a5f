import { NextResponse } from "next/server";
import { routeUser } from "@/lib/auth/route-guard";
import { SafeError } from "@/lib/errors";
import type { DatasetFormat } from "@/lib/training/dataset-export";
import { featureSetFileResponse } from "@/lib/training/download-response";

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
  try {
    return await featureSetFileResponse(id, format, actor, `/admin/training/${id}/files/manifest.json`);
  } catch (error) {
    if (!(error instanceof SafeError) || !STATUS[error.code]) throw error;
    return NextResponse.json({ error: error.message }, { status: STATUS[error.code] });
  }
}
