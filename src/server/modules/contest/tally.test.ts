import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Ballot, ballotProblem, type Criterion, hasQuorum, type TieBreak, tally, weightedMean } from './tally.ts';

/** Ballots from rankings: member m's list of application ids, best first. */
const ranked = (lists: number[][]): Ballot[] =>
  lists.flatMap((list, m) => list.map((applicationId, i) => ({ memberId: m + 1, applicationId, rank: i + 1 })));

const CRITERIA: Criterion[] = [
  { code: 'effect', name: 'Результативность', weight: 2 },
  { code: 'novelty', name: 'Новизна', weight: 1 },
];
const scored = (rows: Array<[member: number, app: number, effect: number, novelty: number]>): Ballot[] =>
  rows.map(([memberId, applicationId, effect, novelty]) => ({ memberId, applicationId, scores: { effect, novelty } }));

describe('tally', () => {
  // [case, method, applications, ballots, tie-break, expected places (app → place|null), unresolved groups]
  const cases: Array<
    [string, 'ranking' | 'criteria', number[], Ballot[], TieBreak | null, Record<number, number | null>, number[][]]
  > = [
    [
      'unanimous ranking',
      'ranking',
      [1, 2, 3],
      ranked([
        [1, 2, 3],
        [1, 2, 3],
        [1, 2, 3],
      ]),
      null,
      { 1: 1, 2: 2, 3: 3 },
      [],
    ],
    [
      'the seed: Кемерово, Белово, Мариинск by majority',
      'ranking',
      [10, 20, 30],
      ranked([
        [10, 20, 30],
        [10, 30, 20],
        [20, 10, 30],
        [10, 20, 30],
      ]),
      null,
      { 10: 1, 20: 2, 30: 3 },
      [],
    ],
    [
      'a two-way tie stays unresolved',
      'ranking',
      [1, 2],
      ranked([
        [1, 2],
        [2, 1],
      ]),
      null,
      { 1: null, 2: null },
      [[1, 2]],
    ],
    [
      'the chair’s deciding vote resolves it',
      'ranking',
      [1, 2],
      ranked([
        [1, 2],
        [2, 1],
      ]),
      { order: [2, 1], basis: 'chair' },
      { 2: 1, 1: 2 },
      [],
    ],
    [
      'a tie for second below a clear first',
      'ranking',
      [1, 2, 3],
      ranked([
        [1, 2, 3],
        [1, 3, 2],
      ]),
      null,
      { 1: 1, 2: null, 3: null },
      [[2, 3]],
    ],
    [
      'a tie-break naming other applications does not resolve it',
      'ranking',
      [1, 2, 3],
      ranked([
        [1, 2, 3],
        [1, 3, 2],
      ]),
      { order: [1, 2], basis: 'chair' },
      { 1: 1, 2: null, 3: null },
      [[2, 3]],
    ],
    [
      'the place after a resolved tie counts the tied ones',
      'ranking',
      [1, 2, 3],
      ranked([
        [1, 2, 3],
        [2, 1, 3],
      ]),
      { order: [1, 2], basis: 'chair' },
      { 1: 1, 2: 2, 3: 3 },
      [],
    ],
    ['a single application takes the first place', 'ranking', [7], ranked([[7], [7]]), null, { 7: 1 }, []],
    [
      'criteria: the weighted mean decides',
      'criteria',
      [1, 2],
      scored([
        [1, 1, 9, 3],
        [1, 2, 7, 9],
        [2, 1, 8, 4],
        [2, 2, 7, 8],
      ]),
      null,
      { 1: 2, 2: 1 },
      [],
    ], // 6.83 vs 7.5
    [
      'criteria: equal weighted means tie',
      'criteria',
      [1, 2],
      scored([
        [1, 1, 8, 5],
        [1, 2, 7, 7],
      ]),
      null,
      { 1: null, 2: null },
      [[1, 2]],
    ],
  ];
  for (const [name, method, apps, ballots, tb, places, unresolved] of cases) {
    test(name, () => {
      const t = tally(method, apps, ballots, CRITERIA, tb);
      assert.equal(t.empty, false);
      assert.deepEqual(
        Object.fromEntries(t.rows.map((r) => [r.applicationId, r.place])),
        Object.fromEntries(Object.entries(places).map(([k, v]) => [Number(k), v])),
      );
      assert.deepEqual(
        t.unresolved.map((g) => [...g].sort()),
        unresolved,
      );
    });
  }

  test('no applications: empty, no places', () => {
    assert.deepEqual(tally('ranking', [], []), { method: 'ranking', empty: true, rows: [], unresolved: [] });
  });

  test('ranking scores: the sum of ranks and the Borda points', () => {
    const t = tally(
      'ranking',
      [1, 2, 3],
      ranked([
        [1, 2, 3],
        [2, 1, 3],
      ]),
    );
    const by = new Map(t.rows.map((r) => [r.applicationId, r]));
    assert.deepEqual([by.get(1)?.score, by.get(1)?.borda, by.get(3)?.score, by.get(3)?.borda], [3, 3, 6, 0]);
    assert.deepEqual(by.get(1)?.tiedWith, [2]);
  });

  test('weighted mean: (9·2 + 3·1) / 3 = 7', () => {
    assert.equal(weightedMean({ effect: 9, novelty: 3 }, CRITERIA), 7);
  });
});

