/**
 * Plane geometry on longitude/latitude pairs, for attributing a point to a boundary (municipality, district, ТОС
 * territory). Municipal areas are small enough that treating degrees as a plane decides "inside" exactly as a
 * spherical test would; distances use the haversine formula.
 */

/** [longitude, latitude], GeoJSON order. */
export type Position = readonly [number, number];
/** A closed ring: the first position equals the last. */
export type Ring = readonly Position[];
/** The outer ring, then its holes. */
export type PolygonCoords = readonly Ring[];
export type MultiPolygonCoords = readonly PolygonCoords[];

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Where a point lies relative to an area: strictly inside, strictly outside, or on its edge (a border, a hole's edge). */
export type Location = 'inside' | 'outside' | 'boundary';

/** Whether p lies on the segment a–b (collinear within a tolerance of about a millimetre, and between the ends). */
function onSegment(p: Position, a: Position, b: Position): boolean {
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (Math.abs(cross) > 1e-9 * Math.max(len, 1e-12)) return false;
  return (
    p[0] >= Math.min(a[0], b[0]) - 1e-12 &&
    p[0] <= Math.max(a[0], b[0]) + 1e-12 &&
    p[1] >= Math.min(a[1], b[1]) - 1e-12 &&
    p[1] <= Math.max(a[1], b[1]) + 1e-12
  );
}

/** A point against one ring: even-odd ray casting to the east, with the edges themselves reported as `boundary`. */
export function locateInRing(p: Position, ring: Ring): Location {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as Position;
    const b = ring[i] as Position;
    if (onSegment(p, a, b)) return 'boundary';
    // The half-open rule (a[1] > y) !== (b[1] > y) counts a vertex exactly at the ray's height once.
    if (a[1] > p[1] !== b[1] > p[1]) {
      const x = a[0] + ((p[1] - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
      if (p[0] < x) inside = !inside;
    }
  }
  return inside ? 'inside' : 'outside';
}

/** A point against a polygon with holes: inside the outer ring and in no hole; the edge of either is `boundary`. */
export function locateInPolygon(p: Position, polygon: PolygonCoords): Location {
  const [outer, ...holes] = polygon;
  if (!outer) return 'outside';
  const o = locateInRing(p, outer);
  if (o !== 'inside') return o;
  for (const hole of holes) {
    const h = locateInRing(p, hole);
    if (h === 'boundary') return 'boundary';
    if (h === 'inside') return 'outside';
  }
  return 'inside';
}

export function locateInMultiPolygon(p: Position, parts: MultiPolygonCoords): Location {
  let onEdge = false;
  for (const polygon of parts) {
    const l = locateInPolygon(p, polygon);
    if (l === 'inside') return 'inside';
    if (l === 'boundary') onEdge = true;
  }
  return onEdge ? 'boundary' : 'outside';
}

export function bboxOf(parts: MultiPolygonCoords): BBox {
  const b = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  for (const polygon of parts) {
    for (const [lon, lat] of polygon[0] ?? []) {
      if (lon < b.minLon) b.minLon = lon;
      if (lon > b.maxLon) b.maxLon = lon;
      if (lat < b.minLat) b.minLat = lat;
      if (lat > b.maxLat) b.maxLat = lat;
    }
  }
  return b;
}

export const bboxContains = (b: BBox, p: Position) =>
  p[0] >= b.minLon && p[0] <= b.maxLon && p[1] >= b.minLat && p[1] <= b.maxLat;

/** Signed area of a ring in square degrees (positive when counter-clockwise), by the shoelace formula. */
export function ringArea(ring: Ring): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as Position;
    const b = ring[i] as Position;
    s += (a[0] - b[0]) * (a[1] + b[1]);
  }
  return s / 2;
}

/** Area in square degrees: outer rings minus holes (for choosing the smaller of two overlapping areas). */
export function areaOf(parts: MultiPolygonCoords): number {
  let total = 0;
  for (const [outer, ...holes] of parts) {
    if (!outer) continue;
    total += Math.abs(ringArea(outer));
    for (const h of holes) total -= Math.abs(ringArea(h));
  }
  return total;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: Position, b: Position): number {
  const dLat = rad(b[1] - a[1]);
  const dLon = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
