import type { Marker } from './map.api.ts';

// The map's markers in the browser, pure (no React, no requests): the answer's rows as Marker objects, and the
// newest of those in view for the list under the map.

/** GET /map/reports?layout=rows: an array per marker, its values in the order of `columns`. */
export interface MarkerRows {
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
}

/** The rows as Marker objects, each value found by its column's name (a column missing is an error, not a guess). */
export function markersOf(answer: MarkerRows): { items: Marker[]; truncated: boolean } {
  const c = (name: string) => {
    const i = answer.columns.indexOf(name);
    if (i < 0) throw new Error(`the markers' answer has no column ${name}`);
    return i;
  };
  const [id, number, lat, lon, categoryId, status, at] = [
    c('id'),
    c('number'),
    c('lat'),
    c('lon'),
    c('categoryId'),
    c('status'),
    c('at'),
  ];
  return {
    items: answer.rows.map((r) => ({
      id: r[id] as number,
      number: r[number] as string,
      lat: r[lat] as number,
      lon: r[lon] as number,
      categoryId: r[categoryId] as number | null,
      status: r[status] as Marker['status'],
      at: r[at] as string,
    })),
    truncated: answer.truncated,
  };
}

/** The list under the map shows this many reports in view, the newest. */
export const LIST_MAX = 30;

/** a before b: the newer first (`at` is ISO 8601 UTC, so the text's order is the time's), then the larger id. */
const newer = (a: Marker, b: Marker) => (a.at !== b.at ? a.at > b.at : a.id > b.id);

/**
 * The `max` newest, newest first, in one pass: the view may hold 20,000 markers — no sort of them all, and no
 * localeCompare (its collator made the page wait).
 */
export function newest(items: readonly Marker[], max = LIST_MAX): Marker[] {
  const top: Marker[] = [];
  if (max < 1) return top;
  for (const r of items) {
    if (top.length === max && !newer(r, top[max - 1] as Marker)) continue;
    let i = top.length;
    while (i > 0 && newer(r, top[i - 1] as Marker)) i--;
    top.splice(i, 0, r);
    if (top.length > max) top.pop();
  }
  return top;
}
