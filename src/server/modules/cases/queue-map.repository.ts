import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { CaseTable } from '../../core/db/schema.ts';
import { type CaseFilter, caseFilterWhere, OPEN_STATUSES } from './cases.repository.ts';

// The staff map of the queue (issue 5 point 5): the queue's own conditions (caseFilterWhere, the same code as the
// list), cut to the cases with a point in a box, or to those without one.

export type QueueMapFilter = Omit<CaseFilter, 'limit' | 'offset'>;

export interface Box {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Past its deadline and still waiting for the answer: the queue's «Просрочено» (its overdue filter's words). */
const overdueAt = (now: Date) => (eb: ExpressionBuilder<{ c: CaseTable }, 'c'>) =>
  eb.and([eb('c.due_at', '<', now), eb('c.status', 'in', [...OPEN_STATUSES])]);

/**
 * The markers of the queue in a box (every case with a point, whatever its regime or cluster), the nearest deadline
 * first, so that a capped answer keeps the most urgent ones. The caller asks for one more than it shows.
 */
export function queueMarkersInBox(db: Db, f: QueueMapFilter, box: Box | undefined, now: Date, limit: number) {
  let q = db
    .selectFrom('case as c')
    .select(['c.id', 'c.number', 'c.lat', 'c.lon', 'c.status', 'c.category_id'])
    .select((eb) => overdueAt(now)(eb).as('overdue'))
    .where(caseFilterWhere(f))
    .where('c.lat', 'is not', null)
    .where('c.lon', 'is not', null);
  if (box) {
    q = q
      .where('c.lat', '>=', box.minLat)
      .where('c.lat', '<=', box.maxLat)
      .where('c.lon', '>=', box.minLon)
      .where('c.lon', '<=', box.maxLon);
  }
  return q.orderBy(sql`c.due_at asc nulls last`).orderBy('c.id').limit(limit).execute();
}

/** The queue's cases without a point: how many, and the first of them by deadline. */
export async function queueCasesWithoutPoint(db: Db, f: QueueMapFilter, now: Date, limit: number) {
  const base = db
    .selectFrom('case as c')
    .where(caseFilterWhere(f))
    .where((eb) => eb.or([eb('c.lat', 'is', null), eb('c.lon', 'is', null)]));
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
      .select(['c.id', 'c.number', 'c.status', 'c.category_id', 'c.channel', 'c.address'])
      .select((eb) => overdueAt(now)(eb).as('overdue'))
      .orderBy(sql`c.due_at asc nulls last`)
      .orderBy('c.id')
      .limit(limit)
      .execute(),
  ]);
  return { count: Number(count.n), rows };
}
