import type { Metadata } from "next";
import { UpcomingSection, upcomingTitle } from "@/components/shell/upcoming-section";

export const metadata: Metadata = { title: upcomingTitle("/admin/retention") };

export default function RetentionPage() {
  return <UpcomingSection href="/admin/retention" />;
}
