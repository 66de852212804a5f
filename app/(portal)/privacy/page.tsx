import type { Metadata } from "next";
import { headers } from "next/headers";
import { ConsentHistory } from "@/components/privacy/consent-history";
import { ConsentPanel } from "@/components/privacy/consent-panel";
import { ApplyGlobalPrivacyControl } from "@/components/privacy/global-privacy-control";
import { MyRequests } from "@/components/privacy-requests/my-requests";
import { DataExportPanel } from "@/components/privacy/data-export-panel";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { ownerOf } from "@/lib/auth/session-user";
import { consentFor, consentHistory, gpcPending, gpcPurposes } from "@/lib/consent/consent";
import { receiptSummary } from "@/lib/privacy/receipt";
import { isOverdue, OPEN_STATUSES } from "@/lib/privacy/request-rules";
import { requestsFor } from "@/lib/privacy/requests";
import { exportsFor } from "@/lib/privacy/subject-export";

export const metadata: Metadata = { title: "Privacy center" };

export default async function PrivacyPortalPage() {
  const user = await requirePageUser("portal.use");
  const pseudonym = user.subjectPseudonym;
  const owner = ownerOf(user);
  // Browsers with Global Privacy Control send `Sec-GPC: 1`: it counts as an opt-out of sale and sharing.
  // Rendering only reads; an opt-out still to record is recorded by an action the page calls once.
  const gpc = (await headers()).get("sec-gpc") === "1";
  const [states, history] = pseudonym ? await Promise.all([consentFor(pseudonym), consentHistory(pseudonym)]) : [[], []];
  const gpcCovered = gpc ? gpcPurposes(states).map((s) => s.purpose) : [];
  // Requests and archives follow the account or the portal session too, so they stay visible after an erasure unlinks the subject.
  const [requests, exports] = await Promise.all([requestsFor(owner), exportsFor(owner)]);
  const names = Object.fromEntries(states.map((s) => [s.purpose, s.name]));
  const erased = requests.find((r) => r.type === "erasure" && r.status === "completed");
  const greeting = user.provider === "portal" ? "Your privacy center" : `Hello, ${user.displayName}`;
  return (
    <>
      <PageHeader title={greeting} description="This is where you decide what is kept about you, see it, take it with you, or have it erased." />
      {erased && (
        <p role="status" data-testid="erased-notice" className="mb-6 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
          Your data was erased on {formatDateTime(erased.completedAt ?? erased.updatedAt)}. Nothing we held before then can be tied to you any more; the receipt is under
          &ldquo;Your requests&rdquo;.{pseudonym ? " What is shown above it was recorded after the erasure." : ""}
        </p>
      )}
      {gpc && pseudonym && gpcPending(states) && <ApplyGlobalPrivacyControl />}
      {gpc && (
        <p role="status" data-testid="gpc-notice" className="mb-6 rounded-md border border-brand-100 bg-brand-50 px-4 py-3 text-sm text-brand-900">
          Your browser sends a Global Privacy Control signal. We honour it: you are opted out of{" "}
          {gpcCovered.map((p) => names[p] ?? p).join(", ") || "sale and sharing"}, and will stay so while the signal is on.
        </p>
      )}
      <div className="space-y-6">
        <Panel title="What you allow">
          {pseudonym ? (
            <ConsentPanel
              purposes={states.map((s) => ({ purpose: s.purpose, name: s.name, description: s.description, legalBasis: s.legalBasis, granted: s.granted, method: s.method, updatedAt: s.updatedAt?.toISOString() ?? null }))}
            />
          ) : erased ? (
            <EmptyState title="We hold no data about you">Your data was erased, so there are no choices left to make.</EmptyState>
          ) : (
            <EmptyState title="Your account is not linked to the application yet">
              Ask the organisation to link it to your account in the application; your choices and data will then appear here.
            </EmptyState>
          )}
        </Panel>
        <Panel title="Your choices over time">
          <ConsentHistory
            rows={history.map((r) => ({ id: r.id.toString(), purpose: r.purpose, granted: r.granted, method: r.method, noticeVersion: r.noticeVersion, recordedAt: r.recordedAt.toISOString(), reason: r.reason }))}
            names={names}
          />
        </Panel>
        <Panel title="Your data">
          <DataExportPanel
            linked={Boolean(pseudonym)}
            running={exports.running && { id: exports.running.id, kind: exports.running.kind, status: exports.running.status, stage: exports.running.stage, processed: exports.running.processed, total: exports.running.total, error: exports.running.error }}
            ready={exports.ready.map((e) => ({ id: e.id, byteSize: e.byteSize, events: Number((e.counts as { events?: number }).events ?? 0), createdAt: e.createdAt.toISOString(), expiresAt: e.expiresAt.toISOString() }))}
          />
        </Panel>
        <Panel title="Your requests">
          <MyRequests
            linked={Boolean(pseudonym)}
            erased={Boolean(erased)}
            purposes={states.filter((s) => s.purpose !== "essential").map((s) => ({ key: s.purpose, name: s.name }))}
            requests={requests.map((r) => ({
              id: r.id,
              type: r.type,
              status: r.status,
              details: r.details,
              purpose: r.purpose ? (names[r.purpose] ?? r.purpose) : null,
              resolutionNote: r.resolutionNote,
              receivedAt: r.receivedAt.toISOString(),
              dueAt: r.dueAt.toISOString(),
              open: OPEN_STATUSES.includes(r.status),
              // A request whose job is queued or running is being carried out: it can no longer be cancelled.
              cancellable: OPEN_STATUSES.includes(r.status) && !r.jobs.some((j) => j.status === "queued" || j.status === "running"),
              overdue: isOverdue(r),
              receipt: receiptSummary(r.type, r.receipt),
              events: r.events.map((e) => ({ id: e.id.toString(), fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, occurredAt: e.occurredAt.toISOString() })),
            }))}
          />
        </Panel>
      </div>
    </>
  );
}
