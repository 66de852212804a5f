import type { Metadata } from "next";
import { UpcomingSection, upcomingTitle } from "@/components/shell/upcoming-section";

export const metadata: Metadata = { title: upcomingTitle("/admin/rules") };

export default function RulesPage() {
  return <UpcomingSection href="/admin/rules" />;
}
