import type { ReactNode } from "react";
import Link from "next/link";
import { ConsoleNav } from "@/components/shell/console-nav";
import { Logo } from "@/components/shell/logo";
import { UserMenu } from "@/components/shell/user-menu";
import { requirePageUser } from "@/lib/auth/current-user";
import { sectionsFor } from "@/lib/auth/permissions";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser("console.enter");
  const sections = sectionsFor(user.role);
  return (
    <div className="min-h-screen md:flex">
      {/* The column spans the page (its border and background go all the way down); the menu inside stays in view. */}
      <aside className="border-b border-slate-200 bg-white md:w-60 md:shrink-0 md:border-b-0 md:border-r">
        <div className="md:sticky md:top-0">
          <div className="flex items-center justify-between px-4 py-4 md:px-5">
            <Link href="/" className="text-slate-900">
              <Logo />
            </Link>
          </div>
          <div className="px-2 pb-3 md:px-3">
            <ConsoleNav sections={[...sections]} />
          </div>
        </div>
      </aside>
      <div className="min-w-0 flex-1">
        <header className="flex items-center justify-end border-b border-slate-200 bg-white px-4 py-3 md:px-8">
          <UserMenu user={user} />
        </header>
        <main className="px-4 py-6 md:px-8 md:py-8">{children}</main>
      </div>
    </div>
  );
}
