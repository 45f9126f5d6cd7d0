import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, invalid, notFound } from '../../../core/http/errors.ts';
import { applicationsOf, type ContestRow, categoriesOf, membersOf, votesOf } from '../contest.repository.ts';
import { isCommissionMember, isRegionalAdmin } from '../permissions.ts';
import { ballotProblem, type Criterion, hasQuorum, type Tally, type TieBreak, tally } from '../tally.ts';
import { contestFor, principalOf, requireRegionalAdmin, requireStatus } from './access.ts';

/** Attendance at the meeting: the members present (the others absent), recorded before voting opens. */
export async function recordAttendance(db: Db, ctx: CommandContext, id: number, present: number[]) {
  return db.transaction().execute(async (trx) => {
    const c = await contestFor(trx, ctx, id, true);
    requireRegionalAdmin(ctx, c, 'records the attendance');
    requireStatus(c, ['setup'], 'record the attendance');
    const members = await membersOf(trx, id);
    for (const m of present)
      if (!members.some((x) => x.id === m)) throw invalid('present', `member ${m} is not on this commission`);
    for (const m of members) {
      await trx
        .updateTable('contest_member')
        .set({ present: present.includes(m.id) })
        .where('id', '=', m.id)
        .execute();
    }
    await writeAudit(trx, ctx, { action: 'contest.attendance', entityType: 'contest', entityId: id, after: { present } });
  });
}

/**
 * Opens the meeting for voting. Needs: the commission with its quorum present (more than half of the members), every
 * submitted application checked (none waiting in «submitted» or «conforms» — admit or return them first).
 */
export async function openMeeting(db: Db, ctx: CommandContext, id: number) {
  return db.transaction().execute(async (trx) => {
    const c = await contestFor(trx, ctx, id, true);
    requireRegionalAdmin(ctx, c, 'opens the meeting');
    requireStatus(c, ['setup'], 'open the meeting');
    const members = await membersOf(trx, id);
    const present = members.filter((m) => m.present).length;
    if (!hasQuorum(present, members.length)) {
      throw new AppError('CONFLICT', `Нет кворума: ${present} of ${members.length} members present; more than half are needed`);
    }
    const waiting = (await applicationsOf(trx, id)).filter((a) => a.status === 'submitted' || a.status === 'conforms');
    if (waiting.length) {
      throw new AppError('CONFLICT', `Finish the compliance check first: ${waiting.map((a) => a.applicant_name).join(', ')}`);
    }
    await trx.updateTable('contest').set({ status: 'meeting', updated_at: ctx.now }).where('id', '=', id).execute();
    await writeAudit(trx, ctx, {
      action: 'contest.meeting_open',
      entityType: 'contest',
      entityId: id,
      before: { status: c.status },
      after: { status: 'meeting', present, members: members.length },
    });
  });
}

export interface BallotInput {
  categoryId: number;
  /** A paper ballot the region's administrator (the secretary) records for a member without an account. */
  memberId?: number;
  ranking?: number[];
  scores?: Array<{ applicationId: number; scores: Record<string, number> }>;
}

/**
 * One member's ballot for one category, recorded once: a commission member with an account votes for their own
 * seat; the region's administrator records the paper ballot of a member without one. Only members present, only
 * while the meeting is open, only admitted applications of the category; a second ballot is 409 and never replaces
 * the first (the votes table refuses updates).
 */
