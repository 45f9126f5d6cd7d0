// The public map of reports (issue 5): the rules, without SQL.

/** Statuses of a report still being worked on (the cases module's OPEN_STATUSES) and of a solved one. */
export const OPEN = ['registered', 'assigned', 'in_work', 'answer_drafted'] as const;
export const SOLVED = ['answered', 'rated'] as const;
/** Solved reports stay on the map this long after the answer. */
export const SOLVED_VISIBLE_DAYS = 30;
/** At most this many markers per bounding-box request (the browser clusters them); more → `truncated`. */
export const MAP_REPORTS_LIMIT = 20_000;
/**
 * How the markers come: `objects` (the default: one object per marker, named fields, `at` as ISO 8601) or `columns`
 * (one list per field, the markers at the same index in each: id, number, lat, lon, categoryId, solved (1 | 0),
 * atMs (milliseconds since the epoch) — fewer bytes and a third less work for the database; what the map page asks
 * for).
 */
export const MARKER_LAYOUTS = ['objects', 'columns'] as const;
export type MarkerLayout = (typeof MARKER_LAYOUTS)[number];
/** "Already reported nearby": the default and the largest radius, metres. */
export const NEARBY_DEFAULT_M = 150;
export const NEARBY_MAX_M = 2000;
export const NEARBY_LIMIT = 20;
/** Photos a browser shows (the upload also accepts HEIC and documents; those are never public). */
export const PUBLIC_PHOTO_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];
/** Timeline events the public report page shows (type and date only, never their data). */
export const PUBLIC_EVENTS: readonly string[] = [
  'received',
  'registered',
  'assigned',
  'in_work',
  'answered',
  'reopened',
  'rated',
];

export type PublicState = 'open' | 'solved';
export const stateOf = (status: string): PublicState | null =>
  (OPEN as readonly string[]).includes(status) ? 'open' : (SOLVED as readonly string[]).includes(status) ? 'solved' : null;

export interface Bbox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** `minLon,minLat,maxLon,maxLat` (GeoJSON order), or the reason it is not one. */
export function parseBbox(raw: string): Bbox | string {
  const parts = raw.split(',').map((x) => x.trim());
  if (parts.length !== 4 || parts.some((x) => x === '' || !Number.isFinite(Number(x)))) {
    return 'give four numbers: minLon,minLat,maxLon,maxLat';
  }
  const [minLon, minLat, maxLon, maxLat] = parts.map(Number) as [number, number, number, number];
  if ([minLon, maxLon].some((x) => x < -180 || x > 180)) return 'longitudes lie between -180 and 180';
  if ([minLat, maxLat].some((x) => x < -90 || x > 90)) return 'latitudes lie between -90 and 90';
  if (minLon > maxLon || minLat > maxLat) return 'the minimum comes before the maximum: minLon,minLat,maxLon,maxLat';
  return { minLon, minLat, maxLon, maxLat };
}

/** The box around a point that holds the circle of `meters` (a little larger; the distance decides). */
export function boxAround(lat: number, lon: number, meters: number): Bbox {
  const dLat = (meters / 111_320) * 1.01;
  const dLon = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.01);
  return {
    minLat: Math.max(-90, lat - dLat),
    maxLat: Math.min(90, lat + dLat),
    minLon: Math.max(-180, lon - dLon),
    maxLon: Math.min(180, lon + dLon),
  };
}
