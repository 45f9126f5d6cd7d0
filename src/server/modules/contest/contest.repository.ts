import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type {
  ContestApplicationTable,
  ContestAssignmentTable,
  ContestCategoryTable,
  ContestMemberTable,
  ContestTable,
  ContestVoteTable,
} from '../../core/db/schema.ts';

// The contest module's only SQL (issue 8).

export type ContestRow = Selectable<ContestTable> & { time_zone: string; region_name: string };
export type CategoryRow = Selectable<ContestCategoryTable>;
export type MemberRow = Selectable<ContestMemberTable>;
export type ApplicationRow = Selectable<ContestApplicationTable> & { municipality_name: string; municipality_type: string };
export type VoteRow = Selectable<ContestVoteTable>;
export type AssignmentRow = Selectable<ContestAssignmentTable>;

function contestQuery(db: Db) {
  return db
    .selectFrom('contest')
    .innerJoin('region', 'region.id', 'contest.region_id')
    .selectAll('contest')
    .select(['region.time_zone', 'region.name as region_name']);
}

export const findContest = (db: Db, id: number) =>
  contestQuery(db).where('contest.id', '=', id).executeTakeFirst() as Promise<ContestRow | undefined>;

/** The contest row locked for the transaction (every change to a contest or its parts takes it first). */
export const lockContest = (trx: Db, id: number) =>
  contestQuery(trx).where('contest.id', '=', id).forUpdate('contest').executeTakeFirst() as Promise<ContestRow | undefined>;

export const listContests = (db: Db, regionIds: number[] | 'all', publishedOnly = false) => {
  let q = contestQuery(db);
  if (regionIds !== 'all') {
    if (regionIds.length === 0) return Promise.resolve([] as ContestRow[]);
    q = q.where('contest.region_id', 'in', regionIds);
  }
  if (publishedOnly) q = q.where('contest.status', '=', 'published');
  return q.orderBy('contest.year', 'desc').orderBy('contest.id', 'desc').execute() as Promise<ContestRow[]>;
};

export const categoriesOf = (db: Db, contestId: number) =>
  db.selectFrom('contest_category').selectAll().where('contest_id', '=', contestId).orderBy('position').execute();

export const membersOf = (db: Db, contestId: number) =>
  db.selectFrom('contest_member').selectAll().where('contest_id', '=', contestId).orderBy('sort').execute();

export const assignmentsOf = (db: Db, contestId: number) =>
  db.selectFrom('contest_assignment').selectAll().where('contest_id', '=', contestId).orderBy('sort').execute();

export const votesOf = (db: Db, contestId: number) =>
  db.selectFrom('contest_vote').selectAll().where('contest_id', '=', contestId).orderBy('id').execute();

function applicationQuery(db: Db) {
  return db
    .selectFrom('contest_application')
    .innerJoin('municipality', 'municipality.id', 'contest_application.municipality_id')
    .selectAll('contest_application')
    .select(['municipality.name as municipality_name', 'municipality.type as municipality_type']);
}

export const applicationsOf = (db: Db, contestId: number, municipalityIds?: number[]) => {
  let q = applicationQuery(db).where('contest_application.contest_id', '=', contestId);
  if (municipalityIds) {
    if (municipalityIds.length === 0) return Promise.resolve([] as ApplicationRow[]);
    q = q.where('contest_application.municipality_id', 'in', municipalityIds);
  }
  return q.orderBy('contest_application.id').execute() as Promise<ApplicationRow[]>;
};

export const findApplication = (db: Db, id: number) =>
  applicationQuery(db).where('contest_application.id', '=', id).executeTakeFirst() as Promise<ApplicationRow | undefined>;

export const findMunicipality = (db: Db, id: number) =>
  db.selectFrom('municipality').select(['id', 'region_id', 'name', 'type']).where('id', '=', id).executeTakeFirst();

export const regionOfMunicipalities = async (db: Db, ids: number[]): Promise<number[]> => {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('municipality').select('region_id').distinct().where('id', 'in', ids).execute();
  return rows.map((r) => r.region_id);
};

export const findRegion = (db: Db, id: number) =>
  db.selectFrom('region').select(['id', 'name', 'time_zone']).where('id', '=', id).executeTakeFirst();

/** Does the user hold the commission member's role in the region? */
export const isCommissionUser = async (db: Db, userId: number, regionId: number) =>
  !!(await db
    .selectFrom('user_role')
    .select('id')
    .where('user_id', '=', userId)
    .where('role', '=', 'commission_member')
    .where('region_id', '=', regionId)
    .executeTakeFirst());
