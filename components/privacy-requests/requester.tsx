import { CHANNEL_LABELS, VERIFICATION_LABELS, type RequestChannel, type VerificationMethod } from "@/lib/privacy/request-rules";

export interface RequesterInfo {
  channel: RequestChannel;
  requesterContact: string | null;
  verificationMethod: string | null;
  requester: { email: string; displayName: string } | null;
  filedBy: { displayName: string } | null;
  apiKey: string | null;
  subject: string | null;
  erased: boolean;
}

/** Who asked, for whom, and how their identity was verified: one line in the queue, a block on the detail. */
export function requesterLines(r: RequesterInfo): { who: string; subject: string; verification: string } {
  const who =
    r.channel === "admin"
      ? `${r.requesterContact ?? "—"} (filed by ${r.filedBy?.displayName ?? "a former admin"})`
      : r.channel === "api"
        ? `${r.requesterContact ? `${r.requesterContact} via ` : ""}${r.apiKey ?? "an API key"}`
        : r.channel === "portal"
          ? (r.requester?.email ?? "a deleted account")
          : "the person, from the application";
  const subject = r.subject ?? (r.erased ? "erased" : "unknown");
  const verification = r.verificationMethod ? (VERIFICATION_LABELS[r.verificationMethod as VerificationMethod] ?? r.verificationMethod) : "not recorded";
  return { who, subject, verification };
}

export function RequesterCell({ r }: { r: RequesterInfo }) {
  const l = requesterLines(r);
  return (
    <div className="text-sm" data-testid="requester">
      <p className="text-slate-800">{l.who}</p>
      <p className="text-xs text-slate-500">
        User <span className="font-mono">{l.subject}</span> · {CHANNEL_LABELS[r.channel]} · {l.verification}
      </p>
    </div>
  );
}
