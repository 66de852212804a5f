"use client";

import { FormError } from "@/components/ui/form-error";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createApiKeyAction } from "@/lib/auth/api-key-actions";
import { API_KEY_SCOPE_LABELS, API_KEY_SCOPES } from "@/lib/auth/api-key-scopes";
import { Button } from "@/components/ui/button";
import { SecretOnce } from "@/components/ui/secret-once";
import { TextField } from "@/components/ui/text-field";

export function CreateApiKeyForm() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  function submit(form: FormData) {
    setError(null);
    startTransition(async () => {
      const result = await createApiKeyAction({ name: form.get("name"), scopes: form.getAll("scopes") });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setCreated({ name: result.data.name, secret: result.data.secret });
      router.refresh();
    });
  }

  if (created) {
    return (
      <SecretOnce secret={created.secret} testId="new-key-secret" onDone={() => setCreated(null)}>
        <strong>{created.name}</strong> was created. Copy the secret now: it will not be shown again.
      </SecretOnce>
    );
  }

  return (
    <form action={submit} className="space-y-4">
      <FormError message={error} />
      <TextField id="key-name" name="name" label="Name" required maxLength={80} placeholder="e.g. Web app (production)" />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Scopes</legend>
        <div className="mt-2 space-y-2">
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "ingest"} className="h-4 w-4 rounded border-slate-300 text-brand-600" />
              <span className="font-mono text-xs">{scope}</span>
              <span className="text-slate-500">— {API_KEY_SCOPE_LABELS[scope]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create key"}
      </Button>
    </form>
  );
}
