"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass, TextField } from "@/components/ui/text-field";
import { ROLE_LABELS, ROLES } from "@/lib/auth/roles";
import { inviteUserAction } from "@/lib/auth/user-actions";

/** Creates a local account with a one-time password, shown once here to hand over to the person. */
export function InviteUserForm() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [role, setRole] = useState("end_user");
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);

  if (created) {
    return (
      <div className="space-y-4" data-testid="invited">
        <p className="text-sm text-slate-700">
          <strong>{created.email}</strong> can sign in at <code>/login</code> with this one-time password. Hand it over securely: it will not be shown again.
        </p>
        <code className="block break-all rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-emerald-300" data-testid="invite-password">
          {created.password}
        </code>
        <Button type="button" onClick={() => setCreated(null)}>
          Done
        </Button>
      </div>
    );
  }

  return (
    <form
      aria-label="Invite someone"
      className="space-y-4"
      action={(f) =>
        start(async () => {
          setError(null);
          const result = await inviteUserAction({ email: f.get("email"), displayName: f.get("displayName"), role: f.get("role"), subject: f.get("subject") || undefined });
          if (!result.ok) return setError(result.error);
          setCreated({ email: result.data.email, password: result.data.password });
          router.refresh();
        })
      }
    >
      <FormError message={error} />
      <TextField id="invite-email" name="email" label="E-mail" type="email" required />
      <TextField id="invite-name" name="displayName" label="Name" required maxLength={120} />
      <div>
        <label htmlFor="invite-role" className="block text-sm font-medium text-slate-700">
          Role
        </label>
        <select id="invite-role" name="role" className={inputClass} value={role} onChange={(e) => setRole(e.target.value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      {role === "end_user" && <TextField id="invite-subject" name="subject" label="Application user id (optional)" maxLength={256} placeholder="The id your application uses for them" />}
      <Button type="submit" disabled={pending}>
        {pending ? "Inviting…" : "Invite"}
      </Button>
    </form>
  );
}
