import type { Marker } from './map.api.ts';

// The map's markers in the browser, pure (no React, no requests): the answer's columns as marker objects, and the
// newest of those in view for the list under the map.

/** GET /map/reports?layout=columns: a list per field, a marker at the same index in each. */
export interface MarkerColumns {
  id: number[];
  number: string[];
  lat: number[];
  lon: number[];
  categoryId: Array<number | null>;
  /** 1 solved, 0 open. */
  solved: number[];
  /** Received (open) or answered (solved), milliseconds since the epoch. */
  atMs: number[];
  truncated: boolean;
}

/**
 * A marker of the public map. `time` is the answer's `atMs` (received when open, answered when solved; milliseconds
 * since the epoch); `at`, its ISO text, is made only when read — the list shows 30 of up to 20,000 markers.
 */
export class MapMarker implements Marker {
  constructor(
    readonly id: number,
    readonly number: string,
    readonly lat: number,
    readonly lon: number,
    readonly categoryId: number | null,
    readonly status: 'open' | 'solved',
    readonly time: number,
  ) {}

  get at(): string {
    return new Date(this.time).toISOString();
  }
}

/** The columns as markers (lists of different lengths are an error, not a guess). */
export function markersOf(c: MarkerColumns): { items: MapMarker[]; truncated: boolean } {
  const n = c.id.length;
  for (const k of ['number', 'lat', 'lon', 'categoryId', 'solved', 'atMs'] as const) {
    if (c[k]?.length !== n) throw new Error(`the markers' answer has ${c[k]?.length ?? 'no'} ${k} for ${n} markers`);
  }
  const items = new Array<MapMarker>(n);
  for (let i = 0; i < n; i++) {
    items[i] = new MapMarker(
      c.id[i] as number,
      c.number[i] as string,
      c.lat[i] as number,
      c.lon[i] as number,
      c.categoryId[i] ?? null,
      c.solved[i] === 1 ? 'solved' : 'open',
      c.atMs[i] as number,
    );
  }
  return { items, truncated: c.truncated };
}

/** The list under the map shows this many reports in view, the newest. */
export const LIST_MAX = 30;

/** a before b: the newer first, then the larger id. */
const newer = (a: MapMarker, b: MapMarker) => (a.time !== b.time ? a.time > b.time : a.id > b.id);

/**
 * The `max` newest, newest first, in one pass: the view may hold 20,000 markers — no sort of them all (the page
 * sorted every marker in view with localeCompare on each change of the view).
 */
export function newest(items: readonly MapMarker[], max = LIST_MAX): MapMarker[] {
  const top: MapMarker[] = [];
  if (max < 1) return top;
  for (const r of items) {
    if (top.length === max && !newer(r, top[max - 1] as MapMarker)) continue;
    let i = top.length;
    while (i > 0 && newer(r, top[i - 1] as MapMarker)) i--;
    top.splice(i, 0, r);
    if (top.length > max) top.pop();
  }
  return top;
}
