import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { CaseChannel, CaseRegime, CaseTable } from '../../core/db/schema.ts';

/** Statuses in which the case still waits for its answer (the queue's overdue filter, deadline recomputation). */
export const OPEN_STATUSES = ['registered', 'assigned', 'in_work', 'answer_drafted'] as const;

export function findMunicipalityForCases(db: Db, id: number) {
  return db
    .selectFrom('municipality as m')
    .innerJoin('region as r', 'r.id', 'm.region_id')
    .select(['m.id', 'm.name', 'm.case_prefix', 'm.time_zone', 'm.deadline_settings', 'r.iso_code'])
    .where('m.id', '=', id)
    .executeTakeFirst();
}

export function findCategory(db: Db, id: number) {
  return db.selectFrom('category').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listCategories(db: Db, municipalityId: number, includeInactive: boolean) {
  let q = db.selectFrom('category').selectAll().where('municipality_id', '=', municipalityId);
  if (!includeInactive) q = q.where('is_active', '=', true);
  return q.orderBy('name').execute();
}

export function findTotko(db: Db, code: string) {
  return db.selectFrom('totko').selectAll().where('code', '=', code).executeTakeFirst();
}

export function findDepartmentOf(db: Db, municipalityId: number, id: number) {
  return db
    .selectFrom('department')
    .select('id')
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
}

/** Serialises submissions with the same idempotency key until the transaction ends (two nodes, two requests). */
export async function lockIdempotencyKey(db: Db, scope: string, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`${scope}:${key}`}))`.execute(db);
}

export function findByIdempotencyKey(db: Db, scope: string, key: string) {
  return db
    .selectFrom('case')
    .select('id')
    .where('idempotency_scope', '=', scope)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/**
 * A batch of intakes takes the advisory locks of all its idempotency keys in one statement, in one order (ascending
 * hash: two batches never wait for each other crosswise), held until the transaction ends.
 */
export async function lockIdempotencyKeys(db: Db, scopedKeys: readonly string[]): Promise<void> {
  if (scopedKeys.length === 0) return;
  const keys = sql.join(scopedKeys.map((k) => sql`(${k})`));
  await sql`
    select pg_advisory_xact_lock(h)
    from (select distinct hashtext(k) as h from (values ${keys}) v(k) order by h offset 0) ordered`.execute(db);
}

/** Of these (scope, key) pairs, the cases already made. */
export function findByIdempotencyKeys(db: Db, pairs: ReadonlyArray<{ scope: string; key: string }>) {
  if (pairs.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('case')
    .select(['id', 'idempotency_scope', 'idempotency_key'])
    .where((eb) => eb.or(pairs.map((p) => eb.and([eb('idempotency_scope', '=', p.scope), eb('idempotency_key', '=', p.key)]))))
    .execute();
}

/** Numbers for a batch of intakes, in order: one `nextval` per case, evaluated left to right in one statement. */
export async function nextCaseNumbers(
  db: Db,
  wanted: ReadonlyArray<{ municipalityId: number; year: number }>,
): Promise<number[]> {
  if (wanted.length === 0) return [];
  const columns = sql.join(
    wanted.map((w, i) => sql`nextval(${sequenceName(w.municipalityId, w.year)}::regclass)::int as ${sql.id(`n${i}`)}`),
  );
  const { rows } = await sql<Record<string, number>>`select ${columns}`.execute(db);
  const row = rows[0] as Record<string, number>;
  return wanted.map((_, i) => row[`n${i}`] as number);
}

/** The next number of the year in a municipality; the counter row is locked until the transaction ends. */
const sequenceName = (municipalityId: number, year: number) => `case_number_${municipalityId}_${year}`;
/** Sequences known to exist, per database handle (created once, outside any intake transaction). */
const knownSequences = new WeakMap<object, Set<string>>();

/**
 * Makes sure the yearly number sequence of a municipality exists, before the intake's transaction (DDL that races
 * with another node's may fail there, and a failed statement would abort the intake). A sequence taking over from
 * the older `case_counter` row starts after its last number.
 */
export async function ensureCaseNumbering(db: Db, municipalityId: number, year: number): Promise<void> {
  const name = sequenceName(municipalityId, year);
  const known = knownSequences.get(db) ?? new Set<string>();
  knownSequences.set(db, known);
  if (known.has(name)) return;
  const counter = await db
    .selectFrom('case_counter')
    .select('last')
    .where('municipality_id', '=', municipalityId)
    .where('year', '=', year)
    .executeTakeFirst();
  try {
    await sql`create sequence if not exists ${sql.id(name)} start with ${sql.lit((counter?.last ?? 0) + 1)}`.execute(db);
  } catch (e) {
    // Two nodes creating it at once: the loser sees a duplicate in the catalogue; the sequence is there.
    const code = (e as { code?: string }).code;
    if (code !== '23505' && code !== '42P07') throw e;
  }
  known.add(name);
}

/**
 * The next yearly number of a municipality, from its sequence: unique and increasing, and — unlike a locked counter
 * row — it does not make concurrent intakes wait for each other until they commit. An intake that fails after taking
 * a number leaves a gap (all checks run before it, so only a database failure does); 59-ФЗ sets no numbering rule.
 */
export async function nextCaseNumber(db: Db, municipalityId: number, year: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`select nextval(${sequenceName(municipalityId, year)}::regclass)::int as n`.execute(
    db,
  );
  return (rows[0] as { n: number }).n;
}

const CASE_COLUMNS = [
  'c.id',
  'c.municipality_id',
  'c.number',
  'c.regime',
  'c.channel',
  'c.kind',
  'c.category_id',
  'c.applicant_user_id',
  'c.last_name',
  'c.first_name',
  'c.middle_name',
  'c.email',
  'c.phone',
  'c.postal_address',
  'c.answer_by',
  'c.is_anonymous',
  'c.text',
  'c.address',
  'c.lat',
  'c.lon',
  'c.department_id',
  'c.executor_user_id',
  'c.status',
  'c.received_at',
  'c.registered_at',
  'c.due_at',
  'c.due_kind',
  'c.due_rule',
  'c.due_source',
  'c.answer_due_at',
  'c.deadlines',
  'c.created_at',
  'c.draft_text',
  'c.draft_result',
  'c.answer_text',
  'c.answer_result',
  'c.answered_at',
  'c.extension_count',
  'c.closure_reason',
  'c.closure_comment',
  'c.forwarded_to',
  'c.closed_at',
  'c.cluster_primary_id',
  'c.attributes',
  'c.media_url',
] as const;

function caseQuery(db: Db) {
  return db
    .selectFrom('case as c')
    .innerJoin('municipality as m', 'm.id', 'c.municipality_id')
    .leftJoin('category as cat', 'cat.id', 'c.category_id')
    .leftJoin('case as cluster', 'cluster.id', 'c.cluster_primary_id')
    .leftJoin('app_user as ex', 'ex.id', 'c.executor_user_id')
    .select(CASE_COLUMNS)
    .select(['m.time_zone', 'cat.name as category_name'])
    .select(['ex.last_name as executor_last_name', 'ex.first_name as executor_first_name'])
    .select(['cluster.number as cluster_primary_number', 'cluster.status as cluster_primary_status']);
}

export function findCase(db: Db, id: number) {
  return caseQuery(db).where('c.id', '=', id).executeTakeFirst();
}

export type CaseRow = NonNullable<Awaited<ReturnType<typeof findCase>>>;

/** Several cases by id (in no particular order). */
export function findCases(db: Db, ids: readonly number[]): Promise<CaseRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return caseQuery(db)
    .where('c.id', 'in', [...ids])
    .execute();
}

/**
 * Of `ids`, the earlier cases of the same applicant (the same account, or the same surname with the same e-mail or
 * postal address) in the case's municipality that were answered on the merits (59-ФЗ ст. 11 ч. 5).
 */
export function previousAnswersTo(db: Db, c: CaseRow, ids: number[]) {
  return db
    .selectFrom('case as p')
    .select(['p.id', 'p.number'])
    .where('p.id', 'in', ids)
    .where('p.municipality_id', '=', c.municipality_id)
    .where('p.status', 'in', ['answered', 'rated'])
    .where('p.received_at', '<', c.received_at)
    .where((eb) => {
      const same = [];
      if (c.applicant_user_id !== null) same.push(eb('p.applicant_user_id', '=', c.applicant_user_id));
      if (c.last_name && c.email) {
        same.push(
          eb.and([
            eb(eb.fn('lower', ['p.last_name']), '=', c.last_name.toLowerCase()),
            eb(eb.fn('lower', ['p.email']), '=', c.email.toLowerCase()),
          ]),
        );
      }
      if (c.last_name && c.postal_address) {
        same.push(
          eb.and([
            eb(eb.fn('lower', ['p.last_name']), '=', c.last_name.toLowerCase()),
            eb('p.postal_address', '=', c.postal_address),
          ]),
        );
      }
      return same.length ? eb.or(same) : eb.val(false);
    })
    .orderBy('p.received_at')
    .execute();
}

/** The co-signers of a collective appeal, in the order they signed. */
export function caseCosigners(db: Db, caseId: number) {
  return db
    .selectFrom('case_cosigner')
    .select(['last_name', 'first_name', 'middle_name', 'email', 'postal_address'])
    .where('case_id', '=', caseId)
    .orderBy('position')
    .execute();
}

/** The case locked for a workflow step until the transaction ends (two heads approving at once: one wins). */
export async function lockCase(db: Db, id: number): Promise<CaseRow | undefined> {
  const row = await db.selectFrom('case').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? findCase(db, row.id) : undefined;
}

/** Does the user hold an executor's or head's role in this department of the municipality? */
export async function worksInDepartment(db: Db, userId: number, municipalityId: number, departmentId: number) {
  const row = await db
    .selectFrom('user_role')
    .select('id')
    .where('user_id', '=', userId)
    .where('municipality_id', '=', municipalityId)
    .where('department_id', '=', departmentId)
    .where('role', 'in', ['executor', 'head'])
    .executeTakeFirst();
  return !!row;
}

/** The timeline, each event with its actor's name (shown to staff, and to the applicant for their own steps). */
export function caseEvents(db: Db, caseId: number) {
  return db
    .selectFrom('case_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    .selectAll('e')
    .select(['u.last_name as actor_last_name', 'u.first_name as actor_first_name'])
    .where('e.case_id', '=', caseId)
    .orderBy('e.id')
    .execute();
}

export interface CaseFilter {
  municipalities: 'all' | number[];
  applicantUserId?: number;
  status?: string;
  regime?: CaseRegime;
  channel?: CaseChannel;
  categoryId?: number;
  departmentId?: number;
  executorUserId?: number;
  overdueAt?: Date;
  dueBetween?: [Date, Date];
  q?: string;
  limit: number;
  offset: number;
}

/** The queue's conditions on `case as c`, without paging: the list below and the staff map (queue-map.repository.ts). */
export function caseFilterWhere(f: Omit<CaseFilter, 'limit' | 'offset'>) {
  return (eb: ExpressionBuilder<{ c: CaseTable }, 'c'>) => {
    const and: Expression<SqlBool>[] = [];
    if (f.municipalities !== 'all') {
      and.push(f.municipalities.length === 0 ? eb.val(false) : eb('c.municipality_id', 'in', f.municipalities));
    }
    if (f.applicantUserId !== undefined) and.push(eb('c.applicant_user_id', '=', f.applicantUserId));
    if (f.status) and.push(eb('c.status', '=', f.status));
    if (f.regime) and.push(eb('c.regime', '=', f.regime));
    if (f.channel) and.push(eb('c.channel', '=', f.channel));
    if (f.categoryId !== undefined) and.push(eb('c.category_id', '=', f.categoryId));
    if (f.departmentId !== undefined) and.push(eb('c.department_id', '=', f.departmentId));
    if (f.executorUserId !== undefined) and.push(eb('c.executor_user_id', '=', f.executorUserId));
    if (f.overdueAt) and.push(eb('c.due_at', '<', f.overdueAt), eb('c.status', 'in', [...OPEN_STATUSES]));
    if (f.dueBetween) and.push(eb('c.due_at', '>=', f.dueBetween[0]), eb('c.due_at', '<=', f.dueBetween[1]));
    if (f.q) and.push(sql<boolean>`c.search @@ plainto_tsquery('russian', ${f.q})`);
    return eb.and(and);
  };
}

export async function listCases(db: Db, f: CaseFilter) {
  if (f.municipalities !== 'all' && f.municipalities.length === 0) return [];
  return caseQuery(db)
    .where(caseFilterWhere(f))
    .orderBy(sql`c.due_at asc nulls last`)
    .orderBy('c.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
}

/** Open cases with a future deadline, for recomputation after a calendar change. */
export function openCasesWithDeadlines(db: Db, now: Date, region: string | null) {
  let q = db
    .selectFrom('case as c')
    .innerJoin('municipality as m', 'm.id', 'c.municipality_id')
    .innerJoin('region as r', 'r.id', 'm.region_id')
    .select([
      'c.id',
      'c.regime',
      'c.received_at',
      'c.registered_at',
      'c.due_at',
      'c.due_kind',
      'c.answer_due_at',
      'c.deadlines',
      'c.extension_count',
      'm.time_zone',
      'm.deadline_settings',
      'r.iso_code',
    ])
    .select('c.category_id')
    .leftJoin('category as cat', 'cat.id', 'c.category_id')
    .select('cat.totko_code')
    .select((eb) =>
      eb
        .exists(
          eb.selectFrom('case_event as e').select('e.id').whereRef('e.case_id', '=', 'c.id').where('e.type', '=', 'reopened'),
        )
        .as('reopened'),
    )
    .where('c.status', 'in', [...OPEN_STATUSES])
    .where('c.due_at', '>', now);
  if (region) q = q.where('r.iso_code', '=', region);
  return q.orderBy('c.id').execute();
}
