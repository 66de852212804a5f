import "server-only";
import { strToU8, zipSync } from "fflate";

// The person's archive as they download it (GDPR Art. 15 and 20): a ZIP with `my-data.json`, the
// machine-readable archive to take to another service, and `summary.html`, the same data written for
// a person, readable offline in any browser. The summary lists up to SUMMARY_EVENTS events; all are
// in the JSON.
export const SUMMARY_EVENTS = 500;

type Row = Record<string, unknown>;
interface Archive {
  generatedAt?: string;
  subject?: { id?: string; restricted?: boolean };
  events?: Row[];
  sessions?: Row[];
  consent?: { current?: Row[]; history?: Row[] };
  requests?: Row[];
  feedback?: Row[];
  training?: { featureSets?: Row[]; features?: Row[] };
}

const esc = (v: unknown) =>
  String(v ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");

const when = (v: unknown) => (typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v) ? v.replace("T", " ").slice(0, 16) + " UTC" : esc(v));

function table(caption: string, headers: string[], rows: unknown[][], empty: string): string {
  if (rows.length === 0) return `<h2>${esc(caption)}</h2><p class="empty">${esc(empty)}</p>`;
  const head = headers.map((h) => `<th>${esc(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<h2>${esc(caption)}</h2><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function summaryHtml(a: Archive): string {
  const events = a.events ?? [];
  const shown = events.slice(0, SUMMARY_EVENTS);
  const yes = (b: unknown) => (b ? "Granted" : "Withdrawn");
  const sections = [
    `<h1>Your data</h1>`,
    `<p>Everything we held about you${a.subject?.id ? ` (user <code>${esc(a.subject.id)}</code>)` : ""} on ${when(a.generatedAt)}. The file <code>my-data.json</code> holds the same data in a machine-readable form.</p>`,
    `<ul class="counts"><li>${events.length} events</li><li>${a.sessions?.length ?? 0} sessions</li><li>${a.consent?.history?.length ?? 0} consent changes</li><li>${a.requests?.length ?? 0} requests</li><li>${a.feedback?.length ?? 0} feedback items</li><li>${a.training?.featureSets?.length ?? 0} training sets</li></ul>`,
    a.subject?.restricted ? `<p><strong>Processing of your data is restricted</strong>: we keep only what is essential.</p>` : "",
    table("What you allow", ["Purpose", "Choice", "Since"], (a.consent?.current ?? []).map((c) => [esc(c.name ?? c.purpose), yes(c.granted), c.updatedAt ? when(c.updatedAt) : "default"]), "No choices recorded."),
    table("Your choices over time", ["When", "Purpose", "Choice", "How"], (a.consent?.history ?? []).map((c) => [when(c.recordedAt), esc(c.purpose), yes(c.granted), esc(c.method) + (c.reason ? ` — ${esc(c.reason)}` : "")]), "No changes recorded."),
    table("Your requests", ["Received", "Kind", "State", "What you wrote"], (a.requests ?? []).map((r) => [when(r.receivedAt), esc(r.type), esc(r.status), esc(r.details)]), "No requests."),
    table("Sessions", ["First seen", "Last seen", "Events", "Device"], (a.sessions ?? []).map((s) => [when(s.firstSeenAt), when(s.lastSeenAt), esc(s.eventCount), esc(s.userAgent)]), "No sessions."),
    table(
      events.length > shown.length ? `Events (the first ${shown.length} of ${events.length}; all are in my-data.json)` : "Events",
      ["When", "Kind", "Name", "Message"],
      shown.map((e) => [when(e.occurred_at), esc(e.type), esc(e.name), esc(e.message)]),
      "No events.",
    ),
    table("Feedback you gave", ["When", "Rating", "Comment"], (a.feedback ?? []).map((f) => [when(f.createdAt), esc(f.rating ?? f.score ?? f.label), esc(f.comment)]), "No feedback."),
    table("Training sets that included you", ["Kind", "Extracted", "Models trained on it", "Withdrawn"], (a.training?.featureSets ?? []).map((s) => [esc(s.featureType), when(s.extractedAt), esc((s.models as string[] | undefined)?.join(", ")), s.withdrawnAt ? `${when(s.withdrawnAt)} (${esc(s.withdrawal)})` : "no"]), "None."),
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Your data</title><style>
body{font:15px/1.5 system-ui,sans-serif;color:#0f172a;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem;font-size:14px}th,td{border-bottom:1px solid #e2e8f0;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f8fafc}.empty{color:#64748b}.counts{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;padding:0;list-style:none}h2{margin-top:2rem;font-size:1.1rem}
</style></head><body>${sections.join("\n")}</body></html>`;
}

/** The downloadable ZIP for a stored archive (its JSON text). */
export function exportZip(json: Buffer, createdAt: Date): Uint8Array {
  const archive = JSON.parse(json.toString("utf8")) as Archive;
  const mtime = createdAt;
  return zipSync(
    {
      "my-data.json": [strToU8(JSON.stringify(archive, null, 2)), { mtime }],
      "summary.html": [strToU8(summaryHtml(archive)), { mtime }],
    },
    { level: 6 },
  );
}
