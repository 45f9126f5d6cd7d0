import { writeAudit } from '../../core/audit/audit.ts';
import { systemContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import type { JobRunner } from '../../core/jobs/index.ts';
import { enqueueMail } from '../../core/mail/mail-job.ts';
import { formatInstant } from '../../core/time/index.ts';
import {
  activeUser,
  casesWithDeadlinesBefore,
  claimReminder,
  createNotice,
  type Recipient,
  type ReminderCaseRow,
  recordReminderRecipients,
  remindersSentBefore,
  usersWithRoleInDepartment,
  usersWithRoleInMunicipality,
} from './notices.repository.ts';

export const REMINDER_JOB = 'notices.deadline-reminders';
/** How often the reminder job looks for deadlines (a reminder is at most this late). */
export const REMINDER_EVERY_SECONDS = 15 * 60;
/** A "due soon" reminder goes this long before a deadline. */
export const DEFAULT_REMINDER_LEAD_MS = 24 * 3600_000;

export type ReminderKind = 'due_soon' | 'overdue';

/** Russian names of the deadline kinds (core/time DeadlineKind), for the reminders' text. */
const DEADLINE_NAMES: Record<string, string> = {
  register: 'регистрация',
  redirect: 'переадресация по компетенции',
  answer: 'ответ',
  extended_answer: 'ответ (продлённый срок)',
  court_return: 'возврат обращения об обжаловании судебного решения',
  notice_unreadable: 'уведомление о нечитаемом обращении',
  notice_unclear: 'уведомление о неясной сути обращения',
  first_reaction: 'первая реакция',
};

export interface ReminderOptions {
  now: Date;
  /** How long before a deadline the "due soon" reminder goes (default 24 h). */
  leadMs?: number;
  /** The statuses in which a case still waits for a step (the cases module's OPEN_STATUSES). */
  openStatuses: readonly string[];
  /** The web app's address, for the link in the letter. */
  publicUrl: string;
}

interface DueDeadline {
  kind: string;
  dueAt: Date;
  source: string | null;
}

/** The deadlines in force on a case: the queue's next step (`due_at`) and the answer's, when they differ. */
export function deadlinesOf(c: ReminderCaseRow): DueDeadline[] {
  const stored = (Array.isArray(c.deadlines) ? c.deadlines : []) as Array<{ kind: string; dueAt: string; source?: string }>;
  const out: DueDeadline[] = [];
  if (c.due_at) out.push({ kind: c.due_kind ?? 'answer', dueAt: c.due_at, source: c.due_source });
  if (c.answer_due_at && (!c.due_at || c.answer_due_at.getTime() !== c.due_at.getTime())) {
    const answerAt = c.answer_due_at.getTime();
    const match = stored.find((d) => new Date(d.dueAt).getTime() === answerAt && d.kind.endsWith('answer'));
    out.push({ kind: match?.kind ?? 'answer', dueAt: c.answer_due_at, source: match?.source ?? null });
  }
  return out;
}

/** Which reminder a deadline calls for at `now`: after it, overdue; within the lead time before it, due soon. */
export function reminderKindAt(dueAt: Date, now: Date, leadMs: number): ReminderKind | null {
  const due = dueAt.getTime();
  const t = now.getTime();
  // Late means after the instant (the same test as a step's `late`): the last second of the day is still in time.
  if (t > due) return 'overdue';
  if (t >= due - leadMs) return 'due_soon';
  return null;
}

/**
 * Who answers for a case's deadline: its executor; with none, the heads of its department; with neither, the
 * municipality's heads and operators (who assign cases). A drafted answer waits for a head's approval, so then the
 * heads are told. When overdue, the department's heads are told as well.
 */
async function recipientsFor(trx: Db, c: ReminderCaseRow, kind: ReminderKind): Promise<Recipient[]> {
  const heads = c.department_id === null ? [] : await usersWithRoleInDepartment(trx, c.department_id, ['head']);
  let people: Recipient[];
  if (c.status === 'answer_drafted') {
    people = heads.length > 0 ? heads : await usersWithRoleInMunicipality(trx, c.municipality_id, ['head']);
  } else {
    const executor = c.executor_user_id === null ? undefined : await activeUser(trx, c.executor_user_id);
    if (executor) people = kind === 'overdue' ? [executor, ...heads] : [executor];
    else if (heads.length > 0) people = heads;
    else people = await usersWithRoleInMunicipality(trx, c.municipality_id, ['head', 'operator']);
  }
  const seen = new Set<number>();
  return people.filter((p) => !seen.has(p.id) && seen.add(p.id));
}

/** "2026-05-29T23:59:59+07:00" → "29.05.2026 23:59". */
const humanTime = (d: Date, zone: string) => {
  const s = formatInstant(d, zone);
  return `${s.slice(8, 10)}.${s.slice(5, 7)}.${s.slice(0, 4)} ${s.slice(11, 16)}`;
};

function message(c: ReminderCaseRow, d: DueDeadline, kind: ReminderKind, publicUrl: string) {
  const when = humanTime(d.dueAt, c.time_zone);
  const what = DEADLINE_NAMES[d.kind] ?? d.kind;
  const title = kind === 'overdue' ? `Просрочен срок по обращению ${c.number}` : `Срок по обращению ${c.number} истекает ${when}`;
  // A member of a cluster keeps its own deadline (each appeal has its own, 59-ФЗ ст. 12) but is answered through
  // the primary: the reminder says so and links both, or the member would look forgotten.
  const member = c.primary_id !== null && c.primary_number !== null;
  const text = [
    `Обращение ${c.number}: срок «${what}» — до ${when}${d.source ? ` (${d.source})` : ''}.`,
    kind === 'overdue' ? 'Срок истёк, а шаг не сделан.' : 'До срока осталось меньше суток.',
    ...(member
      ? [
          `Оно объединено с обращением ${c.primary_number} и получит ответ вместе с ним: ответьте на ${c.primary_number} до этого срока.`,
          `${publicUrl}/staff/cases/${c.primary_id}`,
        ]
      : []),
    `${publicUrl}/staff/cases/${c.id}`,
  ].join('\n');
  return { title, text };
}

/**
 * One pass of the reminder job: for each open case whose deadline is within the lead time or past, sends the
 * due-soon or overdue reminder (a notice in the cabinet and a letter to each responsible person) unless it has been
 * sent. Each reminder is claimed by its row in `deadline_reminder` in the transaction that makes its notices and
 * letters, so a re-run, a retry or another node running the same pass never sends it twice. A deadline that moved
 * (an extension, a recomputed calendar) is another instant and gets its own reminders.
 */
export async function sendDeadlineReminders(db: Db, options: ReminderOptions): Promise<{ sent: number }> {
  const { now } = options;
  const leadMs = options.leadMs ?? DEFAULT_REMINDER_LEAD_MS;
  const horizon = new Date(now.getTime() + leadMs);
  const cases = await casesWithDeadlinesBefore(db, horizon, options.openStatuses);
  const sentBefore = await remindersSentBefore(db, horizon, options.openStatuses);
  const done = new Set(sentBefore.map((r) => `${r.case_id}|${r.deadline_kind}|${r.due_at.getTime()}|${r.reminder_kind}`));
  const ctx = systemContext(now);
  let sent = 0;
  for (const c of cases) {
    for (const d of deadlinesOf(c)) {
      const kind = reminderKindAt(d.dueAt, now, leadMs);
      if (!kind || done.has(`${c.id}|${d.kind}|${d.dueAt.getTime()}|${kind}`)) continue;
      const key = { caseId: c.id, deadlineKind: d.kind, dueAt: d.dueAt, reminderKind: kind };
      const inTransaction = <T>(fn: (trx: Db) => Promise<T>) =>
        db.isTransaction ? fn(db) : db.transaction().execute((trx) => fn(trx));
      const claimed = await inTransaction(async (trx) => {
        if (!(await claimReminder(trx, { ...key, now }))) return false;
        const people = await recipientsFor(trx, c, kind);
        const { title, text } = message(c, d, kind, options.publicUrl);
        for (const person of people) {
          await createNotice(trx, now, { userId: person.id, caseId: c.id, kind, title, text });
          await enqueueMail(trx, ctx, { to: person.email, subject: title, text });
        }
        await recordReminderRecipients(
          trx,
          key,
          people.map((p) => p.id),
        );
        await writeAudit(trx, ctx, {
          action: `case.reminder_${kind}`,
          entityType: 'case',
          entityId: c.id,
          municipalityId: c.municipality_id,
          after: { deadlineKind: d.kind, dueAt: d.dueAt.toISOString(), recipients: people.map((p) => p.id) },
        });
        return true;
      });
      if (claimed) sent++;
    }
  }
  return { sent };
}

/**
 * Registers the reminder job's handler. The job is not run in the runner's transaction: each reminder has its own
 * short transaction, so one case's failure does not undo the others' (a retry skips what was sent).
 */
export function registerReminderJob(runner: JobRunner, options: Omit<ReminderOptions, 'now'>): void {
  runner.register(REMINDER_JOB, async (_payload, job) => {
    await sendDeadlineReminders(job.db as Db, { ...options, now: job.now });
  });
}

/**
 * The recurring schedule (every 15 minutes; one job per period across all nodes). app.ts defines it when the app
 * listens, so `app.inject()` tests of other modules do not get reminder jobs in their `drain()`.
 */
export function scheduleReminderJob(runner: JobRunner, everySeconds = REMINDER_EVERY_SECONDS): void {
  runner.schedule(REMINDER_JOB, { everySeconds });
}
