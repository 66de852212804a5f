"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { createEndpointAction } from "@/lib/notifications/endpoint-actions";
import { EVENT_LABELS, EVENT_TYPES } from "@/lib/notifications/events";
import { SecretOnce } from "@/components/ui/secret-once";
import { SIGNING_SECRET_NOTE } from "./signing-secret-note";

/** Adds an endpoint: URL, what it hears; the signing secret is shown once. */
export function CreateEndpointForm() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  if (created) return <SecretOnce secret={created} testId="new-webhook-secret" onDone={() => setCreated(null)}>The endpoint was added. {SIGNING_SECRET_NOTE}</SecretOnce>;

  return (
    <form
      aria-label="Add an endpoint"
      className="space-y-4"
      action={(f) =>
        start(async () => {
          setError(null);
          const result = await createEndpointAction({ url: f.get("url"), description: f.get("description") || undefined, eventTypes: f.getAll("eventTypes") });
          if (!result.ok) return setError(result.error);
          setCreated(result.data.secret);
          router.refresh();
        })
      }
    >
      <FormError message={error} />
      <TextField id="endpoint-url" name="url" label="Endpoint URL" required type="url" placeholder="https://app.example.com/hooks/clearlog" />
      <TextField id="endpoint-description" name="description" label="Description (optional)" maxLength={200} placeholder="e.g. Production backend" />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Events</legend>
        <div className="mt-2 space-y-2">
          {EVENT_TYPES.map((type) => (
            <label key={type} className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" name="eventTypes" value={type} defaultChecked className="mt-0.5 h-4 w-4 rounded border-slate-300 text-brand-600" />
              <span>
                <span className="font-mono text-xs">{type}</span>
                <span className="block text-slate-500">{EVENT_LABELS[type]}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <Button type="submit" disabled={pending}>
        {pending ? "Adding…" : "Add endpoint"}
      </Button>
    </form>
  );
}
