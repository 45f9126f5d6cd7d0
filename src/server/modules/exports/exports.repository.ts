import { sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { OpenDataSource } from './open-data.ts';

// The exports module's only SQL.

export function findActiveMunicipalityBySlug(db: Db, slug: string) {
  return db
    .selectFrom('municipality')
    .select(['id', 'name', 'short_name', 'slug', 'oktmo', 'time_zone'])
    .where('slug', '=', slug)
    .where('is_active', '=', true)
    .executeTakeFirst();
}

export function findMunicipality(db: Db, id: number) {
  return db.selectFrom('municipality').select(['id', 'name', 'short_name', 'time_zone']).where('id', '=', id).executeTakeFirst();
}

/**
 * One page of a municipality's cases received in [from, to), after the case `afterId`, in id order (keyset
 * pagination: each page is an index range, however far into the year). Selects only what open data publishes — the
 * applicant, the text, the address and the answer's text are never read.
 */
export function openDataPage(
  db: Db,
  q: { municipalityId: number; from: Date; to: Date; afterId: number; limit: number },
): Promise<OpenDataSource[]> {
  return db
    .selectFrom('case as c')
    .leftJoin('category as cat', 'cat.id', 'c.category_id')
    .leftJoin('place as p', 'p.id', 'c.place_id')
    .select([
      'c.id',
      'c.number',
      'c.received_at',
      'c.regime',
      'c.channel',
      'cat.name as category',
      'cat.totko_code as totko_code',
      'p.name as district',
      'c.status',
      'c.answered_at',
      'c.due_at',
      'c.answer_result',
      'c.lat',
      'c.lon',
      // The lateness recorded on the last answer (core rule: a step's lateness is decided when it happens).
      sql<boolean | null>`(select e.late from case_event e where e.case_id = c.id and e.type = 'answered'
        order by e.id desc limit 1)`.as('answer_late'),
    ])
    .where('c.municipality_id', '=', q.municipalityId)
    .where('c.received_at', '>=', q.from)
    .where('c.received_at', '<', q.to)
    .where('c.id', '>', q.afterId)
    .orderBy('c.id')
    .limit(q.limit)
    .execute();
}
