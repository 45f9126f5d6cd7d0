import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AreaIndex } from '../../core/geo/index.ts';
import { DEMO_BOUNDARIES } from '../demo/boundaries.ts';
import { readPlaceFile } from './commands/import-places.ts';
import { type IndexedPlace, toLocated } from './places-service.ts';

const square = [
  [
    [86, 55],
    [86.1, 55],
    [86.1, 55.1],
    [86, 55.1],
    [86, 55],
  ],
];
const feature = (properties: unknown, geometry: unknown = { type: 'Polygon', coordinates: square }) => ({
  type: 'Feature',
  properties,
  geometry,
});
const file = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

describe('readPlaceFile: the rules of a boundary file', () => {
  // [what, document, expected problems as "feature path"]
  const cases: Array<[string, unknown, string[]]> = [
    ['a good district', file(feature({ name: 'Центральный район', kind: 'district' })), []],
    ['a numeric code is taken as text', file(feature({ name: 'А', kind: 'tos', code: 32701000 })), []],
    ['no name', file(feature({ kind: 'district' })), ['0 properties.name']],
    ['a blank name', file(feature({ name: '  ', kind: 'district' })), ['0 properties.name']],
    ['a name too long', file(feature({ name: 'я'.repeat(201), kind: 'district' })), ['0 properties.name']],
    ['an unknown kind', file(feature({ name: 'А', kind: 'city' })), ['0 properties.kind']],
    ['no properties', file(feature(null)), ['0 properties']],
    ['a bad code', file(feature({ name: 'А', kind: 'district', code: '' })), ['0 properties.code']],
    [
      'isApproximate not a boolean',
      file(feature({ name: 'А', kind: 'district', isApproximate: 'yes' })),
      ['0 properties.isApproximate'],
    ],
    [
      'the same place twice',
      file(feature({ name: 'А', kind: 'district' }), feature({ name: 'А', kind: 'district' })),
      ['1 properties.name'],
    ],
    ['the same name, another kind', file(feature({ name: 'А', kind: 'district' }), feature({ name: 'А', kind: 'tos' })), []],
    [
      'geometry and properties problems together, in feature order',
      file(feature({ name: 'А' }, { type: 'Point', coordinates: [86, 55] }), feature({ kind: 'district' })),
      ['0 geometry.type', '0 properties.kind', '1 properties.name'],
    ],
    ['a bare polygon has no name', { type: 'Polygon', coordinates: square }, ['0 properties']],
    ['an empty collection', file(), ['-1 features']],
    ['not GeoJSON', { hello: 1 }, ['-1 type']],
  ];
  for (const [what, doc, expected] of cases) {
    test(what, () => {
      const { places, problems } = readPlaceFile(doc);
      assert.deepEqual(
        problems.map((p) => `${p.feature} ${p.path}`),
        expected,
        JSON.stringify(problems),
      );
      assert.equal(places.length, expected.length ? 0 : (doc as { features: unknown[] }).features.length);
    });
  }

  test('every demo boundary file reads without problems, approximate', () => {
    for (const [key, doc] of Object.entries(DEMO_BOUNDARIES)) {
      const { places, problems } = readPlaceFile(doc);
      assert.deepEqual(problems, [], key);
      assert.ok(places.length > 0 && places.every((p) => p.isApproximate));
    }
  });
});

describe('toLocated: attribution from the index hits', () => {
  // The demo boundaries in one index, as the service builds it.
  let id = 0;
  const index = new AreaIndex<IndexedPlace>(
    Object.entries(DEMO_BOUNDARIES).flatMap(([key, doc], m) =>
      readPlaceFile(doc).places.map((p) => {
        id++;
        return {
          id,
          geometry: p.geometry,
          value: { placeId: id, municipalityId: m + 1, municipalityName: key, kind: p.kind, name: p.name },
        };
      }),
    ),
  );
  const at = (lat: number, lon: number) => {
    const r = toLocated(index.locate([lon, lat]));
    return [r.municipality?.name ?? null, r.district?.name ?? null, r.onBorder];
  };
  const cases: Array<[string, number, number, unknown[]]> = [
    ['inside a district', 55.355, 86.087, ['kemerovo', 'Центральный район', false]],
    ['a shared district border: the smaller district', 55.3, 86.13, ['kemerovo', 'Центральный район', true]],
    ['the corner of three districts', 55.37, 86.13, ['kemerovo', 'Центральный район', true]],
    ['the municipality’s own border', 55.25, 86.08, ['kemerovo', 'Центральный район', true]],
    ['in the hole: the enclave', 56.21, 87.75, ['mariinsk', null, false]],
    ['around the hole', 56.1, 87.6, ['kalininskoe', null, false]],
    ['the hole’s edge: the smaller', 56.17, 87.75, ['mariinsk', null, true]],
    ['outside everything', 10, 10, [null, null, false]],
  ];
  for (const [what, lat, lon, expected] of cases) {
    test(what, () => assert.deepEqual(at(lat, lon), expected));
  }
});
