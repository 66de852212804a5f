import type { Metadata } from "next";
import { UpcomingSection, upcomingTitle } from "@/components/shell/upcoming-section";

export const metadata: Metadata = { title: upcomingTitle("/admin/consent") };

export default function ConsentPage() {
  return <UpcomingSection href="/admin/consent" />;
}
