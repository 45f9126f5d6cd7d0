import { sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';

/** Open311 shows only problem reports (ПОС messages and incidents); 59-ФЗ appeals are private correspondence. */
export const PUBLIC_REGIMES = ['message', 'incident'] as const;

/** A jurisdiction_id: the municipality's OKTMO, or its case-number prefix (КЕМ). */
export function findJurisdiction(db: Db, jurisdictionId: string) {
  return db
    .selectFrom('municipality')
    .select(['id', 'name', 'oktmo', 'case_prefix', 'time_zone'])
    .where('is_active', '=', true)
    .where((eb) =>
      eb.or([eb('oktmo', '=', jurisdictionId), eb(eb.fn('upper', ['case_prefix']), '=', jurisdictionId.toUpperCase())]),
    )
    .orderBy('id')
    .executeTakeFirst();
}

export function findMunicipality(db: Db, id: number) {
  return db.selectFrom('municipality').select(['id', 'name', 'time_zone']).where('id', '=', id).executeTakeFirst();
}

// API keys.
export function findApiKeyByHash(db: Db, sha256: string) {
  return db.selectFrom('api_key').selectAll().where('key_sha256', '=', sha256).executeTakeFirst();
}

export function findApiKey(db: Db, id: number) {
  return db.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listApiKeys(db: Db, municipalityId: number) {
  return db
    .selectFrom('api_key')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function insertApiKey(
  trx: Db,
  row: { municipalityId: number; name: string; sha256: string; prefix: string; createdBy: number | null; now: Date },
) {
  return trx
    .insertInto('api_key')
    .values({
      municipality_id: row.municipalityId,
      name: row.name,
      key_sha256: row.sha256,
      key_prefix: row.prefix,
      created_by: row.createdBy,
      created_at: row.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function revokeApiKey(trx: Db, id: number, now: Date) {
  return trx
    .updateTable('api_key')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function touchApiKey(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('api_key').set({ last_used_at: now }).where('id', '=', id).execute();
}

// Services.
export function listServiceCategories(db: Db, municipalityId: number) {
  return db
    .selectFrom('category')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('is_active', '=', true)
    .where('regime', 'in', [...PUBLIC_REGIMES])
    .orderBy('name')
    .execute();
}

// Requests.
export interface RequestFilter {
  municipalityId: number;
  numbers?: string[];
  categoryIds?: number[];
  start?: Date;
  end?: Date;
  /** open: these statuses; closed: any other. */
  open?: boolean;
  openStatuses: readonly string[];
  limit: number;
  /** Requests skipped first (paging), newest first. */
  offset?: number;
}

/** An instant as milliseconds since the epoch (a number from the driver: no Date parsed per value). */
const epochMs = (column: string) => sql<number>`date_part('epoch', ${sql.ref(column)}) * 1000`;

/**
 * The public fields of the requests `cases` selects (a subquery of case rows, already filtered, ordered and limited:
 * the joins and the newest event are looked up for those rows only), newest first. Instants come as epoch ms.
 */
function requestRows(db: Db, cases: ReturnType<typeof caseRows>) {
  return db
    .selectFrom(cases.as('c'))
    .innerJoin('municipality as m', 'm.id', 'c.municipality_id')
    .leftJoin('category as cat', 'cat.id', 'c.category_id')
    .leftJoin('department as d', 'd.id', 'c.department_id')
    .leftJoin('case as p', 'p.id', 'c.cluster_primary_id')
    .select([
      'c.id',
      'c.number',
      'c.status',
      'c.text',
      'c.address',
      'c.lat',
      'c.lon',
      'c.received_at',
      'c.due_at',
      'c.due_source',
      'c.media_url',
      'c.category_id',
      'cat.name as service_name',
      'cat.service_code',
      'd.name as agency',
      'p.number as merged_into',
      'm.time_zone',
    ])
    .select((eb) =>
      eb
        .selectFrom('case_event as e')
        .select(sql<number | null>`date_part('epoch', max(e.at)) * 1000`.as('at'))
        .whereRef('e.case_id', '=', 'c.id')
        .as('updated_at'),
    )
    .orderBy('c.received', 'desc')
    .orderBy('c.id', 'desc');
}

/** The case rows a request is made of (public regimes only), with the instants as epoch ms. */
function caseRows(db: Db) {
  return db
    .selectFrom('case as c')
    .select([
      'c.id',
      'c.number',
      'c.status',
      'c.text',
      'c.address',
      'c.lat',
      'c.lon',
      'c.due_source',
      'c.media_url',
      'c.category_id',
      'c.municipality_id',
      'c.department_id',
      'c.cluster_primary_id',
      'c.received_at as received',
      epochMs('c.received_at').as('received_at'),
      epochMs('c.due_at').as('due_at'),
    ])
    .where('c.regime', 'in', [...PUBLIC_REGIMES]);
}

export type RequestRow = Awaited<ReturnType<typeof queryRequests>>[number];

export function queryRequests(db: Db, f: RequestFilter) {
  let q = caseRows(db).where('c.municipality_id', '=', f.municipalityId);
  if (f.numbers) {
    if (f.numbers.length === 0) return Promise.resolve([]);
    q = q.where('c.number', 'in', f.numbers);
  } else {
    if (f.categoryIds) {
      if (f.categoryIds.length === 0) return Promise.resolve([]);
      q = q.where('c.category_id', 'in', f.categoryIds);
    }
    if (f.start) q = q.where('c.received_at', '>=', f.start);
    if (f.end) q = q.where('c.received_at', '<=', f.end);
    if (f.open === true) q = q.where('c.status', 'in', [...f.openStatuses]);
    if (f.open === false) q = q.where('c.status', 'not in', [...f.openStatuses]);
  }
  q = q.orderBy('c.received_at', 'desc').orderBy('c.id', 'desc').limit(f.limit);
  if (f.offset) q = q.offset(f.offset);
  return requestRows(db, q).execute();
}

export async function findRequestById(db: Db, caseId: number) {
  const [row] = await requestRows(db, caseRows(db).where('c.id', '=', caseId)).execute();
  return row;
}

/** Timeline events of the municipality's public reports in [start, end], oldest first. */
export function listEvents(db: Db, municipalityId: number, start: Date, end: Date, limit: number) {
  return db
    .selectFrom('case_event as e')
    .innerJoin('case as c', 'c.id', 'e.case_id')
    .select(['e.id', 'e.type', 'e.at', 'e.data', 'c.number', 'c.media_url'])
    .where('c.municipality_id', '=', municipalityId)
    .where('c.regime', 'in', [...PUBLIC_REGIMES])
    .where('e.at', '>=', start)
    .where('e.at', '<=', end)
    .where('e.type', 'not in', ['received', 'draft_returned', 'answer_drafted', 'deadlines_recomputed', 'rated', 'converted'])
    .orderBy('e.at')
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

/** When a service or its definition last changed (the discovery document's changeset). */
export async function latestServiceChange(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('category')
    .select((eb) => eb.fn.max('updated_at').as('at'))
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}
