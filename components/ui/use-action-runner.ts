"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

/** Runs a server action from a button or form: pending state, its error message, then a refresh. */
export function useActionRunner() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = (action: () => Promise<{ ok: boolean; error?: string }>) => {
    setError(null);
    startTransition(async () => {
      const result = await action();
      if (!result.ok) setError(result.error ?? "Something went wrong.");
      router.refresh();
    });
  };
  return { pending, error, run };
}
