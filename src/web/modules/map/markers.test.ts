import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MapMarker, markersOf, newest } from './markers.ts';

const marker = (id: number, at: string) =>
  new MapMarker(id, `КЕМ-2026-${String(id).padStart(6, '0')}`, 55.35, 86.08, null, 'open', Date.parse(at));

/** The reference: sort all of them (newest first, then the larger id), take the first `max`. */
const sorted = (items: MapMarker[], max: number) => [...items].sort((a, b) => b.time - a.time || b.id - a.id).slice(0, max);

describe('map markers in the browser', () => {
  test('rows become markers by the columns’ names, whatever their order; `at` is atMs as ISO text', () => {
    const columns = ['id', 'number', 'lat', 'lon', 'categoryId', 'status', 'atMs'];
    const row = [7, 'КЕМ-2026-000007', 55.3547, 86.0873, null, 'solved', Date.parse('2026-05-01T03:00:00.123Z')];
    const check = (m: MapMarker | undefined) => {
      assert.ok(m);
      assert.deepEqual(
        { id: m.id, number: m.number, lat: m.lat, lon: m.lon, categoryId: m.categoryId, status: m.status, at: m.at },
        {
          id: 7,
          number: 'КЕМ-2026-000007',
          lat: 55.3547,
          lon: 86.0873,
          categoryId: null,
          status: 'solved',
          at: '2026-05-01T03:00:00.123Z',
        },
      );
    };
    const answer = markersOf({ columns, rows: [row], truncated: true });
    assert.equal(answer.truncated, true);
    assert.equal(answer.items.length, 1);
    check(answer.items[0]);
    check(markersOf({ columns: [...columns].reverse(), rows: [[...row].reverse()], truncated: false }).items[0]);
    assert.deepEqual(markersOf({ columns, rows: [], truncated: false }), { items: [], truncated: false });
    assert.throws(() => markersOf({ columns: columns.slice(0, 6), rows: [], truncated: false }), /no column atMs/);
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
