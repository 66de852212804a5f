"use client";

import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { useActionRunner } from "@/components/ui/use-action-runner";
import { retryRequestJobAction } from "@/lib/privacy/request-actions";

export function RetryJobButton({ id }: { id: string }) {
  const { pending, error, run } = useActionRunner();
  return (
    <div className="space-y-2">
      <FormError message={error} />
      <Button variant="secondary" disabled={pending} onClick={() => run(() => retryRequestJobAction({ id }))}>
        {pending ? "Starting…" : "Run it again"}
      </Button>
    </div>
  );
}
