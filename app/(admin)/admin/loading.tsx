"use client";

import { usePathname } from "next/navigation";
import { DashboardSkeleton, SectionSkeleton } from "@/components/dashboard/dashboard-skeleton";

// This boundary also wraps every console section below /admin (none has its own loading file), so
// only the dashboard gets the dashboard's shape; the other sections get a neutral one.
export default function ConsoleLoading() {
  const pathname = usePathname();
  return pathname === "/admin" ? <DashboardSkeleton withHeader /> : <SectionSkeleton />;
}
