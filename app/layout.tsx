import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { QueryProvider } from "@/components/ui/query-provider";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Clearlog", template: "%s · Clearlog" },
  description: "Privacy-first event logging",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so each gets its CSP nonce (proxy.ts); a prerendered page's
  // inline scripts would carry no nonce and be blocked.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <QueryProvider>{children}</QueryProvider>
      </body>
    </html>
  );
}
