import type { Metadata } from "next";
import { InviteUserForm } from "@/components/users/invite-user-form";
import { UserTable } from "@/components/users/user-table";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { listUsers } from "@/lib/auth/users";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requirePageUser("users.manage");
  const users = await listUsers();
  return (
    <>
      <PageHeader
        title="Users"
        description="Staff accounts and the end users' privacy-center accounts. Link an end user to the id your application knows them by, so their privacy center shows their data. People the application sends through a portal session need no account."
      />
      <div className="grid grid-cols-1 gap-6 2xl:grid-cols-[24rem_minmax(0,1fr)]">
        <Panel title="Invite someone">
          <InviteUserForm />
        </Panel>
        <Panel title={`Accounts (${users.length})`}>
          <UserTable
            me={me.id}
            users={users.map((u) => ({
              id: u.id,
              email: u.email,
              displayName: u.displayName,
              role: u.role,
              provider: u.provider,
              linked: u.linked,
              subject: u.subject,
              disabled: Boolean(u.disabledAt),
              createdAt: u.createdAt.toISOString(),
            }))}
          />
        </Panel>
      </div>
    </>
  );
}
