import type { MultiPolygonCoords, Position } from './geometry.ts';

/** A boundary read from a GeoJSON feature: its geometry as a MultiPolygon and its properties as given. */
export interface BoundaryFeature {
  /** 0-based position in the file, for messages. */
  index: number;
  geometry: MultiPolygonCoords;
  properties: Record<string, unknown>;
}

export interface GeoJsonProblem {
  /** 0-based feature index (-1 for the document itself). */
  feature: number;
  /** Where in the feature, e.g. `geometry.coordinates[0][1]` (ring 1 of polygon 0). */
  path: string;
  message: string;
}

/** Limits on an uploaded boundary file (a municipal district's real boundary has some thousands of vertices). */
export const GEOJSON_LIMITS = { features: 5000, positionsPerFeature: 200_000 } as const;

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Reads boundaries from a GeoJSON FeatureCollection (or one Feature, or a bare Polygon/MultiPolygon): every
 * feature must be a Polygon or MultiPolygon of closed rings with at least four positions, longitudes in −180…180
 * and latitudes in −90…90 (RFC 7946: longitude first). Problems are collected for every feature — so a person can
 * fix the whole file at once — and nothing is returned as valid when there is any.
 */
export function readBoundaries(doc: unknown): { features: BoundaryFeature[]; problems: GeoJsonProblem[] } {
  const problems: GeoJsonProblem[] = [];
  const features: BoundaryFeature[] = [];
  const raw = featuresOf(doc, problems);
  if (raw.length > GEOJSON_LIMITS.features) {
    problems.push({ feature: -1, path: 'features', message: `at most ${GEOJSON_LIMITS.features} features in one file` });
    return { features: [], problems };
  }
  raw.forEach((f, index) => {
    const before = problems.length;
    const fail = (path: string, message: string) => problems.push({ feature: index, path, message });
    if (!f || typeof f !== 'object' || (f as { type?: unknown }).type !== 'Feature') {
      fail('type', 'is not a GeoJSON Feature');
      return;
    }
    const { geometry, properties } = f as { geometry?: unknown; properties?: unknown };
    const g = geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
    if (!g || typeof g !== 'object') {
      fail('geometry', 'is missing');
      return;
    }
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
      fail('geometry.type', `is ${JSON.stringify(g.type)}; a boundary is a Polygon or a MultiPolygon`);
      return;
    }
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    if (!Array.isArray(polygons) || polygons.length === 0) {
      fail('geometry.coordinates', 'is empty');
      return;
    }
    let count = 0;
    const parts: Position[][][] = [];
    polygons.forEach((polygon, pi) => {
      const at = g.type === 'Polygon' ? 'geometry.coordinates' : `geometry.coordinates[${pi}]`;
      if (!Array.isArray(polygon) || polygon.length === 0) {
        fail(at, 'a polygon needs an outer ring');
        return;
      }
      const rings: Position[][] = [];
      polygon.forEach((ring, ri) => {
        const where = `${at}[${ri}]`;
        if (!Array.isArray(ring) || ring.length < 4) {
          fail(where, 'a ring needs at least four positions, the last equal to the first');
          return;
        }
        const positions: Position[] = [];
        for (const [k, pos] of ring.entries()) {
          if (!Array.isArray(pos) || pos.length < 2 || !isNum(pos[0]) || !isNum(pos[1])) {
            fail(`${where}[${k}]`, 'is not a [longitude, latitude] pair of numbers');
            return;
          }
          const [lon, lat] = pos as [number, number];
          if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
            fail(`${where}[${k}]`, `[${lon}, ${lat}] is out of range (longitude −180…180 first, then latitude −90…90)`);
            return;
          }
          positions.push([lon, lat]);
        }
        const first = positions[0] as Position;
        const last = positions.at(-1) as Position;
        if (first[0] !== last[0] || first[1] !== last[1]) {
          fail(where, `the ring is not closed: it starts at [${first.join(', ')}] and ends at [${last.join(', ')}]`);
          return;
        }
        count += positions.length;
        rings.push(positions);
      });
      parts.push(rings);
    });
    if (count > GEOJSON_LIMITS.positionsPerFeature) {
      fail('geometry', `has ${count} positions; at most ${GEOJSON_LIMITS.positionsPerFeature} per feature (simplify it)`);
    }
    if (properties !== null && properties !== undefined && (typeof properties !== 'object' || Array.isArray(properties))) {
      fail('properties', 'must be an object');
    }
    if (problems.length === before) {
      features.push({ index, geometry: parts, properties: (properties ?? {}) as Record<string, unknown> });
    }
  });
  return problems.length > 0 ? { features: [], problems } : { features, problems };
}

function featuresOf(doc: unknown, problems: GeoJsonProblem[]): unknown[] {
  const d = doc as { type?: unknown; features?: unknown } | null;
  if (!d || typeof d !== 'object') {
    problems.push({ feature: -1, path: '', message: 'is not a GeoJSON object' });
    return [];
  }
  if (d.type === 'FeatureCollection') {
    if (!Array.isArray(d.features)) {
      problems.push({ feature: -1, path: 'features', message: 'a FeatureCollection needs a features array' });
      return [];
    }
    return d.features;
  }
  if (d.type === 'Feature') return [d];
  if (d.type === 'Polygon' || d.type === 'MultiPolygon') return [{ type: 'Feature', geometry: d, properties: {} }];
  problems.push({ feature: -1, path: 'type', message: `is ${JSON.stringify(d.type)}; expected a FeatureCollection` });
  return [];
}

/** One line per problem, for an error message or the CLI: `feature 3 (geometry.coordinates[0]): the ring …`. */
export function describeProblems(problems: readonly GeoJsonProblem[], max = 20): string {
  const lines = problems
    .slice(0, max)
    .map((p) =>
      p.feature < 0 ? `file${p.path ? ` (${p.path})` : ''}: ${p.message}` : `feature ${p.feature} (${p.path}): ${p.message}`,
    );
  if (problems.length > max) lines.push(`… and ${problems.length - max} more`);
  return lines.join('; ');
}
