import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestSmtpServer } from '../../../../test/support/smtp.ts';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import type { Db } from '../../core/db/index.ts';
import { OPEN_STATUSES } from '../cases/index.ts';
import { REMINDER_JOB, scheduleReminderJob, sendDeadlineReminders } from './index.ts';
import { reminderKindAt } from './reminders.ts';

const USERS = {
  resident: 'resident@otklik.demo',
  operator: 'kem.operator@otklik.demo',
  executor: 'kem.executor@otklik.demo',
  head: 'kem.head@otklik.demo',
} as const;
type Who = keyof typeof USERS;
const HOUR = 3600_000;

/** Shared by the two suites: cases made and moved through the API, reminders read from the database. */
function harness(get: () => TestContext) {
  const sessions = new Map<Who, Session & { at: number }>();
  const ids = {} as Record<Who, number> & { kem: number; improvement: number };

  async function init() {
    const t = get();
    ids.kem = t.demo.municipalities.kemerovo!;
    ids.improvement = (
      await t.database.db
        .selectFrom('department')
        .select('id')
        .where('municipality_id', '=', ids.kem)
        .where('name', '=', 'Управление благоустройства')
        .executeTakeFirstOrThrow()
    ).id;
    const users = await t.database.db
      .selectFrom('app_user')
      .select(['id', 'email'])
      .where('email', 'in', Object.values(USERS))
      .execute();
    for (const [k, email] of Object.entries(USERS)) ids[k as Who] = users.find((u) => u.email === email)!.id;
  }
  async function session(who: Who): Promise<Session> {
    const t = get();
    const now = t.clock.now().getTime();
    const s = sessions.get(who);
    if (s && now - s.at < 3600_000 && now >= s.at) return s;
    const fresh = Object.assign(await login(t.app, USERS[who]), { at: now });
    sessions.set(who, fresh);
    return fresh;
  }
  async function ok(who: Who, id: number, action: string, payload: Record<string, unknown> = {}) {
    const res = await get().app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/${action}`,
      headers: as(await session(who)),
      payload,
    });
    assert.equal(res.statusCode, 200, `${who} ${action}: ${res.body}`);
    return res.json() as { answerDue: { dueAt: string } | null };
  }
  /** A resident's case, registered now; assigned to the demo executor unless `assign` is false. */
  async function openCase(text: string, assign = true) {
    const t = get();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(await session('resident')),
      payload: { municipalityId: ids.kem, channel: 'web', text },
    });
    assert.equal(res.statusCode, 201, res.body);
    const c = res.json() as { id: number; number: string; answerDue: { dueAt: string } };
    if (assign) await ok('operator', c.id, 'assign', { departmentId: ids.improvement, executorUserId: ids.executor });
    return { ...c, due: new Date(c.answerDue.dueAt) };
  }
  /** Reminder notices about a case: [user, kind] in the order made. */
  async function remindersAbout(caseId: number) {
    const rows = await get()
      .database.db.selectFrom('notice')
      .select(['user_id', 'kind', 'title'])
      .where('case_id', '=', caseId)
      .where('kind', 'in', ['due_soon', 'overdue'])
      .orderBy('id')
      .execute();
    return rows.map((r) => [r.user_id, r.kind]);
  }
  async function lettersTo(email: string, number: string) {
    const jobs = await get()
      .database.db.selectFrom('job')
      .select('payload')
      .where('name', '=', 'mail.send')
      .orderBy('id')
      .execute();
    return jobs
      .map((j) => j.payload as { to: string; subject: string; text: string })
      .filter((p) => p.to === email && p.subject.includes(number) && p.text.includes('/staff/cases/'));
  }
  const run = () => {
    const t = get();
    return sendDeadlineReminders(t.app.db as Db, {
      now: t.clock.now(),
      openStatuses: OPEN_STATUSES,
      publicUrl: 'http://localhost:3000',
    });
  };
  return { ids, init, ok, openCase, remindersAbout, lettersTo, run };
}

describe('reminders: the rule', () => {
  test('which reminder a deadline calls for', () => {
    const due = new Date('2026-05-29T16:59:59Z');
    const cases: Array<[string, number, string | null]> = [
      ['two days before', -48 * HOUR, null],
      ['a second more than the lead before', -24 * HOUR - 1000, null],
      ['exactly the lead before', -24 * HOUR, 'due_soon'],
      ['20 hours before', -20 * HOUR, 'due_soon'],
      ['at the last second (still in time)', 0, 'due_soon'],
      ['one millisecond after', 1, 'overdue'],
      ['a week after', 7 * 24 * HOUR, 'overdue'],
    ];
    for (const [name, offset, expected] of cases) {
      assert.equal(reminderKindAt(due, new Date(due.getTime() + offset), 24 * HOUR), expected, name);
    }
    assert.equal(reminderKindAt(due, new Date(due.getTime() - 40 * HOUR), 48 * HOUR), 'due_soon', 'the lead is configurable');
  });
});

describe('reminders: staff are told before a deadline and when it has passed, exactly once', () => {
  let t: TestContext;
  const h = harness(() => t);
  const { ids } = h;

  before(async () => {
    t = await createTestContext();
    t.clock.set('2026-04-30T03:00:00Z');
    await h.init();
  });
  after(() => t.close());

  test('a case due in 20 hours: one due_soon to its executor, however often the job runs; then one overdue', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const c = await h.openCase('Не работает фонарь у дома 7');
    assert.equal(c.answerDue.dueAt, '2026-05-29T23:59:59+07:00');

    t.clock.set(new Date(c.due.getTime() - 30 * HOUR));
    await h.run();
    assert.deepEqual(await h.remindersAbout(c.id), [], '30 hours before: nothing yet');

    t.clock.set(new Date(c.due.getTime() - 20 * HOUR));
    await h.run();
    await h.run();
    // The schedule as the app runs it when it listens: the job, through the runner, twice.
    scheduleReminderJob(t.app.jobs);
    await t.app.jobs.drain();
    await t.app.jobs.drain();
    const job = await t.database.db.selectFrom('job').select(['status']).where('name', '=', REMINDER_JOB).execute();
    assert.deepEqual(job, [{ status: 'done' }], 'the schedule made one job this period');
    assert.deepEqual(await h.remindersAbout(c.id), [[ids.executor, 'due_soon']]);
    const soon = await h.lettersTo(USERS.executor, c.number);
    assert.equal(soon.length, 1);
    assert.equal(soon[0]?.subject, `Срок по обращению ${c.number} истекает 29.05.2026 23:59`);
    assert.match(soon[0]?.text ?? '', /срок «ответ» — до 29\.05\.2026 23:59 \(59-ФЗ ст\. 12 ч\. 1\)/);
    assert.match(soon[0]?.text ?? '', new RegExp(`http://localhost:3000/staff/cases/${c.id}`));

    // The executor sees it in the cabinet.
    const executor = await login(t.app, USERS.executor);
    const list = (await t.app.inject({ url: '/api/v1/notices', headers: as(executor) })).json() as {
      items: Array<{ caseId: number; kind: string }>;
      unread: number;
    };
    assert.deepEqual(
      list.items.filter((n) => n.caseId === c.id).map((n) => n.kind),
      ['due_soon'],
    );

    t.clock.set(new Date(c.due.getTime() + 1000));
    await h.run();
    await h.run();
    t.clock.advance(15 * 60_000); // the next period of the schedule
    await t.app.jobs.drain();
    assert.deepEqual(await h.remindersAbout(c.id), [
      [ids.executor, 'due_soon'],
      [ids.executor, 'overdue'],
      [ids.head, 'overdue'], // overdue: the department's head is told as well
    ]);
    assert.equal((await h.lettersTo(USERS.executor, c.number)).length, 2);
    assert.equal((await h.lettersTo(USERS.head, c.number)).length, 1);
    const rows = await t.database.db
      .selectFrom('deadline_reminder')
      .select(['deadline_kind', 'reminder_kind', 'recipient_ids'])
      .where('case_id', '=', c.id)
      .orderBy('sent_at')
      .execute();
    assert.deepEqual(rows, [
      { deadline_kind: 'answer', reminder_kind: 'due_soon', recipient_ids: [ids.executor] },
      { deadline_kind: 'answer', reminder_kind: 'overdue', recipient_ids: [ids.executor, ids.head] },
    ]);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'case')
      .where('entity_id', '=', String(c.id))
      .where('action', 'like', 'case.reminder%')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['case.reminder_due_soon', 'case.reminder_overdue'],
    );
  });

  test('an answered case gets no reminder; without an executor, or with a draft to approve, the heads are told', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const answered = await h.openCase('Спасибо за ремонт двора');
    await h.ok('executor', answered.id, 'start');
    await h.ok('executor', answered.id, 'draft-answer', { text: 'Благодарим.', result: 'explained' });
    await h.ok('head', answered.id, 'approve-answer');
    const unassigned = await h.openCase('Сломана горка', false);
    await t.database.db.updateTable('case').set({ department_id: ids.improvement }).where('id', '=', unassigned.id).execute();
    const nobody = await h.openCase('Вопрос без рубрики', false);
    const drafted = await h.openCase('Прошу покрасить забор');
    await h.ok('executor', drafted.id, 'start');
    await h.ok('executor', drafted.id, 'draft-answer', { text: 'Покрасим в июне.', result: 'supported' });

    t.clock.set(new Date(answered.due.getTime() - 20 * HOUR));
    await h.run();
    t.clock.set(new Date(answered.due.getTime() + 3 * 24 * HOUR));
    await h.run();
    assert.deepEqual(await h.remindersAbout(answered.id), []);
    assert.deepEqual(await h.remindersAbout(unassigned.id), [
      [ids.head, 'due_soon'],
      [ids.head, 'overdue'],
    ]);
    // A drafted answer waits for the head's approval: the head is told, not the executor.
    assert.deepEqual(await h.remindersAbout(drafted.id), [
      [ids.head, 'due_soon'],
      [ids.head, 'overdue'],
    ]);
    // No department either: the municipality's heads and operators (who assign cases).
    assert.deepEqual(
      (await h.remindersAbout(nobody.id)).sort(),
      [
        [ids.head, 'due_soon'],
        [ids.head, 'overdue'],
        [ids.operator, 'due_soon'],
        [ids.operator, 'overdue'],
      ].sort(),
    );
  });

  test('concurrent runs (two nodes) still send one reminder', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const c = await h.openCase('Подтопление подвала');
    t.clock.set(new Date(c.due.getTime() - 20 * HOUR));
    await Promise.all([h.run(), h.run(), h.run()]);
    assert.deepEqual(await h.remindersAbout(c.id), [[ids.executor, 'due_soon']]);
    assert.equal((await h.lettersTo(USERS.executor, c.number)).length, 1);
    t.clock.set(new Date(c.due.getTime() + 1000));
    await Promise.all([h.run(), h.run()]);
    assert.equal((await h.remindersAbout(c.id)).filter(([, k]) => k === 'overdue').length, 2, 'executor and head, once each');
  });

  test('a member of a cluster keeps its own deadline; its reminder names the primary that answers it', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const member = await h.openCase('Яма во дворе дома 3 по ул. Весенней');
    t.clock.set('2026-05-05T03:00:00Z');
    const primary = await h.openCase('Во дворе дома 3 по Весенней яма, прошу заделать');
    await h.ok('operator', primary.id, 'merge', { caseIds: [member.id] });
    // The member's deadline comes first (it arrived five days earlier).
    t.clock.set(new Date(member.due.getTime() - 20 * HOUR));
    await h.run();
    assert.deepEqual(await h.remindersAbout(member.id), [[ids.executor, 'due_soon']]);
    assert.deepEqual(await h.remindersAbout(primary.id), [], 'the primary’s own deadline is later');
    const [letter] = await h.lettersTo(USERS.executor, member.number);
    assert.match(letter?.text ?? '', new RegExp(`объединено с обращением ${primary.number}.*ответьте на ${primary.number}`));
    assert.match(letter?.text ?? '', new RegExp(`/staff/cases/${primary.id}\\n`));
  });

  test('an extension moves the deadline: the reminders are due again for the new instant', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const c = await h.openCase('Нужна экспертиза ограждения');
    t.clock.set(new Date(c.due.getTime() - 20 * HOUR));
    await h.run();
    const extended = await h.ok('head', c.id, 'extend', { reason: 'Запрошены документы', days: 10 });
    const newDue = new Date(extended.answerDue!.dueAt);
    assert.ok(newDue.getTime() > c.due.getTime());
    t.clock.set(new Date(c.due.getTime() + 1000));
    await h.run();
    assert.deepEqual(await h.remindersAbout(c.id), [[ids.executor, 'due_soon']], 'the old deadline is not overdue any more');
    t.clock.set(new Date(newDue.getTime() - 20 * HOUR));
    await h.run();
    await h.run();
    assert.deepEqual(await h.remindersAbout(c.id), [
      [ids.executor, 'due_soon'],
      [ids.executor, 'due_soon'],
    ]);
    const rows = await t.database.db
      .selectFrom('deadline_reminder')
      .select(['deadline_kind', 'due_at'])
      .where('case_id', '=', c.id)
      .orderBy('sent_at')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.deadline_kind, r.due_at.toISOString()]),
      [
        ['answer', c.due.toISOString()],
        ['extended_answer', newDue.toISOString()],
      ],
    );
  });
});

describe('reminders: the staff letter goes through a real SMTP server', () => {
  let t: TestContext;
  const smtp = new TestSmtpServer();
  const h = harness(() => t);

  before(async () => {
    const url = await smtp.start();
    t = await createTestContext({ config: { smtpUrl: url } });
    await h.init();
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  test('the executor receives the due-soon letter', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const c = await h.openCase('Не вывезен мусор');
    t.clock.set(new Date(c.due.getTime() - 20 * HOUR));
    await h.run();
    await t.app.jobs.drain();
    const mail = await smtp.waitFor(USERS.executor);
    assert.equal(mail.subject, `Срок по обращению ${c.number} истекает 29.05.2026 23:59`);
    assert.match(mail.text ?? '', /срок «ответ» — до 29\.05\.2026 23:59/);
    assert.equal(smtp.messages.filter((m) => JSON.stringify(m.to).includes(USERS.executor)).length, 1);
  });
});
