import type { Metadata } from "next";
import { UpcomingSection, upcomingTitle } from "@/components/shell/upcoming-section";

export const metadata: Metadata = { title: upcomingTitle("/admin/privacy-requests") };

export default function PrivacyRequestsPage() {
  return <UpcomingSection href="/admin/privacy-requests" />;
}
