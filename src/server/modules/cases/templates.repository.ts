import { sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import { OPEN_STATUSES } from './cases.repository.ts';

// Answer templates, routing rules and executors' workload (issue 4): the SQL of templates.routes.

export function findTemplate(db: Db, id: number) {
  return db.selectFrom('answer_template').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * A municipality's templates, category-specific first, then by title. `categoryId` given: that category's and the
 * generic ones (no category); `activeOnly`: what executors pick from.
 */
export function listTemplates(db: Db, municipalityId: number, opts: { categoryId?: number | null; activeOnly: boolean }) {
  let q = db.selectFrom('answer_template').selectAll().where('municipality_id', '=', municipalityId);
  if (opts.categoryId !== undefined) {
    const categoryId = opts.categoryId;
    q = q.where((eb) =>
      categoryId === null
        ? eb('category_id', 'is', null)
        : eb.or([eb('category_id', '=', categoryId), eb('category_id', 'is', null)]),
    );
  }
  if (opts.activeOnly) q = q.where('is_active', '=', true);
  return q.orderBy(sql`category_id is null`).orderBy('title').orderBy('id').execute();
}

/** Active categories with the department each routes to (today's routing rule: category → department). */
export function listRouting(db: Db, municipalityId: number) {
  return db
    .selectFrom('category as c')
    .leftJoin('department as d', 'd.id', 'c.department_id')
    .select([
      'c.id as category_id',
      'c.name as category_name',
      'c.totko_code',
      'c.regime',
      'c.department_id',
      'd.name as department_name',
    ])
    .where('c.municipality_id', '=', municipalityId)
    .where('c.is_active', '=', true)
    .orderBy('c.name')
    .execute();
}

export function categoriesOf(db: Db, municipalityId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('category')
    .select(['id', 'department_id'])
    .where('municipality_id', '=', municipalityId)
    .where('id', 'in', ids)
    .execute();
}

export function departmentsOf(db: Db, municipalityId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('department')
    .select(['id', 'is_active'])
    .where('municipality_id', '=', municipalityId)
    .where('id', 'in', ids)
    .execute();
}

export interface WorkloadRow {
  user_id: number;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  department_id: number | null;
  department_name: string | null;
  open: number;
  overdue: number;
  due_soon: number;
}

/**
 * One grouped query: every active executor of the municipality and anyone else holding its open cases, with the
 * count of open cases, of those past `due_at` at `now`, and of those due within the next 24 hours. The department
 * is the person's executor grant in the municipality (else any grant with a department there).
 */
export async function workload(db: Db, municipalityId: number, now: Date): Promise<WorkloadRow[]> {
  const soon = new Date(now.getTime() + 24 * 3600_000);
  const open = sql.join(OPEN_STATUSES.map((s) => sql.lit(s)));
  const { rows } = await sql<WorkloadRow>`
    with held as (
      select c.executor_user_id as user_id,
             count(*)::int as open,
             (count(*) filter (where c.due_at < ${now}))::int as overdue,
             (count(*) filter (where c.due_at >= ${now} and c.due_at <= ${soon}))::int as due_soon
        from "case" c
       where c.municipality_id = ${municipalityId} and c.status in (${open}) and c.executor_user_id is not null
       group by c.executor_user_id
    ), people as (
      select user_id from held
      union
      select r.user_id from user_role r join app_user u on u.id = r.user_id
       where r.municipality_id = ${municipalityId} and r.role = 'executor' and u.is_active
    )
    select u.id as user_id, u.last_name, u.first_name, u.middle_name,
           dep.id as department_id, dep.name as department_name,
           coalesce(h.open, 0) as open, coalesce(h.overdue, 0) as overdue, coalesce(h.due_soon, 0) as due_soon
      from people p
      join app_user u on u.id = p.user_id
      left join held h on h.user_id = p.user_id
      left join lateral (
        select d.id, d.name from user_role r join department d on d.id = r.department_id
         where r.user_id = p.user_id and r.municipality_id = ${municipalityId}
         order by (r.role = 'executor') desc, r.id limit 1
      ) dep on true
     order by coalesce(h.overdue, 0) desc, coalesce(h.open, 0) desc, u.last_name, u.first_name, u.id
  `.execute(db);
  return rows;
}

export type TotkoRow = { code: string; parentCode: string | null; level: number; name: string };

export function totkoByCodes(db: Db, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('totko').selectAll().where('code', 'in', codes).execute();
}

/** Inserts or renames ТОТКО nodes (parents first: the rows come sorted by level). */
export async function upsertTotko(db: Db, rows: TotkoRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('totko')
      .values(rows.slice(i, i + 500).map((r) => ({ code: r.code, parent_code: r.parentCode, level: r.level, name: r.name })))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          parent_code: eb.ref('excluded.parent_code'),
          level: eb.ref('excluded.level'),
        })),
      )
      .execute();
  }
}
