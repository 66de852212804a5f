import type { ReactNode } from "react";
import Link from "next/link";
import { Logo } from "@/components/shell/logo";
import { UserMenu } from "@/components/shell/user-menu";
import { requirePageUser } from "@/lib/auth/current-user";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser("portal.use");
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Link href="/privacy" className="flex items-center gap-2 text-slate-900">
            <Logo /> <span className="text-sm text-slate-500">Privacy center</span>
          </Link>
          <UserMenu user={user} />
        </div>
      </header>
      <main className="mx-auto max-w-4xl px-4 py-8">{children}</main>
    </div>
  );
}