export async function castBallot(db: Db, ctx: CommandContext, id: number, input: BallotInput) {
  const p = principalOf(ctx);
  return db.transaction().execute(async (trx) => {
    const c = await contestFor(trx, ctx, id, true);
    const members = await membersOf(trx, id);
    const own = members.find((m) => m.user_id === p.userId && isCommissionMember(p, c.region_id));
    let seat = own;
    let onPaper = false;
    if (input.memberId !== undefined && input.memberId !== own?.id) {
      const m = members.find((x) => x.id === input.memberId);
      if (!isRegionalAdmin(p, c.region_id)) throw forbidden('Only commission members vote, each for themselves');
      if (!m) throw invalid('memberId', 'no such member on this commission');
      if (m.user_id !== null) throw forbidden('This member has an account and votes themselves');
      seat = m;
      onPaper = true;
    }
    if (!seat) throw forbidden('Only members of this contest’s commission vote');
    requireStatus(c, ['meeting'], 'vote');
    if (!seat.present) throw new AppError('CONFLICT', 'The member is not recorded as present at the meeting');
    const category = (await categoriesOf(trx, id)).find((k) => k.id === input.categoryId);
    if (!category) throw invalid('categoryId', 'no such category in this contest');
    const admitted = (await applicationsOf(trx, id))
      .filter((a) => a.category_id === category.id && a.status === 'admitted')
      .map((a) => a.id);
    if (admitted.length === 0)
      throw new AppError('CONFLICT', `Категория ${category.code}: заявок не поступило — nothing to vote on`);
    const already = await trx
      .selectFrom('contest_vote')
      .select('id')
      .where('member_id', '=', seat.id)
      .where('category_id', '=', category.id)
      .executeTakeFirst();
    if (already) throw new AppError('CONFLICT', 'This member has already voted in this category; a vote is not changed');
    const problem = ballotProblem(c.method, admitted, input, c.criteria as Criterion[]);
    if (problem) throw invalid(problem.field, problem.reason);
    const rows =
      c.method === 'ranking'
        ? (input.ranking ?? []).map((applicationId, i) => ({ applicationId, rank: i + 1, scores: null }))
        : (input.scores ?? []).map((s) => ({ applicationId: s.applicationId, rank: null, scores: JSON.stringify(s.scores) }));
    await trx
      .insertInto('contest_vote')
      .values(
        rows.map((r) => ({
          contest_id: id,
          member_id: seat.id,
          category_id: category.id,
          application_id: r.applicationId,
          rank: r.rank,
          scores: r.scores,
          recorded_by: p.userId,
          on_paper: onPaper,
          recorded_at: ctx.now,
        })),
      )
      .execute();
    await writeAudit(trx, ctx, {
      action: 'contest.vote',
      entityType: 'contest',
      entityId: id,
      after: { memberId: seat.id, categoryId: category.id, onPaper, ranking: input.ranking, scores: input.scores },
    });
  });
}

/** The tally of every category as it stands. */
export async function tallies(db: Db, c: ContestRow): Promise<Array<{ categoryId: number; tally: Tally }>> {
  const [categories, applications, votes] = await Promise.all([
    categoriesOf(db, c.id),
    applicationsOf(db, c.id),
    votesOf(db, c.id),
  ]);
  return categories.map((k) => {
    const ids = applications.filter((a) => a.category_id === k.id && a.status === 'admitted').map((a) => a.id);
    const ballots = votes
      .filter((v) => v.category_id === k.id)
      .map((v) => ({
        memberId: v.member_id,
        applicationId: v.application_id,
        rank: v.rank,
        scores: v.scores as Record<string, number> | null,
      }));
    return { categoryId: k.id, tally: tally(c.method, ids, ballots, c.criteria as Criterion[], k.tiebreak as TieBreak | null) };
  });
}

/**
 * Records how a tie is broken — for example the chair's deciding vote — by the chair, or by the region's
 * administrator recording the chair's decision. It must order exactly the tied applications; it is recorded once.
 */
export async function breakTie(
  db: Db,
  ctx: CommandContext,
  id: number,
  categoryId: number,
  input: { order: number[]; basis: string },
) {
  const p = principalOf(ctx);
  return db.transaction().execute(async (trx) => {
    const c = await contestFor(trx, ctx, id, true);
    const chair = (await membersOf(trx, id)).find((m) => m.role === 'chair');
    if (!isRegionalAdmin(p, c.region_id) && !(chair?.user_id === p.userId && isCommissionMember(p, c.region_id))) {
      throw forbidden('Only the chair (or the region’s administrator recording the chair’s decision) breaks a tie');
    }
    requireStatus(c, ['meeting'], 'break a tie');
    const category = (await categoriesOf(trx, id)).find((k) => k.id === categoryId);
    if (!category) throw notFound('Category');
    if (category.tiebreak) throw new AppError('CONFLICT', 'The tie in this category is already broken');
    const t = (await tallies(trx, c)).find((x) => x.categoryId === categoryId)?.tally;
    const group = t?.unresolved.find((g) => g.some((a) => input.order.includes(a)));
    if (!group) throw new AppError('CONFLICT', 'There is no tie among these applications');
    if (group.length !== input.order.length || !group.every((a) => input.order.includes(a))) {
      throw invalid('order', `order exactly the tied applications: ${group.join(', ')}`);
    }
    const tiebreak = { order: input.order, basis: input.basis.trim(), recordedBy: p.userId, recordedAt: ctx.now.toISOString() };
    await trx
      .updateTable('contest_category')
      .set({ tiebreak: JSON.stringify(tiebreak) })
      .where('id', '=', categoryId)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'contest.tiebreak',
      entityType: 'contest',
      entityId: id,
      after: { categoryId, ...tiebreak },
    });
  });
}

