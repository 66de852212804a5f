import { ComingSoon } from "@/components/ui/coming-soon";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/current-user";
import { sectionRoles } from "@/lib/auth/roles";

// Console sections that a coming release fills. Each says plainly what it will do.
const UPCOMING = {
  "/admin/logs": {
    title: "Logs",
    description: "Every event Clearlog has stored, as it was stored: classified, redacted and pseudonymized.",
    feature: "The logs explorer",
    items: [
      "Time range, type, severity, classification, component, subject, session, model and status filters, kept in the URL",
      "Full-text search over names, messages and payloads",
      "An event drawer with typed fields, visible redaction markers and the rest of the session",
      "Live tail",
    ],
  },
  "/admin/rules": {
    title: "Classification rules",
    description: "How incoming events are classified, redacted, hashed or dropped.",
    feature: "Rule editing",
    items: ["Create, edit, reorder, enable and delete rules", "A tester that shows an event as it would be stored", "A preview against the latest stored events"],
  },
  "/admin/retention": {
    title: "Retention",
    description: "How long each classification of event is kept, and what happens after.",
    feature: "Retention policies",
    items: ["Keep N days, then delete or anonymize, per classification and event type", "A preview of the rows a policy touches", "Daily runs and run now, with history"],
  },
  "/admin/models": {
    title: "Models",
    description: "Registered models, the consented data they were trained on, and their feedback.",
    feature: "The model registry",
    items: ["Consent-clean feature extraction with manifests", "Model versions, aliases and lineage to their feature sets", "Feedback over time per model version"],
  },
} as const;

export type UpcomingHref = keyof typeof UPCOMING;

export function upcomingTitle(href: UpcomingHref): string {
  return UPCOMING[href].title;
}

export async function UpcomingSection({ href }: { href: UpcomingHref }) {
  await requirePageUser(sectionRoles(href));
  const section = UPCOMING[href];
  return (
    <>
      <PageHeader title={section.title} description={section.description} />
      <ComingSoon feature={section.feature} items={[...section.items]} />
    </>
  );
}
