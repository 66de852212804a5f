// The demo workspace's accounts (prisma/seed.ts) and where each one's signed-in state is kept.
export const ACCOUNTS = {
  admin: { email: "admin@clearlog.demo", password: "demo-admin-pass", name: "Ada Admin", home: "/admin" },
  data_scientist: { email: "scientist@clearlog.demo", password: "demo-scientist-pass", name: "Sam Scientist", home: "/admin/models" },
  end_user: { email: "user@clearlog.demo", password: "demo-user-pass", name: "Uma User", home: "/privacy" },
} as const;

export type AccountRole = keyof typeof ACCOUNTS;

export const storageState = (role: AccountRole) => `e2e/.auth/${role}.json`;

/** A second demo end user (application id user-1002), for flows that change or erase a person's data. */
export const SECOND_END_USER = { email: "eli@clearlog.demo", password: "demo-eli-pass", name: "Eli Example", subject: "user-1002" } as const;

/** A third demo end user (application id user-1003), for the training flow: grants, then withdraws, AI training. */
export const THIRD_END_USER = { email: "noor@clearlog.demo", password: "demo-noor-pass", name: "Noor Example", subject: "user-1003" } as const;
