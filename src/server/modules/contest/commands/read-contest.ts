import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { forbidden, notFound } from '../../../core/http/errors.ts';
import {
  presentApplicationBrief,
  presentAssignment,
  presentCategory,
  presentContest,
  presentMember,
  presentTally,
} from '../contest.presenters.ts';
import {
  applicationsOf,
  assignmentsOf,
  type ContestRow,
  categoriesOf,
  findContest,
  listContests,
  membersOf,
  regionOfMunicipalities,
  votesOf,
} from '../contest.repository.ts';
import { adminMunicipalities, isRegionalAdmin, seesWholeContest } from '../permissions.ts';
import { contestFor, principalOf } from './access.ts';
import { tallies } from './meeting.ts';

/** The contests the caller may see: the region's for its roles, the municipalities' region for their administrators. */
export async function readContests(db: Db, ctx: CommandContext) {
  const p = principalOf(ctx);
  const regions = new Set(p.roles.filter((g) => g.regionId !== null).map((g) => g.regionId as number));
  for (const r of await regionOfMunicipalities(db, adminMunicipalities(p))) regions.add(r);
  return (await listContests(db, [...regions])).map(presentContest);
}

/**
 * The contest as a page shows it: setup, categories, commission, assignments; the caller's seat and ballots; the
 * applications the caller may see (all for the region, the municipality's own otherwise) and, for the region and
 * the commission once voting has begun, the tally per category.
 */
export async function readContest(db: Db, ctx: CommandContext, id: number) {
  const p = principalOf(ctx);
  const c = await contestFor(db, ctx, id);
  const whole = seesWholeContest(p, c.region_id);
  const [categories, members, assignments, applications, votes] = await Promise.all([
    categoriesOf(db, id),
    membersOf(db, id),
    assignmentsOf(db, id),
    applicationsOf(db, id, whole ? undefined : adminMunicipalities(p)),
    votesOf(db, id),
  ]);
  const visible = whole && !isRegionalAdmin(p, c.region_id) ? applications.filter((a) => a.status === 'admitted') : applications;
  const seat = members.find((m) => m.user_id === p.userId) ?? null;
  const names = new Map(applications.map((a) => [a.id, a.applicant_name]));
  return {
    contest: presentContest(c),
    categories: categories.map((k) => ({
      ...presentCategory(k),
      applicationsReceived: applications.filter((a) => a.category_id === k.id && a.status !== 'draft').length,
    })),
    commission: members.map(presentMember),
    assignments: assignments.map(presentAssignment),
    applications: visible.map((a) => presentApplicationBrief(a)),
    mySeat: seat && {
      memberId: seat.id,
      votedCategoryIds: [...new Set(votes.filter((v) => v.member_id === seat.id).map((v) => v.category_id))],
    },
    ballots: whole
      ? members.map((m) => ({
          memberId: m.id,
          categoryIds: [...new Set(votes.filter((v) => v.member_id === m.id).map((v) => v.category_id))],
        }))
      : [],
    tally:
      whole && c.status !== 'setup'
        ? (await tallies(db, c)).map(({ categoryId, tally }) =>
            presentTally(categories.find((k) => k.id === categoryId) as (typeof categories)[number], tally, names),
          )
        : [],
  };
}

/** The published results of one contest (public): places, recommendations, no votes or application texts. */
export async function readPublicResults(db: Db, id: number) {
  const c = await findContest(db, id);
  if (c?.status !== 'published') throw notFound('Contest results');
  return publicResults(db, c);
}

export async function readPublicContests(db: Db) {
  const rows = await listContests(db, 'all', true);
  return Promise.all(rows.map((c) => publicResults(db, c)));
}

async function publicResults(db: Db, c: ContestRow) {
  const [categories, applications] = await Promise.all([categoriesOf(db, c.id), applicationsOf(db, c.id)]);
  return {
    id: c.id,
    year: c.year,
    title: c.title,
    nomination: c.nomination,
    regionName: c.region_name,
    publishedAt: c.published_at?.toISOString() ?? null,
    protocolNumber: c.protocol_number,
    approvedOn: c.approved_on,
    categories: categories.map((k) => {
      const placed = applications
        .filter((a) => a.category_id === k.id && a.status === 'admitted' && a.place !== null)
        .sort((x, y) => (x.place ?? 0) - (y.place ?? 0));
      return {
        code: k.code,
        label: `${k.code} категория – ${k.name}`,
        note: placed.length ? null : 'места не распределялись ввиду отсутствия заявок',
        winners: placed.map((a) => ({ place: a.place, applicantName: a.applicant_name, recommended: a.recommended })),
      };
    }),
  };
}

/** The protocol is for the region's administrators and the commission. */
export async function protocolContest(db: Db, ctx: CommandContext, id: number) {
  const c = await contestFor(db, ctx, id);
  if (!seesWholeContest(ctx.principal, c.region_id)) throw forbidden('The protocol is for the region and the commission');
  return c;
}

export async function readApplications(db: Db, ctx: CommandContext, id: number) {
  const p = principalOf(ctx);
  const c = await contestFor(db, ctx, id);
  const whole = seesWholeContest(p, c.region_id);
  const rows = await applicationsOf(db, id, whole ? undefined : adminMunicipalities(p));
  const visible = whole && !isRegionalAdmin(p, c.region_id) ? rows.filter((a) => a.status === 'admitted') : rows;
  return visible.map((a) => presentApplicationBrief(a));
}
