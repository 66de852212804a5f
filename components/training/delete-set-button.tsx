"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { deleteFeatureSetAction } from "@/lib/training/training-actions";

/** Deletes a set no model was trained on, after confirmation. */
export function DeleteSetButton({ id }: { id: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const remove = () => {
    if (!window.confirm("Delete this feature set, its rows and its manifest? No model was trained on it. This cannot be undone.")) return;
    startTransition(async () => {
      setError(null);
      const result = await deleteFeatureSetAction({ id });
      if (result.ok) router.push("/admin/training");
      else setError(result.error);
    });
  };
  return (
    <div className="space-y-2">
      <FormError message={error} />
      <Button variant="danger" onClick={remove} disabled={pending}>
        {pending ? "Deleting…" : "Delete this set"}
      </Button>
    </div>
  );
}
