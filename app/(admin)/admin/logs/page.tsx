import type { Metadata } from "next";
import { UpcomingSection, upcomingTitle } from "@/components/shell/upcoming-section";

export const metadata: Metadata = { title: upcomingTitle("/admin/logs") };

export default function LogsPage() {
  return <UpcomingSection href="/admin/logs" />;
}
