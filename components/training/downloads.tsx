const FILES = [
  { file: "features.parquet", label: "Parquet" },
  { file: "features.csv", label: "CSV" },
  { file: "features.jsonl", label: "JSON Lines" },
] as const;

const linkClass = "inline-flex items-center rounded-md px-3.5 py-2 text-sm font-medium ring-1 ring-inset";

/** The dataset in each format, with its manifest; a stale set offers only the manifest. */
export function FeatureSetDownloads({ id, stale }: { id: string; stale: boolean }) {
  const base = `/admin/training/${id}/files`;
  return (
    <div className="space-y-3">
      {stale ? (
        <p className="text-sm text-amber-800">
          Its data cannot be downloaded any more: it includes people who have since withdrawn. Rebuild it to get a set without them.
        </p>
      ) : (
        <div className="flex flex-wrap gap-2">
          {FILES.map((f) => (
            <a key={f.file} href={`${base}/${f.file}`} download className={`${linkClass} bg-brand-600 text-white ring-brand-600 hover:bg-brand-700`}>
              {f.label}
            </a>
          ))}
        </div>
      )}
      <a href={`${base}/manifest.json`} download className={`${linkClass} bg-white text-slate-800 ring-slate-300 hover:bg-slate-50`}>
        Manifest (JSON)
      </a>
      <p className="text-xs text-slate-500">
        Files are streamed and ordered like the digest. Each carries the digest in an <code>X-Clearlog-Digest</code> header; the Parquet file also holds the manifest in
        its metadata. Downloads are audited.
      </p>
    </div>
  );
}
