"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/form-error";
import { STACKED_CELL, STACKED_ROW, StackedLabel, Table } from "@/components/ui/table";
import { inputClass } from "@/components/ui/text-field";
import { useActionRunner } from "@/components/ui/use-action-runner";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/roles";
import { linkSubjectAction, setUserRoleAction, unlinkSubjectAction } from "@/lib/auth/user-actions";

export interface UserRow {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  provider: string;
  linked: boolean;
  subject: string | null;
  disabled: boolean;
  createdAt: string;
}

/** Every account: its role (changeable, except one's own), and for end users the application user id it is linked to. */
export function UserTable({ users, me }: { users: UserRow[]; me: string }) {
  const { pending, error, run } = useActionRunner();
  return (
    <div className="space-y-3">
      <FormError message={error} />
      <Table testId="user-table" stacked columns={["Person", "Role", "Application user", ""]}>
        {users.map((u) => (
          <tr key={u.id} data-testid={`user-${u.email}`} className={STACKED_ROW}>
            <td className={STACKED_CELL}>
              <p className="font-medium text-slate-900">{u.displayName}</p>
              <p className="break-all text-xs text-slate-500 sm:break-normal">
                {u.email} · {u.provider === "supabase" ? "Supabase" : "local"}
                {u.disabled && " · disabled"}
              </p>
            </td>
            <td className={STACKED_CELL}>
              <StackedLabel>Role</StackedLabel>
              {u.id === me ? (
                <span className="text-slate-700">{ROLE_LABELS[u.role]} (you)</span>
              ) : (
                <select
                  aria-label={`Role of ${u.email}`}
                  className={`${inputClass} mt-0 w-full sm:w-auto`}
                  value={u.role}
                  disabled={pending}
                  onChange={(e) => run(() => setUserRoleAction({ id: u.id, role: e.target.value }))}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
              )}
            </td>
            <td className={STACKED_CELL}>
              <StackedLabel>Application user</StackedLabel>
              {u.linked ? (
                <span className="font-mono text-xs" data-testid="linked-subject">
                  {u.subject ?? "linked (id erased)"}
                </span>
              ) : u.role === "end_user" ? (
                <Badge tone="neutral">not linked</Badge>
              ) : (
                <span className="text-xs text-slate-400">staff</span>
              )}
            </td>
            <td className="block py-1 sm:table-cell sm:py-2.5 sm:text-right">{u.role === "end_user" && <LinkControls user={u} pending={pending} run={run} />}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

function LinkControls({ user, pending, run }: { user: UserRow; pending: boolean; run: ReturnType<typeof useActionRunner>["run"] }) {
  const [subject, setSubject] = useState("");
  if (user.linked) {
    return (
      <ConfirmDialog trigger="Unlink" title={`Unlink ${user.email}?`} confirmLabel="Unlink" disabled={pending} onConfirm={() => run(() => unlinkSubjectAction({ id: user.id }))}>
        <p>Their privacy center stops showing the data, consent and requests of this application user. Nothing is deleted; you can link them again.</p>
      </ConfirmDialog>
    );
  }
  return (
    <form className="flex gap-2 sm:justify-end" aria-label={`Link ${user.email}`} action={() => run(() => linkSubjectAction({ id: user.id, subject }))}>
      <input aria-label={`Application user id for ${user.email}`} className={`${inputClass} mt-0 min-w-0 flex-1 sm:w-40 sm:flex-none`} value={subject} onChange={(e) => setSubject(e.target.value)} placeholder="user id" />
      <Button type="submit" variant="secondary" disabled={pending || !subject.trim()}>
        Link
      </Button>
    </form>
  );
}
