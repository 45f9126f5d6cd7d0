import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, invalid, notFound } from '../../../core/http/errors.ts';
import { assignmentsOf, findRegion, isCommissionUser, membersOf } from '../contest.repository.ts';
import { DEFAULT_CATEGORIES, type MemberRole } from '../contest-ru.ts';
import { isRegionalAdmin } from '../permissions.ts';
import type { Criterion } from '../tally.ts';
import { contestFor, principalOf, requireRegionalAdmin, requireStatus } from './access.ts';

export interface ContestInput {
  year: number;
  stage: 'regional' | 'federal';
  title: string;
  nomination: string;
  organizer?: string;
  regulation?: string;
  applicationsFrom: string;
  applicationsTo: string;
  resubmitTo?: string | null;
  reviewTo?: string | null;
  meetingAt?: string | null;
  meetingPlace?: string;
  agenda?: string[];
  method: 'ranking' | 'criteria';
  criteria?: Criterion[];
  recommendTop?: number;
  complianceNote?: string;
  categories?: Array<{ code: string; name: string; municipalityTypes: string[] }>;
}

const instant = (field: string, v: string) => {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw invalid(field, 'not a date-time');
  return d;
};

function checkCriteria(method: 'ranking' | 'criteria', criteria: Criterion[] | undefined) {
  if (method !== 'criteria') return;
  if (!criteria || criteria.length === 0) throw invalid('criteria', 'the criteria method needs at least one criterion');
  const codes = new Set<string>();
  for (const c of criteria) {
    if (codes.has(c.code)) throw invalid('criteria', `criterion ${c.code} is listed twice`);
    codes.add(c.code);
    if (!(c.weight > 0)) throw invalid('criteria', `«${c.name}»: the weight must be positive`);
  }
}

function windowOf(input: Partial<ContestInput>, from: Date, to: Date) {
  if (to.getTime() <= from.getTime()) throw invalid('applicationsTo', 'the window closes before it opens');
  const resubmit = input.resubmitTo ? instant('resubmitTo', input.resubmitTo) : null;
  if (resubmit && resubmit.getTime() < to.getTime())
    throw invalid('resubmitTo', 'resubmission cannot end before the window closes');
  return resubmit;
}

