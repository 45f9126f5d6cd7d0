import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CalendarRangeError,
  computeDeadlines,
  type Deadline,
  type DeadlineRequest,
  DeadlineSettingError,
  STATUTORY_RULES,
  shippedCalendar,
  validateDeadlineSettings,
} from './index.ts';

const calendar = shippedCalendar();
const zone = 'Asia/Novokuznetsk';

function byKind(list: Deadline[]): Record<string, Deadline> {
  return Object.fromEntries(list.map((d) => [d.kind, d]));
}

function appeal(extra: Partial<DeadlineRequest> = {}): Record<string, Deadline> {
  return byKind(computeDeadlines({ regime: 'appeal', start: new Date('2026-04-30T10:00:00+07:00'), zone, calendar, ...extra }));
}

describe('statutory rules as data', () => {
  test('every rule has a Russian rule text and a legal source', () => {
    for (const r of STATUTORY_RULES) {
      assert.match(r.rule, /[а-я]/);
      assert.ok(r.source.length > 0);
      if (!r.verified) assert.ok(r.note, `${r.regime}/${r.kind} is unverified and says why`);
    }
  });

  test('59-ФЗ: the seven appeal deadlines with their articles', () => {
    const d = appeal();
    const expected: Array<[string, string, string]> = [
      ['register', '59-ФЗ ст. 8 ч. 2', '2026-04-30T23:59:59+07:00'], // +3 = Sun 03.05 → back to Thu 30.04
      ['redirect', '59-ФЗ ст. 8 ч. 3', '2026-05-07T23:59:59+07:00'],
      ['answer', '59-ФЗ ст. 12 ч. 1', '2026-05-29T23:59:59+07:00'],
      ['extended_answer', '59-ФЗ ст. 12 ч. 2', '2026-06-29T23:59:59+07:00'],
      ['court_return', '59-ФЗ ст. 11 ч. 2', '2026-05-07T23:59:59+07:00'],
      ['notice_unreadable', '59-ФЗ ст. 11 ч. 4', '2026-05-07T23:59:59+07:00'],
      ['notice_unclear', '59-ФЗ ст. 11 ч. 4.1', '2026-05-07T23:59:59+07:00'],
    ];
    assert.deepEqual(
      Object.keys(d),
      expected.map(([k]) => k),
    );
    for (const [kind, source, dueAtText] of expected) {
      assert.equal(d[kind]!.source, source, kind);
      assert.equal(d[kind]!.dueAtText, dueAtText, kind);
      assert.equal(d[kind]!.dueAt.getTime(), Date.parse(dueAtText), kind);
      assert.equal(d[kind]!.internal, false);
    }
  });

  test('the last-day policy applies: next working day / none', () => {
    assert.equal(appeal({ settings: { policy: 'next_working_day' } }).answer!.dueAtText, '2026-06-01T23:59:59+07:00');
    assert.equal(appeal({ settings: { policy: 'none' } }).answer!.dueAtText, '2026-05-30T23:59:59+07:00');
  });

  test('registration-day rule: registered 01.03 → answer due 31.03; register counts from receipt', () => {
    const d = byKind(
      computeDeadlines({
        regime: 'appeal',
        start: new Date('2025-02-27T15:00:00+07:00'),
        registeredAt: new Date('2025-03-01T09:00:00+07:00'),
        zone,
        calendar,
      }),
    );
    assert.equal(d.answer!.dueDate, '2025-03-31');
    assert.equal(d.register!.dueDate, '2025-02-28'); // 27.02 + 3 = Sun 02.03 → Fri 28.02
    assert.equal(d.answer!.from, 'registration');
    assert.equal(d.register!.from, 'receipt');
  });

  test('counting from the start day (day 1 = registration date) is a setting', () => {
    const d = byKind(
      computeDeadlines({
        regime: 'appeal',
        start: new Date('2025-03-01T09:00:00+07:00'),
        zone,
        calendar,
        settings: { counting: 'from_start_day' },
      }),
    );
    assert.equal(d.answer!.dueDate, '2025-03-28'); // day 30 = Sun 30.03 → Fri 28.03
  });

  test('a stricter internal control period is applied, the legal date kept beside it', () => {
    const d = appeal({ settings: { internalControl: { answer: 25, extended_answer: 20 } } });
    assert.equal(d.answer!.internal, true);
    assert.equal(d.answer!.amount, 25);
    assert.equal(d.answer!.legalAmount, 30);
    assert.equal(d.answer!.dueAtText, '2026-05-25T23:59:59+07:00');
    assert.equal(d.answer!.legalDueAtText, '2026-05-29T23:59:59+07:00');
    assert.match(d.answer!.rule, /Внутренний контрольный срок — 25 календарных дней/);
    assert.equal(d.extended_answer!.dueDate, '2026-06-19'); // 30 + 20 days
    assert.ok(d.answer!.dueAt <= d.answer!.legalDueAt);
  });

  test('a looser internal control period is rejected with the setting named (not clamped)', () => {
    assert.throws(
      () => appeal({ settings: { internalControl: { answer: 31 } } }),
      (e: unknown) =>
        e instanceof DeadlineSettingError &&
        e.field === 'internalControl.answer' &&
        e.code === 'DEADLINE_SETTING_INVALID' &&
        /looser than the law \(59-ФЗ ст\. 12 ч\. 1: 30 calendar days\)/.test(e.message),
    );
    assert.throws(() => validateDeadlineSettings('appeal', { internalControl: { extended_answer: 45 } }), DeadlineSettingError);
    assert.throws(() => validateDeadlineSettings('appeal', { internalControl: { register: 0 } }), /whole number/);
    assert.throws(
      () => validateDeadlineSettings('appeal', { internalControl: { first_reaction: 5 } }),
      /no first_reaction deadline for appeals/,
    );
    assert.throws(() => validateDeadlineSettings('appeal', { categoryPeriods: { x: 20 } }), /fixed by 59-ФЗ/);
  });

  test('an equal internal control period is accepted and is not marked internal', () => {
    assert.equal(appeal({ settings: { internalControl: { answer: 30 } } }).answer!.internal, false);
  });

  test('ПОС messages: 10 working days by default, per category otherwise', () => {
    const start = new Date('2026-04-30T10:00:00+07:00');
    const [plain] = computeDeadlines({ regime: 'message', start, zone, calendar });
    assert.equal(plain!.kind, 'answer');
    assert.equal(plain!.unit, 'working_days');
    assert.equal(plain!.dueAtText, '2026-05-18T23:59:59+07:00');
    assert.equal(plain!.rule, 'Дать ответ на сообщение в течение 10 рабочих дней');
    const settings = { categoryPeriods: { housing: 5 }, defaultPeriod: 12 };
    const [housing] = computeDeadlines({ regime: 'message', start, zone, calendar, category: 'housing', settings });
    assert.equal(housing!.dueDate, '2026-05-08');
    assert.match(housing!.rule, /5 рабочих дней \(категория «housing»\)/);
    const [other] = computeDeadlines({ regime: 'message', start, zone, calendar, category: 'roads', settings });
    assert.equal(other!.legalAmount, 12);
  });

  test('messages: internal control must be stricter than every category baseline it may apply to', () => {
    assert.throws(
      () => validateDeadlineSettings('message', { categoryPeriods: { housing: 5 }, internalControl: { answer: 7 } }),
      (e: unknown) => e instanceof DeadlineSettingError && /looser than the 5 working days/.test(e.message),
    );
    assert.throws(() => validateDeadlineSettings('message', { categoryPeriods: { housing: 2.5 } }), /categoryPeriods\.housing/);
  });

  test('incidents: first reaction within 24 clock hours by default, or in working hours', () => {
    const start = new Date('2026-05-08T15:00:00+07:00');
    const [clock] = computeDeadlines({ regime: 'incident', start, zone, calendar });
    assert.equal(clock!.kind, 'first_reaction');
    assert.equal(clock!.dueAtText, '2026-05-09T15:00:00+07:00');
    assert.equal(clock!.rule, 'Первая реакция на инцидент в течение 24 часов');
    const [working] = computeDeadlines({
      regime: 'incident',
      start,
      zone,
      calendar,
      settings: { incidentClock: 'working', defaultPeriod: 3 },
    });
    assert.equal(working!.dueAtText, '2026-05-12T11:15:00+07:00');
    const [fast] = computeDeadlines({
      regime: 'incident',
      start,
      zone,
      calendar,
      category: 'heating',
      settings: { categoryPeriods: { heating: 2 } },
    });
    assert.equal(fast!.dueAtText, '2026-05-08T17:00:00+07:00');
  });

  test('deadlines resting on the provisional 2027 calendar say so', () => {
    const d = byKind(computeDeadlines({ regime: 'appeal', start: new Date('2026-12-20T10:00:00+07:00'), zone, calendar }));
    assert.equal(d.answer!.provisional, true);
    assert.equal(d.register!.provisional, false);
  });

  test('a case outside the calendar is a CalendarRangeError for every regime', () => {
    for (const regime of ['appeal', 'message', 'incident'] as const)
      assert.throws(
        () => computeDeadlines({ regime, start: new Date('2030-03-01T10:00:00+07:00'), zone, calendar }),
        CalendarRangeError,
      );
  });

  test('registration before receipt is refused', () => {
    assert.throws(
      () => appeal({ registeredAt: new Date('2026-04-29T10:00:00+07:00') }),
      (e: unknown) => e instanceof DeadlineSettingError && e.field === 'registeredAt',
    );
  });
});
