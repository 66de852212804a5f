import "server-only";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { env } from "../env";
import { OPEN_STATUSES } from "../privacy/request-rules";
import type { DeadlineData } from "./events";
import { emit } from "./outbox";
import { requestFacts } from "./notices";

// Deadline reminders: for each threshold of CLEARLOG_REMINDER_DAYS (7 and 1 by default), every open
// request that falls due within it and was not reminded for it yet gets a
// `privacy_request.deadline_approaching` webhook, once — the reminder row and the outbox row are
// written together, and the row's key (request, threshold) makes a second run a no-op. The console
// shows the same requests ("Due soon") from the deadlines themselves.
const DAY = 86_400_000;

export async function sendDeadlineReminders(now = new Date()): Promise<number> {
  let sent = 0;
  for (const days of env().CLEARLOG_REMINDER_DAYS) {
    const due = await db().privacyRequest.findMany({
      where: { status: { in: [...OPEN_STATUSES] }, dueAt: { gt: now, lte: new Date(now.getTime() + days * DAY) }, reminders: { none: { daysBefore: days } } },
      select: { id: true, status: true },
      orderBy: { dueAt: "asc" },
      take: 500,
    });
    for (const r of due) {
      const done = await transaction(async (tx) => {
        const inserted = await tx.requestReminder.createMany({ data: [{ requestId: r.id, daysBefore: days }], skipDuplicates: true });
        if (inserted.count === 0) return false;
        const facts = await requestFacts(tx, r.id);
        if (!facts) return false;
        const data: DeadlineData = { requestId: r.id, type: facts.type, status: r.status, dueAt: facts.dueAt.toISOString(), daysBefore: days, subject: facts.subject };
        await emit(tx, "privacy_request.deadline_approaching", data);
        return true;
      });
      if (done) sent++;
    }
  }
  return sent;
}

/** Open requests due within the largest threshold, soonest first (the console's "Due soon"). */
export function dueSoon(now = new Date(), limit = 10) {
  const horizon = Math.max(...env().CLEARLOG_REMINDER_DAYS, 1);
  return db().privacyRequest.findMany({
    where: { status: { in: [...OPEN_STATUSES] }, dueAt: { gt: now, lte: new Date(now.getTime() + horizon * DAY) } },
    select: { id: true, type: true, status: true, dueAt: true },
    orderBy: { dueAt: "asc" },
    take: limit,
  });
}
