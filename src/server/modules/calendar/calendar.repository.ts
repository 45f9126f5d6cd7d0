import { sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';

/** Changes whenever anything is published: the newest publication id (0 when there is none). */
export async function publicationVersion(db: Db): Promise<number> {
  const row = await db
    .selectFrom('calendar_publication')
    .select((eb) => eb.fn.coalesce(eb.fn.max('id'), sql<number>`0`).as('v'))
    .executeTakeFirstOrThrow();
  return Number(row.v);
}

/** The latest publication of every (year, region): the one in force. */
export function latestPublications(db: Db) {
  return db
    .selectFrom('calendar_publication as p')
    .leftJoin('app_user as u', 'u.id', 'p.published_by')
    .select(['p.id', 'p.year', 'p.region_code', 'p.data', 'p.published_at'])
    .select(
      sql<string | null>`case when u.id is null then null else u.last_name || ' ' || u.first_name end`.as('published_by_name'),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('calendar_publication as newer')
            .select('newer.id')
            .whereRef('newer.year', '=', 'p.year')
            .where(sql<boolean>`newer.region_code is not distinct from p.region_code`)
            .whereRef('newer.id', '>', 'p.id'),
        ),
      ),
    )
    .orderBy('p.year')
    .execute();
}

export function listPublications(db: Db, limit = 100) {
  return db
    .selectFrom('calendar_publication as p')
    .leftJoin('app_user as u', 'u.id', 'p.published_by')
    .select(['p.id', 'p.year', 'p.region_code', 'p.note', 'p.published_at'])
    .select(
      sql<string | null>`case when u.id is null then null else u.last_name || ' ' || u.first_name end`.as('published_by_name'),
    )
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
}

export function findMunicipalityForDeadlines(db: Db, id: number) {
  return db
    .selectFrom('municipality as m')
    .innerJoin('region as r', 'r.id', 'm.region_id')
    .select(['m.id', 'm.name', 'm.time_zone', 'm.deadline_settings', 'r.iso_code'])
    .where('m.id', '=', id)
    .executeTakeFirst();
}
