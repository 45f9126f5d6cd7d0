import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../core/db/schema.ts';

type Conn = Kysely<Database> | Transaction<Database>;

const municipalityColumns = [
  'id',
  'region_id',
  'name',
  'short_name',
  'slug',
  'case_prefix',
  'type',
  'oktmo',
  'population',
  'time_zone',
  'is_active',
] as const;

export function listMunicipalities(db: Conn, filter: { ids?: number[] | 'all'; activeOnly?: boolean } = {}) {
  let q = db
    .selectFrom('municipality')
    .select(municipalityColumns)
    .orderBy('population', (ob) => ob.desc().nullsLast())
    .orderBy('name');
  if (filter.activeOnly) q = q.where('is_active', '=', true);
  if (Array.isArray(filter.ids)) {
    if (filter.ids.length === 0) return Promise.resolve([]);
    q = q.where('id', 'in', filter.ids);
  }
  return q.execute();
}

export function findMunicipality(db: Conn, id: number) {
  return db.selectFrom('municipality').select(municipalityColumns).where('id', '=', id).executeTakeFirst();
}

export type MunicipalityRow = NonNullable<Awaited<ReturnType<typeof findMunicipality>>>;

/**
 * The municipality's own boundary: its places of kind `municipality` (modules/places, migration 0013), in id order.
 * The old `municipality.boundary` column (0001) is no longer read: boundaries are imported as places.
 */
export function municipalBoundaryParts(db: Conn, municipalityId: number) {
  return db
    .selectFrom('place')
    .select(['id', 'name', 'geometry', 'is_approximate'])
    .where('municipality_id', '=', municipalityId)
    .where('kind', '=', 'municipality')
    .orderBy('id')
    .execute();
}

export function findRegion(db: Conn, id: number) {
  return db.selectFrom('region').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listDepartments(db: Conn, municipalityId: number) {
  return db
    .selectFrom('department')
    .select(['id', 'municipality_id', 'name', 'email', 'phone', 'is_active'])
    .where('municipality_id', '=', municipalityId)
    .orderBy('name')
    .execute();
}

export function findDepartment(db: Conn, id: number) {
  return db
    .selectFrom('department')
    .select(['id', 'municipality_id', 'name', 'email', 'phone', 'is_active'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export type DepartmentRow = NonNullable<Awaited<ReturnType<typeof findDepartment>>>;

export function findDepartmentByName(db: Conn, municipalityId: number, name: string) {
  return db
    .selectFrom('department')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}
