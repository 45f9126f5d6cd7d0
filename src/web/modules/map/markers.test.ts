import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MapMarker, markersOf, newest } from './markers.ts';

const marker = (id: number, at: string) =>
  new MapMarker(id, `КЕМ-2026-${String(id).padStart(6, '0')}`, 55.35, 86.08, null, 'open', Date.parse(at));

/** The reference: sort all of them (newest first, then the larger id), take the first `max`. */
const sorted = (items: MapMarker[], max: number) => [...items].sort((a, b) => b.time - a.time || b.id - a.id).slice(0, max);

describe('map markers in the browser', () => {
  test('columns become markers, the same index in each list; `at` is atMs as ISO text; uneven lists are an error', () => {
    const columns = {
      id: [7, 8],
      number: ['КЕМ-2026-000007', 'КЕМ-2026-000008'],
      lat: [55.3547, 55.36],
      lon: [86.0873, 86.1],
      categoryId: [null, 4],
      solved: [1, 0],
      atMs: [Date.parse('2026-05-01T03:00:00.123Z'), Date.parse('2026-04-01T00:00:00.000Z')],
      truncated: true,
    };
    const answer = markersOf(columns);
    assert.equal(answer.truncated, true);
    assert.deepEqual(
      answer.items.map((m) => ({
        id: m.id,
        number: m.number,
        lat: m.lat,
        lon: m.lon,
        categoryId: m.categoryId,
        status: m.status,
        at: m.at,
      })),
      [
        {
          id: 7,
          number: 'КЕМ-2026-000007',
          lat: 55.3547,
          lon: 86.0873,
          categoryId: null,
          status: 'solved',
          at: '2026-05-01T03:00:00.123Z',
        },
        {
          id: 8,
          number: 'КЕМ-2026-000008',
          lat: 55.36,
          lon: 86.1,
          categoryId: 4,
          status: 'open',
          at: '2026-04-01T00:00:00.000Z',
        },
      ],
    );
    const none = { id: [], number: [], lat: [], lon: [], categoryId: [], solved: [], atMs: [], truncated: false };
    assert.deepEqual(markersOf(none), { items: [], truncated: false });
    assert.throws(() => markersOf({ ...columns, atMs: [1] }), /1 atMs for 2 markers/);
    assert.throws(() => markersOf({ ...columns, lat: undefined as unknown as number[] }), /no lat for 2 markers/);
  });

  // [what, markers, max, expected ids]
  const cases: Array<[string, MapMarker[], number, number[]]> = [
    ['none', [], 30, []],
    [
      'fewer than max: all, newest first',
      [marker(1, '2026-01-01'), marker(2, '2026-03-01'), marker(3, '2026-02-01')],
      30,
      [2, 3, 1],
    ],
    [
      'the same time: the larger id first',
      [marker(1, '2026-01-01'), marker(5, '2026-01-01'), marker(3, '2026-01-01')],
      2,
      [5, 3],
    ],
    ['max 1', [marker(1, '2026-01-02'), marker(2, '2026-01-03'), marker(3, '2026-01-01')], 1, [2]],
    ['max 0', [marker(1, '2026-01-02')], 0, []],
    [
      'milliseconds count',
      [marker(1, '2026-01-01T00:00:00.001Z'), marker(2, '2026-01-01T00:00:00.000Z'), marker(3, '2026-01-01T00:00:00.010Z')],
      3,
      [3, 1, 2],
    ],
  ];
  for (const [what, items, max, ids] of cases) {
    test(`newest: ${what}`, () => {
      assert.deepEqual(
        newest(items, max).map((m) => m.id),
        ids,
      );
    });
  }

  test('newest: the same as sorting all of them, over 20,000 random markers with repeated times', () => {
    let seed = 42;
    const rnd = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const base = Date.UTC(2026, 0, 1);
    const items = Array.from({ length: 20_000 }, (_, i) =>
      marker(i + 1, new Date(base + Math.floor(rnd() * 500) * 3_600_000).toISOString()),
    );
    for (const max of [1, 30, 1000]) assert.deepEqual(newest(items, max), sorted(items, max), `max ${max}`);
    assert.equal(newest(items).length, 30, 'LIST_MAX by default');
  });
});
