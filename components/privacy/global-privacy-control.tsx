"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { applyGlobalPrivacyControlAction } from "@/lib/consent/actions";

/**
 * Rendered by the portal when the browser sends Global Privacy Control and an opt-out is still to be
 * recorded: asks the server once to record it (the page itself only reads), then shows the result.
 */
export function ApplyGlobalPrivacyControl() {
  const router = useRouter();
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    void applyGlobalPrivacyControlAction({}).then((result) => {
      if (result.ok) router.refresh();
    });
  }, [router]);
  return null;
}
