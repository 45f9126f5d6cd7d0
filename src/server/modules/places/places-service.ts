import { performance } from 'node:perf_hooks';
import type { Db } from '../../core/db/index.ts';
import type { PlaceKind } from '../../core/db/schema.ts';
import { AreaIndex, type Hit, type MultiPolygonCoords } from '../../core/geo/index.ts';
import { allPlacesForIndex, placesVersion } from './places.repository.ts';

/** How often a node checks whether another node changed the places (one cheap query); this node's imports at once. */
const REFRESH_EVERY_MS = 5_000;

/** What the area index holds for each place. */
export interface IndexedPlace {
  placeId: number;
  municipalityId: number;
  municipalityName: string;
  kind: PlaceKind;
  name: string;
}

export type PlaceHit = Hit<IndexedPlace>;

export interface PlaceRef {
  id: number;
  name: string;
}

/**
 * Where a point is: the municipality (its id and name; a municipality's own boundary wins over a district or ТОС of
 * another), the district of that municipality, and whether the point lies on a border of either — then the
 * attribution followed the index's fixed order (inside before edge, smaller area first, lower id first).
 */
export interface Located {
  municipality: PlaceRef | null;
  district: PlaceRef | null;
  onBorder: boolean;
}

/** The municipality and district a point is attributed to, from the index's hits (most specific first). */
export function attribute(hits: readonly PlaceHit[]): { municipality: PlaceHit | undefined; district: PlaceHit | undefined } {
  const municipality = hits.find((h) => h.area.value.kind === 'municipality') ?? hits[0];
  const district = municipality
    ? hits.find((h) => h.area.value.kind === 'district' && h.area.value.municipalityId === municipality.area.value.municipalityId)
    : undefined;
  return { municipality, district };
}

export function toLocated(hits: readonly PlaceHit[]): Located {
  const { municipality, district } = attribute(hits);
  return {
    municipality: municipality
      ? { id: municipality.area.value.municipalityId, name: municipality.area.value.municipalityName }
      : null,
    district: district ? { id: district.area.value.placeId, name: district.area.value.name } : null,
    onBorder: municipality?.location === 'boundary' || district?.location === 'boundary',
  };
}

/**
 * Every place in one in-process `AreaIndex` (core/geo), built once per version of the `place` table: a lookup is
 * a walk down a packed R-tree and exact tests on the few candidates, microseconds, no query. Another node's import
 * is noticed within REFRESH_EVERY_MS (the version is one aggregate query), this node's at once (`invalidate`).
 * One service per database (`placesFor`), so the intake and the routes share it.
 */
export class PlacesService {
  #index = new AreaIndex<IndexedPlace>([]);
  #bounded = new Set<number>();
  #version: string | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #generation = 0;
  #loading: Promise<void> | undefined;

  constructor(private readonly db: Db) {}

  /** Every place holding the point, the most specific first. */
  async hits(lat: number, lon: number): Promise<PlaceHit[]> {
    await this.#fresh();
    return this.#index.locate([lon, lat]);
  }

  async locate(lat: number, lon: number): Promise<Located> {
    return toLocated(await this.hits(lat, lon));
  }

  /** Whether the municipality has a boundary of its own (then a case's point must lie in it). */
  async hasBoundary(municipalityId: number): Promise<boolean> {
    await this.#fresh();
    return this.#bounded.has(municipalityId);
  }

  /** After a change of places on this node: rebuild on next use. */
  invalidate(): void {
    this.#checkedAt = Number.NEGATIVE_INFINITY;
    this.#generation++;
  }

  async #fresh(): Promise<void> {
    // A cache timer, not domain time: monotonic, independent of the injected clock.
    const now = performance.now();
    if (now - this.#checkedAt < REFRESH_EVERY_MS) return;
    this.#loading ??= this.#reload(now).finally(() => {
      this.#loading = undefined;
    });
    await this.#loading;
    // Invalidated while an older reload was in flight: read again, so this node's own change is never missed.
    if (this.#checkedAt === Number.NEGATIVE_INFINITY) await this.#fresh();
  }

  async #reload(now: number): Promise<void> {
    const generation = this.#generation;
    const version = await placesVersion(this.db);
    if (version === this.#version) {
      if (generation === this.#generation) this.#checkedAt = now;
      return;
    }
    const rows = await allPlacesForIndex(this.db);
    this.#index = new AreaIndex(
      rows.map((r) => ({
        id: r.id,
        geometry: r.geometry as MultiPolygonCoords,
        value: {
          placeId: r.id,
          municipalityId: r.municipality_id,
          municipalityName: r.municipality_name,
          kind: r.kind,
          name: r.name,
        },
      })),
    );
    this.#bounded = new Set(rows.filter((r) => r.kind === 'municipality').map((r) => r.municipality_id));
    this.#version = version;
    if (generation === this.#generation) this.#checkedAt = now;
  }
}

const services = new WeakMap<Db, PlacesService>();

/** The one PlacesService of a database (app.places is this; the intake reaches it through placeForCase). */
export function placesFor(db: Db): PlacesService {
  let s = services.get(db);
  if (!s) {
    s = new PlacesService(db);
    services.set(db, s);
  }
  return s;
}