/** The region's administrator sets up a contest: stage, nomination, window, method, categories (default I and II). */
export async function createContest(db: Db, ctx: CommandContext, regionId: number, input: ContestInput) {
  const p = principalOf(ctx);
  const region = await findRegion(db, regionId);
  if (!region) throw notFound('Region');
  if (!isRegionalAdmin(p, regionId)) throw new AppError('FORBIDDEN', 'Only the region’s administrator sets up a contest');
  checkCriteria(input.method, input.criteria);
  const from = instant('applicationsFrom', input.applicationsFrom);
  const to = instant('applicationsTo', input.applicationsTo);
  const resubmit = windowOf(input, from, to);
  const categories = input.categories ?? DEFAULT_CATEGORIES.map((c) => ({ ...c, municipalityTypes: [...c.municipalityTypes] }));
  checkCategories(categories);
  return db.transaction().execute(async (trx) => {
    const dup = await trx
      .selectFrom('contest')
      .select('id')
      .where('region_id', '=', regionId)
      .where('year', '=', input.year)
      .where('stage', '=', input.stage)
      .where('nomination', '=', input.nomination)
      .executeTakeFirst();
    if (dup)
      throw new AppError('CONFLICT', `This nomination already has a ${input.stage} contest in ${input.year} (id ${dup.id})`);
    const row = await trx
      .insertInto('contest')
      .values({
        region_id: regionId,
        year: input.year,
        stage: input.stage,
        title: input.title.trim(),
        nomination: input.nomination.trim(),
        organizer: input.organizer ?? '',
        regulation: input.regulation ?? '',
        applications_from: from,
        applications_to: to,
        resubmit_to: resubmit,
        review_to: input.reviewTo ? instant('reviewTo', input.reviewTo) : null,
        meeting_at: input.meetingAt ? instant('meetingAt', input.meetingAt) : null,
        meeting_place: input.meetingPlace ?? '',
        agenda: JSON.stringify(input.agenda ?? []),
        method: input.method,
        criteria: JSON.stringify(input.method === 'criteria' ? input.criteria : []),
        recommend_top: input.recommendTop ?? 1,
        compliance_note: input.complianceNote ?? '',
        created_by: p.userId,
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('contest_category')
      .values(
        categories.map((c, i) => ({
          contest_id: row.id,
          code: c.code,
          name: c.name,
          municipality_types: c.municipalityTypes as never,
          position: i,
          tiebreak: null,
        })),
      )
      .execute();
    await writeAudit(trx, ctx, { action: 'contest.create', entityType: 'contest', entityId: row.id, after: { ...input } });
    return row.id;
  });
}

function checkCategories(categories: Array<{ code: string; municipalityTypes: string[] }>) {
  const seen = new Map<string, string>();
  for (const c of categories) {
    for (const t of c.municipalityTypes) {
      const other = seen.get(t);
      if (other) throw invalid('categories', `the municipality type ${t} is in both category ${other} and ${c.code}`);
      seen.set(t, c.code);
    }
  }
}

/** Changes the setup while the contest is being prepared (the window, agenda, method, note of the compliance check). */
export async function updateContest(db: Db, ctx: CommandContext, id: number, input: Partial<ContestInput>) {
  if (input.categories) throw invalid('categories', 'categories are fixed once the contest is created');
  return db.transaction().execute(async (trx) => {
    const c = await contestFor(trx, ctx, id, true);
    requireRegionalAdmin(ctx, c, 'changes the contest');
    requireStatus(c, ['setup'], 'change the contest');
    const method = input.method ?? c.method;
    if (input.method !== undefined || input.criteria !== undefined) {
      const votes = await trx.selectFrom('contest_vote').select('id').where('contest_id', '=', id).executeTakeFirst();
      if (votes) throw new AppError('CONFLICT', 'The method cannot change once votes are recorded');
      checkCriteria(method, input.criteria ?? (c.criteria as Criterion[]));
    }
    const from = input.applicationsFrom ? instant('applicationsFrom', input.applicationsFrom) : c.applications_from;
    const to = input.applicationsTo ? instant('applicationsTo', input.applicationsTo) : c.applications_to;
    const resubmit = input.resubmitTo !== undefined ? windowOf(input, from, to) : (windowOf({}, from, to) ?? c.resubmit_to);
    const changes = {
      ...(input.year !== undefined && { year: input.year }),
      ...(input.stage !== undefined && { stage: input.stage }),
      ...(input.title !== undefined && { title: input.title.trim() }),
      ...(input.nomination !== undefined && { nomination: input.nomination.trim() }),
      ...(input.organizer !== undefined && { organizer: input.organizer }),
      ...(input.regulation !== undefined && { regulation: input.regulation }),
      applications_from: from,
      applications_to: to,
      resubmit_to: resubmit,
      ...(input.reviewTo !== undefined && { review_to: input.reviewTo ? instant('reviewTo', input.reviewTo) : null }),
      ...(input.meetingAt !== undefined && { meeting_at: input.meetingAt ? instant('meetingAt', input.meetingAt) : null }),
      ...(input.meetingPlace !== undefined && { meeting_place: input.meetingPlace }),
      ...(input.agenda !== undefined && { agenda: JSON.stringify(input.agenda) }),
      method,
      ...(input.criteria !== undefined && { criteria: JSON.stringify(method === 'criteria' ? input.criteria : []) }),
      ...(input.recommendTop !== undefined && { recommend_top: input.recommendTop }),
      ...(input.complianceNote !== undefined && { compliance_note: input.complianceNote }),
      updated_at: ctx.now,
    };
    await trx.updateTable('contest').set(changes).where('id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'contest.update', entityType: 'contest', entityId: id, after: { ...input } });
  });
}

export interface MemberInput {
  role: MemberRole;
  lastName: string;
  firstName: string;
  middleName?: string | null;
  position: string;
  userId?: number | null;
}

/**
 * The commission, replaced as a whole list while the contest is being prepared: one chair, at most one deputy and one
 * secretary, members with positions; a person with an account must hold the commission member's role in the region
 * (that account votes), others are names whose ballots the secretary records from paper.
 */
export async function saveCommission(db: Db, ctx: CommandContext, id: number, members: MemberInput[]) {
  const chairs = members.filter((m) => m.role === 'chair').length;
  if (chairs !== 1) throw invalid('members', 'the commission has exactly one chair');
  for (const r of ['deputy_chair', 'secretary'] as const) {
    if (members.filter((m) => m.role === r).length > 1) throw invalid('members', `at most one ${r}`);
  }
  const users = members.map((m) => m.userId).filter((u): u is number => u !== undefined && u !== null);
  if (new Set(users).size !== users.length) throw invalid('members', 'a person sits on the commission once');
  return db.transaction().execute(async (trx) => {
    const c = await contestFor(trx, ctx, id, true);
    requireRegionalAdmin(ctx, c, 'forms the commission');
    requireStatus(c, ['setup'], 'change the commission');
    for (const [i, m] of members.entries()) {
      if (m.userId && !(await isCommissionUser(trx, m.userId, c.region_id))) {
        throw invalid(`members.${i}.userId`, 'this person has no commission member’s role in the region');
      }
    }
    const before = await membersOf(trx, id);
    await trx.deleteFrom('contest_member').where('contest_id', '=', id).execute();
    await trx
      .insertInto('contest_member')
      .values(
        members.map((m, i) => ({
          contest_id: id,
          role: m.role,
          last_name: m.lastName.trim(),
          first_name: m.firstName.trim(),
          middle_name: m.middleName?.trim() || null,
          position: m.position.trim(),
          user_id: m.userId ?? null,
          present: null,
          sort: i,
        })),
      )
      .execute();
    await writeAudit(trx, ctx, {
      action: 'contest.commission',
      entityType: 'contest',
      entityId: id,
      before: before.map((m) => ({ role: m.role, name: `${m.last_name} ${m.first_name}`, userId: m.user_id })),
      after: members,
    });
  });
}

export interface AssignmentInput {
  text: string;
  responsible: string;
  dueOn?: string | null;
}

/** The assignments of the decision («поручения»: what, who, by when), replaced as a list until the protocol is approved. */
export async function saveAssignments(db: Db, ctx: CommandContext, id: number, items: AssignmentInput[]) {
  return db.transaction().execute(async (trx) => {
    const c = await contestFor(trx, ctx, id, true);
    requireRegionalAdmin(ctx, c, 'records the decisions');
    requireStatus(c, ['setup', 'meeting', 'decided'], 'change the assignments');
    const before = await assignmentsOf(trx, id);
    await trx.deleteFrom('contest_assignment').where('contest_id', '=', id).execute();
    if (items.length) {
      await trx
        .insertInto('contest_assignment')
        .values(
          items.map((a, i) => ({
            contest_id: id,
            text: a.text.trim(),
            responsible: a.responsible.trim(),
            due_on: a.dueOn ?? null,
            sort: i,
          })),
        )
        .execute();
    }
    await writeAudit(trx, ctx, { action: 'contest.assignments', entityType: 'contest', entityId: id, before, after: items });
  });
}
