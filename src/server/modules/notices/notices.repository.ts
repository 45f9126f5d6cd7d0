import { sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { Role } from '../../core/db/schema.ts';

/** What a notice says; the kind names the occasion (`case_registered`, `case_answered`, `due_soon`, `overdue`…). */
export interface NewNotice {
  userId: number;
  caseId: number | null;
  kind: string;
  title: string;
  text: string;
}

/**
 * Puts a notice in a user's cabinet. Called inside the transaction of the change it tells about (a case step, a
 * reminder), so the notice exists exactly when the change does.
 */
export async function createNotice(trx: Db, now: Date, n: NewNotice): Promise<number> {
  const row = await trx
    .insertInto('notice')
    .values({ user_id: n.userId, case_id: n.caseId, kind: n.kind, title: n.title, text: n.text, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Many notices in one statement (a batch of intakes, each with its own time), in the caller's transaction. */
export async function createNotices(trx: Db, notices: ReadonlyArray<NewNotice & { at: Date }>): Promise<void> {
  if (notices.length === 0) return;
  await trx
    .insertInto('notice')
    .values(
      notices.map((n) => ({
        user_id: n.userId,
        case_id: n.caseId,
        kind: n.kind,
        title: n.title,
        text: n.text,
        created_at: n.at,
      })),
    )
    .execute();
}

const noticeQuery = (db: Db, userId: number) =>
  db
    .selectFrom('notice as n')
    .leftJoin('case as c', 'c.id', 'n.case_id')
    .leftJoin('municipality as m', 'm.id', 'c.municipality_id')
    .select([
      'n.id',
      'n.case_id',
      'c.number as case_number',
      'm.time_zone',
      'n.kind',
      'n.title',
      'n.text',
      'n.created_at',
      'n.read_at',
    ])
    .where('n.user_id', '=', userId);

/** A user's own notices, newest first, with the case's number and the municipality's zone for the times. */
export function listNotices(db: Db, userId: number, page: { limit: number; beforeId?: number }) {
  let q = noticeQuery(db, userId);
  if (page.beforeId !== undefined) q = q.where('n.id', '<', page.beforeId);
  return q.orderBy('n.id', 'desc').limit(page.limit).execute();
}

/** One of the user's own notices (another user's is not found). */
export function findOwnNotice(db: Db, userId: number, id: number) {
  return noticeQuery(db, userId).where('n.id', '=', id).executeTakeFirst();
}

export type NoticeRow = Awaited<ReturnType<typeof listNotices>>[number];

export async function countUnread(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('notice')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The notice if it is the user's own (another user's is "not found"), locked for the change. */
export function lockOwnNotice(trx: Db, userId: number, id: number) {
  return trx
    .selectFrom('notice')
    .select(['id', 'read_at', 'case_id', 'kind'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

export function markRead(trx: Db, id: number, now: Date) {
  return trx.updateTable('notice').set({ read_at: now }).where('id', '=', id).where('read_at', 'is', null).execute();
}

/** Marks every unread notice of the user read; returns how many. */
export async function markAllRead(trx: Db, userId: number, now: Date): Promise<number> {
  const rows = await trx
    .updateTable('notice')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

// Deadline reminders.

/** Open cases with a deadline at or before `horizon` (the queue deadline `due_at`, or the answer deadline). */
export function casesWithDeadlinesBefore(db: Db, horizon: Date, openStatuses: readonly string[]) {
  return db
    .selectFrom('case as c')
    .innerJoin('municipality as m', 'm.id', 'c.municipality_id')
    .leftJoin('case as primary', 'primary.id', 'c.cluster_primary_id')
    .select(['primary.id as primary_id', 'primary.number as primary_number'])
    .select([
      'c.id',
      'c.number',
      'c.municipality_id',
      'c.department_id',
      'c.executor_user_id',
      'c.status',
      'c.due_at',
      'c.due_kind',
      'c.due_rule',
      'c.due_source',
      'c.answer_due_at',
      'c.deadlines',
      'm.time_zone',
    ])
    .where('c.status', 'in', [...openStatuses])
    .where((eb) => eb.or([eb('c.due_at', '<=', horizon), eb('c.answer_due_at', '<=', horizon)]))
    .orderBy('c.id')
    .execute();
}

export type ReminderCaseRow = Awaited<ReturnType<typeof casesWithDeadlinesBefore>>[number];

/**
 * The reminders already sent for the deadlines now in force on those same cases (to skip them without a write);
 * one query whatever the number of cases.
 */
export function remindersSentBefore(db: Db, horizon: Date, openStatuses: readonly string[]) {
  return db
    .selectFrom('deadline_reminder as r')
    .innerJoin('case as c', 'c.id', 'r.case_id')
    .select(['r.case_id', 'r.deadline_kind', 'r.due_at', 'r.reminder_kind'])
    .where('c.status', 'in', [...openStatuses])
    .where((eb) =>
      eb.or([
        eb.and([eb('c.due_at', '<=', horizon), eb('r.due_at', '=', eb.ref('c.due_at'))]),
        eb.and([eb('c.answer_due_at', '<=', horizon), eb('r.due_at', '=', eb.ref('c.answer_due_at'))]),
      ]),
    )
    .execute();
}

/**
 * Claims a reminder: true when this call recorded it, false when it was already sent. The primary key
 * (case, deadline kind, due instant, reminder kind) decides; a concurrent claim waits for the first to commit and
 * then does nothing, so two nodes or a re-run never send it twice.
 */
export async function claimReminder(
  trx: Db,
  r: { caseId: number; deadlineKind: string; dueAt: Date; reminderKind: 'due_soon' | 'overdue'; now: Date },
): Promise<boolean> {
  const rows = await trx
    .insertInto('deadline_reminder')
    .values({
      case_id: r.caseId,
      deadline_kind: r.deadlineKind,
      due_at: r.dueAt,
      reminder_kind: r.reminderKind,
      sent_at: r.now,
      recipient_ids: '[]',
    })
    .onConflict((oc) => oc.columns(['case_id', 'deadline_kind', 'due_at', 'reminder_kind']).doNothing())
    .returning('case_id')
    .execute();
  return rows.length === 1;
}

export async function recordReminderRecipients(
  trx: Db,
  r: { caseId: number; deadlineKind: string; dueAt: Date; reminderKind: 'due_soon' | 'overdue' },
  userIds: number[],
) {
  await trx
    .updateTable('deadline_reminder')
    .set({ recipient_ids: JSON.stringify(userIds) })
    .where('case_id', '=', r.caseId)
    .where('deadline_kind', '=', r.deadlineKind)
    .where('due_at', '=', r.dueAt)
    .where('reminder_kind', '=', r.reminderKind)
    .execute();
}

const activeUsers = (db: Db) =>
  db.selectFrom('app_user as u').select(['u.id', 'u.email', 'u.first_name', 'u.last_name']).where('u.is_active', '=', true);

export type Recipient = { id: number; email: string; first_name: string; last_name: string };

export function activeUser(db: Db, id: number): Promise<Recipient | undefined> {
  return activeUsers(db).where('u.id', '=', id).executeTakeFirst();
}

/** Active holders of one of `roles` in the department (department-scoped grants). */
export function usersWithRoleInDepartment(db: Db, departmentId: number, roles: readonly Role[]): Promise<Recipient[]> {
  return activeUsers(db)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_role as r')
          .select(sql`1`.as('one'))
          .whereRef('r.user_id', '=', 'u.id')
          .where('r.department_id', '=', departmentId)
          .where('r.role', 'in', [...roles]),
      ),
    )
    .orderBy('u.id')
    .execute();
}

/** Active holders of one of `roles` anywhere in the municipality (its own grants or one of its departments'). */
export function usersWithRoleInMunicipality(db: Db, municipalityId: number, roles: readonly Role[]): Promise<Recipient[]> {
  return activeUsers(db)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_role as r')
          .select(sql`1`.as('one'))
          .whereRef('r.user_id', '=', 'u.id')
          .where('r.municipality_id', '=', municipalityId)
          .where('r.role', 'in', [...roles]),
      ),
    )
    .orderBy('u.id')
    .execute();
}