describe('ballot checks', () => {
  // [case, method, ballot, expected reason fragment or null]
  const cases: Array<[string, 'ranking' | 'criteria', Parameters<typeof ballotProblem>[2], string | null]> = [
    ['a complete ranking', 'ranking', { ranking: [2, 1, 3] }, null],
    ['a non-admitted application', 'ranking', { ranking: [1, 2, 9] }, 'application 9 is not admitted'],
    ['a repeated application', 'ranking', { ranking: [1, 1, 2] }, 'listed twice'],
    ['an incomplete ranking', 'ranking', { ranking: [1, 2] }, 'rank all 3'],
    ['scores for a ranking contest', 'ranking', { scores: [] }, 'votes by ranking'],
    [
      'complete scores',
      'criteria',
      { scores: [1, 2, 3].map((applicationId) => ({ applicationId, scores: { effect: 5, novelty: 10 } })) },
      null,
    ],
    ['a score of 11', 'criteria', { scores: [{ applicationId: 1, scores: { effect: 11, novelty: 1 } }] }, 'from 1 to 10'],
    ['a fractional score', 'criteria', { scores: [{ applicationId: 1, scores: { effect: 5.5, novelty: 1 } }] }, 'from 1 to 10'],
    ['a missing criterion', 'criteria', { scores: [{ applicationId: 1, scores: { effect: 5 } }] }, 'no score for «Новизна»'],
    [
      'an unknown criterion',
      'criteria',
      { scores: [{ applicationId: 1, scores: { effect: 5, novelty: 5, x: 1 } }] },
      'no criterion x',
    ],
    ['an application missing', 'criteria', { scores: [{ applicationId: 1, scores: { effect: 5, novelty: 5 } }] }, 'score all 3'],
  ];
  for (const [name, method, ballot, reason] of cases) {
    test(name, () => {
      const p = ballotProblem(method, [1, 2, 3], ballot, CRITERIA);
      if (reason === null) assert.equal(p, null);
      else assert.match(p?.reason ?? '', new RegExp(reason.replace(/[()]/g, '\\$&')));
    });
  }
});

describe('quorum: more than half of the members', () => {
  const cases: Array<[number, number, boolean]> = [
    [0, 0, false],
    [2, 4, false],
    [3, 4, true],
    [3, 5, true],
    [2, 5, false],
    [1, 1, true],
  ];
  for (const [present, total, ok] of cases) test(`${present} of ${total}`, () => assert.equal(hasQuorum(present, total), ok));
});