/**
 * Closes the meeting: every category with applications has ballots and no unresolved tie; the places are fixed from
 * the tally and the top `recommend_top` of each category are recommended to the federal stage.
 */
export async function closeMeeting(db: Db, ctx: CommandContext, id: number) {
  return db.transaction().execute(async (trx) => {
    const c = await contestFor(trx, ctx, id, true);
    requireRegionalAdmin(ctx, c, 'closes the meeting');
    requireStatus(c, ['meeting'], 'close the meeting');
    const categories = await categoriesOf(trx, id);
    const all = await tallies(trx, c);
    const places: Array<{ id: number; place: number | null; recommended: boolean }> = [];
    for (const { categoryId, tally: t } of all) {
      const code = categories.find((k) => k.id === categoryId)?.code;
      if (t.empty) continue;
      if (t.rows.every((r) => r.ballots === 0)) throw new AppError('CONFLICT', `Category ${code}: no votes recorded yet`);
      if (t.unresolved.length) {
        throw new AppError(
          'CONFLICT',
          `Category ${code}: a tie between applications ${t.unresolved.map((g) => g.join(' and ')).join('; ')} must be broken first`,
        );
      }
      for (const r of t.rows)
        places.push({ id: r.applicationId, place: r.place, recommended: r.place !== null && r.place <= c.recommend_top });
    }
    for (const x of places) {
      await trx
        .updateTable('contest_application')
        .set({ place: x.place, recommended: x.recommended })
        .where('id', '=', x.id)
        .execute();
    }
    await trx.updateTable('contest').set({ status: 'decided', updated_at: ctx.now }).where('id', '=', id).execute();
    await writeAudit(trx, ctx, {
      action: 'contest.meeting_close',
      entityType: 'contest',
      entityId: id,
      before: { status: c.status },
      after: { status: 'decided', places },
    });
  });
}

/** Approves the protocol (number, date, who approves): from now on nothing in the contest changes. */
export async function approveProtocol(
  db: Db,
  ctx: CommandContext,
  id: number,
  input: { number: string; approvedOn: string; approverPosition?: string; approverName?: string },
) {
  return db.transaction().execute(async (trx) => {
    const c = await contestFor(trx, ctx, id, true);
    requireRegionalAdmin(ctx, c, 'approves the protocol');
    requireStatus(c, ['decided'], 'approve the protocol');
    const chair = (await membersOf(trx, id)).find((m) => m.role === 'chair');
    const changes = {
      status: 'approved',
      protocol_number: input.number.trim(),
      approved_on: input.approvedOn,
      approver_position: input.approverPosition?.trim() || chair?.position || '',
      approver_name:
        input.approverName?.trim() ||
        (chair ? `${chair.first_name[0]}.${chair.middle_name ? `${chair.middle_name[0]}.` : ''} ${chair.last_name}` : ''),
      updated_at: ctx.now,
    };
    await trx.updateTable('contest').set(changes).where('id', '=', id).execute();
    await writeAudit(trx, ctx, {
      action: 'contest.protocol_approve',
      entityType: 'contest',
      entityId: id,
      before: { status: c.status },
      after: changes,
    });
  });
}

/** Publishes the winners (the public results list shows published contests only). */
export async function publishResults(db: Db, ctx: CommandContext, id: number) {
  return db.transaction().execute(async (trx) => {
    const c = await contestFor(trx, ctx, id, true);
    requireRegionalAdmin(ctx, c, 'publishes the results');
    requireStatus(c, ['approved'], 'publish the results');
    await trx
      .updateTable('contest')
      .set({ status: 'published', published_at: ctx.now, updated_at: ctx.now })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'contest.publish',
      entityType: 'contest',
      entityId: id,
      before: { status: c.status },
      after: { status: 'published' },
    });
  });
}
