import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { caseFacts, type FactCase, type FactEvent, measuresOf, RollupDelta } from './facts.ts';

// The facts of one case (README.md): state, on time per regime, overdue, first reaction, resolution, rating, flags.
const H = 3_600_000;
const T0 = Date.parse('2026-04-06T10:00:00+07:00');
const NOW = T0 + 40 * 24 * H;
const env = { zone: 'Asia/Novokuznetsk', workMs: (a: number, b: number) => (b - a) / 2, nowMs: NOW };
const ev = (type: string, hours: number, late: boolean | null = null, rating: number | null = null): FactEvent => ({
  type,
  atMs: T0 + hours * H,
  late,
  rating,
});
const base: FactCase = {
  id: 1,
  municipalityId: 1,
  regime: 'appeal',
  channel: 'web',
  categoryId: 5,
  departmentId: 7,
  placeId: null,
  executorUserId: null,
  status: 'registered',
  receivedAtMs: T0,
  dueAtMs: T0 + 30 * 24 * H,
  firstReactionDueMs: null,
  answeredAtMs: null,
  lat: null,
  lon: null,
  applicantKey: 'u1',
  prevSameAtMs: null,
  events: [],
};

describe('analytics facts: on time, per regime', () => {
  const cases: Array<[string, Partial<FactCase>, boolean | null, boolean]> = [
    ['open, deadline ahead: not decided', { dueAtMs: NOW + H }, null, false],
    ['open, deadline passed: late and overdue', { dueAtMs: NOW - 1 }, false, true],
    ['open, due exactly now: not yet overdue', { dueAtMs: NOW }, null, false],
    ['answered in time', { status: 'answered', answeredAtMs: T0 + 24 * H, events: [ev('answered', 24, false)] }, true, false],
    ['answered late', { status: 'rated', answeredAtMs: T0 + 24 * H, events: [ev('answered', 24, true)] }, false, false],
    [
      'reopened: the answer in force decides',
      { status: 'answered', events: [ev('answered', 24, true), ev('reopened', 48), ev('answered', 72, false)] },
      true,
      false,
    ],
    ['answered without a deadline: not decided', { status: 'answered', events: [ev('answered', 24, null)] }, null, false],
    ['redirected in the 7 days', { status: 'redirected', dueAtMs: null, events: [ev('redirected', 24, false)] }, true, false],
    ['closed under ст. 11 late', { status: 'closed', events: [ev('closed_abusive', 24, true)] }, false, false],
    ['withdrawn: no deadline, not decided', { status: 'closed', events: [ev('withdrawn', 24, null)] }, null, false],
    [
      'incident: first reaction within its deadline',
      {
        regime: 'incident',
        firstReactionDueMs: T0 + 24 * H,
        status: 'assigned',
        dueAtMs: T0 + 24 * H,
        events: [ev('assigned', 3)],
      },
      true,
      true,
    ],
    [
      'incident: first reaction after its deadline',
      { regime: 'incident', firstReactionDueMs: T0 + 24 * H, status: 'answered', events: [ev('answered', 30)] },
      false,
      false,
    ],
    [
      'incident: no reaction, deadline passed',
      { regime: 'incident', firstReactionDueMs: T0 + 24 * H, dueAtMs: T0 + 24 * H },
      false,
      true,
    ],
    ['incident: no reaction, deadline ahead', { regime: 'incident', firstReactionDueMs: NOW + H, dueAtMs: NOW + H }, null, false],
    [
      'incident: a reply to the post in time is its first reaction (monitoring)',
      {
        regime: 'incident',
        firstReactionDueMs: T0 + 24 * H,
        status: 'registered',
        dueAtMs: null,
        events: [ev('first_reaction', 5)],
      },
      true,
      false,
    ],
  ];
  for (const [name, change, onTime, overdue] of cases) {
    test(name, () => {
      const f = caseFacts({ ...base, ...change }, env);
      assert.equal(f.onTime, onTime);
      assert.equal(f.overdue, overdue);
    });
  }
});

