"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { rebuildFeatureSetAction } from "@/lib/training/training-actions";

/** One click: the same definition and range, extracted again with consent as it is now. */
export function RebuildButton({ id, label = "Rebuild without them" }: { id: string; label?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const rebuild = () =>
    startTransition(async () => {
      setError(null);
      const result = await rebuildFeatureSetAction({ id });
      if (result.ok) router.push(`/admin/training/${result.data.featureSetId}`);
      else setError(result.error);
    });
  return (
    <div className="space-y-2">
      <FormError message={error} />
      <Button onClick={rebuild} disabled={pending}>
        {pending ? "Starting…" : label}
      </Button>
    </div>
  );
}
