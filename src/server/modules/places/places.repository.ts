import { sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { PlaceKind } from '../../core/db/schema.ts';
import type { BBox, MultiPolygonCoords } from '../../core/geo/index.ts';

// Places (issue 5): the SQL of the places module — boundaries, the index's change counter, routing by district.

/**
 * What changes whenever a place is added, changed or removed: the revision every change moves (in its transaction),
 * and — for a change made by hand in SQL — the number of places, the highest id and the latest update. Read every
 * few seconds by the area index to notice another node's import.
 */
export async function placesVersion(db: Db): Promise<string> {
  const row = await db
    .selectFrom('place')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.max('id').as('max_id'),
      sql<string | null>`max(updated_at)::text`.as('updated'),
      eb.selectFrom('place_revision').select('revision').as('revision'),
    ])
    .executeTakeFirstOrThrow();
  return `${row.revision ?? 0}:${Number(row.n)}:${row.max_id ?? 0}:${row.updated ?? ''}`;
}

/** Moves the revision: call it in every transaction that changes places. */
export async function bumpPlacesRevision(db: Db): Promise<void> {
  await db
    .updateTable('place_revision')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .execute();
}

/** Every place with its municipality's name: what the area index is built from. */
export function allPlacesForIndex(db: Db) {
  return db
    .selectFrom('place')
    .innerJoin('municipality', 'municipality.id', 'place.municipality_id')
    .select([
      'place.id',
      'place.municipality_id',
      'place.kind',
      'place.name',
      'place.geometry',
      'municipality.name as municipality_name',
    ])
    .orderBy('place.id')
    .execute();
}

export function listPlaces(db: Db, filter: { municipalityId?: number; kind?: PlaceKind }) {
  let q = db.selectFrom('place').selectAll();
  if (filter.municipalityId !== undefined) q = q.where('municipality_id', '=', filter.municipalityId);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  return q.orderBy('municipality_id').orderBy('kind').orderBy('name').orderBy('id').execute();
}

export function placesOfKinds(db: Db, municipalityId: number, kinds: PlaceKind[]) {
  return db
    .selectFrom('place')
    .select(['id', 'kind', 'name', 'code'])
    .where('municipality_id', '=', municipalityId)
    .where('kind', 'in', kinds)
    .execute();
}

export interface PlaceValues {
  kind: PlaceKind;
  name: string;
  code: string | null;
  geometry: MultiPolygonCoords;
  box: BBox;
  isApproximate: boolean;
  source: string;
}

const columns = (p: PlaceValues) => ({
  kind: p.kind,
  name: p.name,
  code: p.code,
  geometry: JSON.stringify(p.geometry),
  min_lon: p.box.minLon,
  min_lat: p.box.minLat,
  max_lon: p.box.maxLon,
  max_lat: p.box.maxLat,
  is_approximate: p.isApproximate,
  source: p.source,
});

export async function insertPlace(db: Db, municipalityId: number, p: PlaceValues, now: Date): Promise<number> {
  const row = await db
    .insertInto('place')
    .values({ municipality_id: municipalityId, ...columns(p), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePlace(db: Db, id: number, p: PlaceValues, now: Date): Promise<void> {
  await db
    .updateTable('place')
    .set({ ...columns(p), updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Removes places (their district routes go with them; cases keep their municipality and lose the district). */
export async function deletePlaces(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('place').where('id', 'in', ids).execute();
}

export function countRoutesOf(db: Db, placeIds: number[]) {
  if (placeIds.length === 0) return Promise.resolve(0);
  return db
    .selectFrom('category_place_route')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('place_id', 'in', placeIds)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export function findMunicipality(db: Db, id: number) {
  return db.selectFrom('municipality').select(['id', 'name', 'short_name']).where('id', '=', id).executeTakeFirst();
}

/** Serialises changes of one municipality's places (two imports at once would both add the same name). */
export async function lockMunicipalityPlaces(db: Db, municipalityId: number): Promise<void> {
  // FOR NO KEY UPDATE: does not block rows that merely reference the municipality (cases, departments).
  await db.selectFrom('municipality').select('id').where('id', '=', municipalityId).forNoKeyUpdate().execute();
}

/** Whether the municipality has a boundary of its own (kind `municipality`): then a case's point must lie in it. */
export async function hasMunicipalBoundary(db: Db, municipalityId: number): Promise<boolean> {
  const row = await db
    .selectFrom('place')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('kind', '=', 'municipality')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The department a category's cases in a district go to, when a district route to an active department says so. */
export async function placeRouteDepartment(db: Db, categoryId: number, placeId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('category_place_route')
    .innerJoin('department', 'department.id', 'category_place_route.department_id')
    .select('category_place_route.department_id')
    .where('category_place_route.category_id', '=', categoryId)
    .where('category_place_route.place_id', '=', placeId)
    .where('department.is_active', '=', true)
    .executeTakeFirst();
  return row?.department_id;
}

/** A municipality's district routes with the names a person reads. */
export function listPlaceRoutes(db: Db, municipalityId: number) {
  return db
    .selectFrom('category_place_route as r')
    .innerJoin('category as c', 'c.id', 'r.category_id')
    .innerJoin('place as p', 'p.id', 'r.place_id')
    .innerJoin('department as d', 'd.id', 'r.department_id')
    .select([
      'r.category_id',
      'c.name as category_name',
      'r.place_id',
      'p.name as place_name',
      'r.department_id',
      'd.name as department_name',
    ])
    .where('p.municipality_id', '=', municipalityId)
    .orderBy('c.name')
    .orderBy('p.name')
    .execute();
}

export function categoriesIn(db: Db, municipalityId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('category').select(['id']).where('municipality_id', '=', municipalityId).where('id', 'in', ids).execute();
}

export function departmentsIn(db: Db, municipalityId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('department')
    .select(['id', 'is_active'])
    .where('municipality_id', '=', municipalityId)
    .where('id', 'in', ids)
    .execute();
}

export function districtsIn(db: Db, municipalityId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('place')
    .select(['id'])
    .where('municipality_id', '=', municipalityId)
    .where('kind', '=', 'district')
    .where('id', 'in', ids)
    .execute();
}

/** Replaces a municipality's district routes with the given ones; returns the previous ones. */
export async function replacePlaceRoutes(
  db: Db,
  municipalityId: number,
  routes: Array<{ categoryId: number; placeId: number; departmentId: number }>,
) {
  const before = await listPlaceRoutes(db, municipalityId);
  const placeIds = db.selectFrom('place').select('id').where('municipality_id', '=', municipalityId);
  await db.deleteFrom('category_place_route').where('place_id', 'in', placeIds).execute();
  if (routes.length > 0) {
    await db
      .insertInto('category_place_route')
      .values(routes.map((r) => ({ category_id: r.categoryId, place_id: r.placeId, department_id: r.departmentId })))
      .execute();
  }
  return before;
}