describe('analytics facts: reaction, resolution, rating, flags', () => {
  test('the first reaction skips the conversion, a merge and a withdrawal; registration is none', () => {
    const f = caseFacts(
      { ...base, events: [ev('registered', 0), ev('converted', 1), ev('merged', 2), ev('redirected', 5, false)] },
      env,
    );
    assert.equal(f.reactionMs, 5 * H);
    assert.equal(f.reactionWorkMs, 2.5 * H);
    assert.equal(caseFacts({ ...base, status: 'closed', events: [ev('withdrawn', 1)] }, env).reactionMs, null);
  });

  test('resolution runs to the answer in force; the last rating counts; reopened and converted flags', () => {
    const f = caseFacts(
      {
        ...base,
        status: 'rated',
        answeredAtMs: T0 + 72 * H,
        events: [
          ev('converted', 1),
          ev('answered', 24, false),
          ev('rated', 25, null, 2),
          ev('reopened', 30),
          ev('answered', 72, false),
          ev('rated', 73, null, 4),
        ],
      },
      env,
    );
    assert.deepEqual(
      [f.state, f.resolutionMs, f.rating, f.reopened, f.converted, f.everAnswered, f.reactionMs],
      ['answered', 72 * H, 4, true, true, true, 24 * H],
    );
    const m = measuresOf(f);
    assert.deepEqual([m.rated, m.rated_positive, m.answered, m.on_time, m.late], [1, 1, 1, 1, 0]);
  });

  test('a reopened case back in work is open, not answered, though it was once', () => {
    const f = caseFacts(
      { ...base, status: 'in_work', answeredAtMs: T0 + 24 * H, events: [ev('answered', 24, false), ev('reopened', 30)] },
      env,
    );
    assert.deepEqual([f.state, f.answeredAtMs, f.resolutionMs, f.everAnswered], ['open', null, null, true]);
  });

  test('the day of receipt is local; the previous same case gives its local day; the grid cell', () => {
    const late = Date.parse('2026-04-30T23:30:00+07:00');
    const f = caseFacts(
      { ...base, receivedAtMs: late, prevSameAtMs: Date.parse('2026-04-01T00:10:00+07:00'), lat: 55.3547, lon: 86.0873 },
      env,
    );
    assert.deepEqual([f.receivedDay, f.prevSameDay, f.cellLat, f.cellLon], ['2026-04-30', '2026-04-01', 11070, 17217]);
  });

  test('the rollup: one row per dimension value; − old + new leaves only the change', () => {
    const before = caseFacts(base, env);
    const after = caseFacts(
      { ...base, departmentId: 9, status: 'answered', answeredAtMs: T0 + H, events: [ev('answered', 1, false)] },
      env,
    );
    const d = new RollupDelta();
    d.add(before, 1);
    assert.deepEqual(
      d.changed().map((r) => `${r.dim}:${r.key}`),
      ['category:5', 'channel:web', 'department:7', 'district:none', 'regime:appeal', 'total:'],
    );
    d.add(before, -1);
    d.add(after, 1);
    const rows = d.changed();
    assert.equal(
      rows.find((r) => r.dim === 'department' && r.key === '7'),
      undefined,
      'cancelled out',
    );
    assert.equal(rows.find((r) => r.dim === 'department' && r.key === '9')?.m.answered, 1);
    assert.equal(rows.find((r) => r.dim === 'total')?.m.received, 1);
  });
});

test('the rollup vector and measuresOf agree, measure by measure', () => {
  const f = caseFacts(
    {
      ...base,
      status: 'rated',
      answeredAtMs: T0 + 5 * H,
      events: [ev('converted', 1), ev('assigned', 2), ev('answered', 5, true), ev('rated', 6, null, 5)],
    },
    env,
  );
  const d = new RollupDelta();
  d.add(f, 1);
  assert.deepEqual(d.changed().find((r) => r.dim === 'total')?.m, measuresOf(f));
});
