import { ComingSoon } from "@/components/ui/coming-soon";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/current-user";
import { sectionRoles } from "@/lib/auth/roles";

// Console sections that a coming release fills. Each says plainly what it will do.
const UPCOMING = {
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
