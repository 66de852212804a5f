import type { Metadata } from "next";
import { UpcomingSection, upcomingTitle } from "@/components/shell/upcoming-section";

export const metadata: Metadata = { title: upcomingTitle("/admin/models") };

export default function ModelsPage() {
  return <UpcomingSection href="/admin/models" />;
}
