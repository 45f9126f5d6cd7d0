import type { Marker } from './map.api.ts';

// The map's markers in the browser, pure (no React, no requests): the answer's rows as Marker objects, and the
// newest of those in view for the list under the map.

/** GET /map/reports?layout=rows: an array per marker, its values in the order of `columns`. */
export interface MarkerRows {
  columns: string[];
  rows: unknown[][];
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

/** The rows as markers, each value found by its column's name (a column missing is an error, not a guess). */
export function markersOf(answer: MarkerRows): { items: MapMarker[]; truncated: boolean } {
  const c = (name: string) => {
    const i = answer.columns.indexOf(name);
    if (i < 0) throw new Error(`the markers' answer has no column ${name}`);
    return i;
  };
  const [id, number, lat, lon, categoryId, status, atMs] = [
    c('id'),
    c('number'),
    c('lat'),
    c('lon'),
    c('categoryId'),
    c('status'),
    c('atMs'),
  ];
  return {
    items: answer.rows.map(
      (r) =>
        new MapMarker(
          r[id] as number,
          r[number] as string,
          r[lat] as number,
          r[lon] as number,
          r[categoryId] as number | null,
          r[status] as MapMarker['status'],
          r[atMs] as number,
        ),
    ),
    truncated: answer.truncated,
  };
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
