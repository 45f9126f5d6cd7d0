import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeProblems, readBoundaries } from './geojson.ts';
import { distanceMeters, type Location, locateInPolygon, type PolygonCoords, type Position } from './geometry.ts';
import { AreaIndex } from './spatial-index.ts';

const square = (x0: number, y0: number, x1: number, y1: number): Position[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
// A: 0…10 with a hole 4…6; B shares A's eastern border x = 10; C is a small district inside A; D a diamond whose
// vertices lie on the horizontal line through its centre (the ray-casting trap).
const A: PolygonCoords = [square(0, 0, 10, 10), square(4, 4, 6, 6)];
const B: PolygonCoords = [square(10, 0, 20, 10)];
const C: PolygonCoords = [square(1, 1, 3, 3)];
const D: PolygonCoords = [
  [
    [30, 5],
    [35, 0],
    [40, 5],
    [35, 10],
    [30, 5],
  ],
];

describe('geo: point in polygon', () => {
  const cases: Array<[string, PolygonCoords, Position, Location]> = [
    ['inside the outer ring', A, [2, 8], 'inside'],
    ['in the hole', A, [5, 5], 'outside'],
    ['on the hole’s edge', A, [4, 5], 'boundary'],
    ['on the outer edge', A, [10, 5], 'boundary'],
    ['on a corner', A, [0, 0], 'boundary'],
    ['west of it', A, [-1, 5], 'outside'],
    ['north of it', A, [5, 10.000001], 'outside'],
    ['just inside the edge', A, [9.999999, 5], 'inside'],
    ['diamond: the ray passes through a vertex, point inside', D, [32, 5], 'inside'],
    ['diamond: the ray passes through two vertices, point outside', D, [28, 5], 'outside'],
    ['diamond: on a vertex', D, [40, 5], 'boundary'],
    ['diamond: east of it at the vertices’ height', D, [41, 5], 'outside'],
  ];
  for (const [name, polygon, p, expected] of cases) {
    test(`${name}: [${p.join(', ')}] → ${expected}`, () => assert.equal(locateInPolygon(p, polygon), expected));
  }
});

describe('geo: the area index attributes a point', () => {
  const index = new AreaIndex([
    { id: 1, geometry: [A], value: 'A' },
    { id: 2, geometry: [B], value: 'B' },
    { id: 3, geometry: [C], value: 'C (district of A)' },
    { id: 4, geometry: [D], value: 'D' },
  ]);
  const cases: Array<[string, Position, string[]]> = [
    ['inside A only', [8, 8], ['A']],
    ['inside a district of A: the district first', [2, 2], ['C (district of A)', 'A']],
    ['in A’s hole: nowhere', [5, 5], []],
    ['in B', [15, 5], ['B']],
    // On the shared border both hold it; the smaller area (A, with its hole) comes first, every time.
    ['on the A|B border', [10, 5], ['A', 'B']],
    ['on C’s edge inside A: A (inside) before C (edge)', [3, 2], ['A', 'C (district of A)']],
    ['outside everything', [50, 50], []],
    ['in the diamond', [35, 5], ['D']],
  ];
  for (const [name, p, expected] of cases) {
    test(`${name}: [${p.join(', ')}] → ${expected.join(', ') || 'none'}`, () =>
      assert.deepEqual(
        index.locate(p).map((h) => h.area.value),
        expected,
      ));
  }

  test('an index of many areas answers like a linear scan', () => {
    const areas = Array.from({ length: 2000 }, (_, i) => {
      const x = (i % 50) * 2;
      const y = Math.floor(i / 50) * 2;
      return { id: i + 1, geometry: [[square(x, y, x + 2, y + 2)]], value: i + 1 };
    });
    const big = new AreaIndex(areas);
    let seed = 7;
    const rnd = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let k = 0; k < 500; k++) {
      const p: Position = [rnd() * 110 - 5, rnd() * 90 - 5];
      const linear = areas.filter((a) => locateInPolygon(p, a.geometry[0] as PolygonCoords) !== 'outside').map((a) => a.id);
      assert.deepEqual(
        big
          .locate(p)
          .map((h) => h.area.id)
          .sort((a, b) => a - b),
        linear,
      );
    }
  });

  test('an empty index finds nothing', () => assert.deepEqual(new AreaIndex([]).locate([0, 0]), []));
});

describe('geo: reading boundaries from GeoJSON', () => {
  const feature = (geometry: unknown, properties: unknown = { name: 'x' }) => ({ type: 'Feature', geometry, properties });
  test('a FeatureCollection of a Polygon and a MultiPolygon', () => {
    const { features, problems } = readBoundaries({
      type: 'FeatureCollection',
      features: [
        feature({ type: 'Polygon', coordinates: A }, { name: 'A' }),
        feature({ type: 'MultiPolygon', coordinates: [B, C] }, { name: 'B+C' }),
      ],
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      features.map((f) => [f.properties.name, f.geometry.length]),
      [
        ['A', 1],
        ['B+C', 2],
      ],
    );
  });
  const bad: Array<[string, unknown, RegExp]> = [
    ['not an object', 'hello', /not a GeoJSON object/],
    [
      'a point',
      { type: 'FeatureCollection', features: [feature({ type: 'Point', coordinates: [1, 2] })] },
      /feature 0 \(geometry\.type\): is "Point"/,
    ],
    [
      'an open ring',
      {
        type: 'Feature',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
            ],
          ],
        },
      },
      /not closed: it starts at \[0, 0\] and ends at \[0, 1\]/,
    ],
    [
      'latitude first',
      feature({ type: 'Polygon', coordinates: [square(54, 95, 55, 96)] }), // Тайшет's [lat, lon], lat ≥ 90
      /\[54, 95\] is out of range \(longitude −180…180 first/,
    ],
    [
      'too few positions',
      feature({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      }),
      /at least four positions/,
    ],
    [
      'a string coordinate',
      feature({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            ['1', 0],
            [1, 1],
            [0, 0],
          ],
        ],
      }),
      /not a \[longitude, latitude\]/,
    ],
    ['no geometry', feature(null), /geometry\): is missing/],
  ];
  for (const [name, doc, message] of bad) {
    test(`refused: ${name}`, () => {
      const { features, problems } = readBoundaries(doc);
      assert.deepEqual(features, []);
      assert.match(describeProblems(problems), message);
    });
  }
  test('every bad feature is reported, and a good one with them is not accepted alone', () => {
    const { features, problems } = readBoundaries({
      type: 'FeatureCollection',
      features: [
        feature({ type: 'Polygon', coordinates: A }),
        feature({ type: 'Point', coordinates: [0, 0] }),
        feature({ type: 'LineString' }),
      ],
    });
    assert.deepEqual(features, []);
    assert.deepEqual(
      problems.map((p) => p.feature),
      [1, 2],
    );
  });
});

describe('geo: distance', () => {
  test('one degree of latitude is about 111.2 km; Кемерово → Белово, about 107 km as the crow flies', () => {
    assert.ok(Math.abs(distanceMeters([86, 55], [86, 56]) - 111_195) < 10);
    const d = distanceMeters([86.0873, 55.3547], [86.4342, 54.4166]);
    assert.ok(Math.abs(d - 106_650) < 100, String(d));
  });
});
