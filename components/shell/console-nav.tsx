"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ConsoleSection } from "@/lib/auth/permissions";
import { cx } from "@/components/ui/cx";

export function ConsoleNav({ sections }: { sections: ConsoleSection[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="flex gap-1 overflow-x-auto md:flex-col md:overflow-visible">
      {sections.map((s) => {
        const active = s.href === "/admin" ? pathname === "/admin" : pathname.startsWith(s.href);
        return (
          <Link
            key={s.href}
            href={s.href}
            aria-current={active ? "page" : undefined}
            className={cx(
              "whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium",
              active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
            )}
          >
            {s.label}
          </Link>
        );
      })}
    </nav>
  );
}
