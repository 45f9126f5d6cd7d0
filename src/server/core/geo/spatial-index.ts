import {
  areaOf,
  type BBox,
  bboxContains,
  bboxOf,
  type Location,
  locateInMultiPolygon,
  type MultiPolygonCoords,
  type Position,
} from './geometry.ts';

export interface Area<T> {
  /** Stable id, the last tie-break between areas that share a border. */
  id: number;
  geometry: MultiPolygonCoords;
  value: T;
}

export interface Hit<T> {
  area: Area<T>;
  location: Exclude<Location, 'outside'>;
}

interface Entry<T> {
  box: BBox;
  area?: Area<T>;
  children?: Entry<T>[];
}

const NODE_SIZE = 16;

function union(entries: Entry<unknown>[]): BBox {
  const b = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  for (const { box } of entries) {
    b.minLon = Math.min(b.minLon, box.minLon);
    b.minLat = Math.min(b.minLat, box.minLat);
    b.maxLon = Math.max(b.maxLon, box.maxLon);
    b.maxLat = Math.max(b.maxLat, box.maxLat);
  }
  return b;
}

/** Sort-Tile-Recursive packing: slices by longitude, then runs by latitude, NODE_SIZE entries a node. */
function pack<T>(entries: Entry<T>[]): Entry<T>[] {
  const centre = (e: Entry<T>, i: 0 | 1) => (i === 0 ? e.box.minLon + e.box.maxLon : e.box.minLat + e.box.maxLat);
  const nodes = Math.ceil(entries.length / NODE_SIZE);
  const slices = Math.ceil(Math.sqrt(nodes));
  const perSlice = slices * NODE_SIZE;
  const byLon = [...entries].sort((a, b) => centre(a, 0) - centre(b, 0));
  const out: Entry<T>[] = [];
  for (let s = 0; s < byLon.length; s += perSlice) {
    const slice = byLon.slice(s, s + perSlice).sort((a, b) => centre(a, 1) - centre(b, 1));
    for (let i = 0; i < slice.length; i += NODE_SIZE) {
      const children = slice.slice(i, i + NODE_SIZE);
      out.push({ box: union(children as Entry<unknown>[]), children });
    }
  }
  return out;
}

/**
 * An in-process index of areas (a static R-tree packed by STR) answering "which areas hold this point": bounding
 * boxes narrow the candidates, then the exact test (holes, edges) decides. Rebuilt whenever the boundaries change;
 * thousands of areas build in milliseconds.
 */
export class AreaIndex<T> {
  readonly #root: Entry<T> | undefined;
  readonly #areas: ReadonlyMap<number, number>;

  constructor(areas: readonly Area<T>[]) {
    let level: Entry<T>[] = areas.map((area) => ({ box: bboxOf(area.geometry), area }));
    this.#areas = new Map(areas.map((a) => [a.id, areaOf(a.geometry)]));
    if (level.length === 0) {
      this.#root = undefined;
      return;
    }
    while (level.length > 1) level = pack(level);
    this.#root = level[0];
  }

  /**
   * Every area holding the point, the most specific first: areas it is strictly inside before those on whose edge it
   * lies, then the smaller area first, then the lower id — so a point on a shared border is attributed the same way
   * every time.
   */
  locate(p: Position): Hit<T>[] {
    const hits: Hit<T>[] = [];
    const stack = this.#root ? [this.#root] : [];
    while (stack.length > 0) {
      const e = stack.pop() as Entry<T>;
      if (!bboxContains(e.box, p)) continue;
      if (e.area) {
        const location = locateInMultiPolygon(p, e.area.geometry);
        if (location !== 'outside') hits.push({ area: e.area, location });
      } else if (e.children) stack.push(...e.children);
    }
    const size = (h: Hit<T>) => this.#areas.get(h.area.id) ?? 0;
    return hits.sort(
      (a, b) =>
        Number(a.location === 'boundary') - Number(b.location === 'boundary') || size(a) - size(b) || a.area.id - b.area.id,
    );
  }
}
