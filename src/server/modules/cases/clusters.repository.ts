import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import { OPEN_STATUSES } from './cases.repository.ts';

// Duplicates and clusters (issue 4). Similarity of texts is pg_trgm's word_similarity taken both ways, so a short
// note and a long letter about the same pothole still meet; it needs the pg_trgm extension (migration 0009).

/**
 * The open statuses written out as literals (not parameters), so that the planner can prove the partial indexes'
 * predicate (`case_open_category_idx`, `case_open_email_idx`) for every plan, generic or not.
 */
const OPEN = sql.join(OPEN_STATUSES.map((s) => sql.lit(s)));
const isOpen = sql<SqlBool>`c.status in (${OPEN})`;

const textScore = (text: string) =>
  sql<number>`greatest(word_similarity(${text}, c.text), word_similarity(c.text, ${text}))::float8`;

export interface Candidate {
  id: number;
  applicant_user_id: number | null;
  score: number;
}

export interface ApplicantCandidates {
  municipalityId: number;
  userId: number | null;
  email: string | null;
  text: string;
  excludeIds: number[];
  limit: number;
}

/** Open cases of the same applicant (by account or by e-mail) in a municipality, most similar text first. */
export async function openCasesOfApplicant(db: Db, q: ApplicantCandidates): Promise<Candidate[]> {
  if (q.userId === null && !q.email) return [];
  return db
    .selectFrom('case as c')
    .select(['c.id', 'c.applicant_user_id', textScore(q.text).as('score')])
    .where('c.municipality_id', '=', q.municipalityId)
    .where(isOpen)
    .where((eb) => {
      const same: Expression<SqlBool>[] = [];
      if (q.userId !== null) same.push(eb('c.applicant_user_id', '=', q.userId));
      if (q.email) same.push(sql<SqlBool>`lower(c.email) = lower(${q.email})`);
      return eb.or(same);
    })
    .$if(q.excludeIds.length > 0, (qb) => qb.where('c.id', 'not in', q.excludeIds))
    .orderBy('score', 'desc')
    .orderBy('c.id', 'desc')
    .limit(q.limit)
    .execute();
}

export interface TextCandidates {
  municipalityId: number;
  categoryId: number;
  text: string;
  threshold: number;
  /** Only the newest this many open cases of the category are compared (bounds the cost of a huge category). */
  window: number;
  excludeIds: number[];
  limit: number;
}

/**
 * Open cases of one category of a municipality whose text is similar to `text` (score ≥ threshold), best first.
 * Members of a cluster are left out: their primary stands for them. The newest `window` open cases of the category
 * are read through `case_open_category_idx` (municipality, category, received_at desc) and each text is scored once.
 */
export function openCasesWithSimilarText(db: Db, q: TextCandidates): Promise<Candidate[]> {
  const scored = db
    .selectFrom('case as c')
    .select(['c.id', 'c.applicant_user_id', textScore(q.text).as('score')])
    .where('c.municipality_id', '=', q.municipalityId)
    .where('c.category_id', '=', q.categoryId)
    .where(isOpen)
    .where('c.cluster_primary_id', 'is', null)
    .$if(q.excludeIds.length > 0, (qb) => qb.where('c.id', 'not in', q.excludeIds))
    .orderBy('c.received_at', 'desc')
    .limit(q.window);
  return db
    .selectFrom(scored.as('s'))
    .select(['s.id', 's.applicant_user_id', 's.score'])
    .where('s.score', '>=', q.threshold)
    .orderBy('s.score', 'desc')
    .orderBy('s.id', 'desc')
    .limit(q.limit)
    .execute();
}

/** The members of a cluster (the cases that point to `primaryId`), by id. */
export function clusterMembers(db: Db, primaryId: number) {
  return db
    .selectFrom('case')
    .select(['id', 'number', 'status'])
    .where('cluster_primary_id', '=', primaryId)
    .orderBy('id')
    .execute();
}

/** Locks rows in the given order (the caller orders them: primary first, then by id) until the transaction ends. */
export async function lockCases(db: Db, ids: number[]): Promise<void> {
  for (const id of ids) await db.selectFrom('case').select('id').where('id', '=', id).forUpdate().execute();
}

/** The open members of a cluster, locked (after their primary, which the caller holds). */
export async function lockOpenMembers(db: Db, primaryId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('case as c')
    .select('c.id')
    .where('c.cluster_primary_id', '=', primaryId)
    .where(isOpen)
    .orderBy('c.id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/** Points the cases, and the members of those among them that are primaries, to the new primary. */
export async function joinCluster(db: Db, primaryId: number, ids: number[]): Promise<void> {
  await db
    .updateTable('case')
    .set({ cluster_primary_id: primaryId })
    .where((eb) => eb.or([eb('id', 'in', ids), eb('cluster_primary_id', 'in', ids)]))
    .execute();
}

/** A member leaves its cluster. */
export async function leaveCluster(db: Db, id: number): Promise<void> {
  await db.updateTable('case').set({ cluster_primary_id: null }).where('id', '=', id).execute();
}
