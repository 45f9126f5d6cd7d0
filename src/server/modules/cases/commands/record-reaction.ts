import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, notFound } from '../../../core/http/errors.ts';
import { storedDue } from '../case-deadlines.ts';
import { lockCase, OPEN_STATUSES } from '../cases.repository.ts';
import { canReadCasesOf } from '../permissions.ts';

export interface FirstReaction {
  caseId: number;
  /** When the reaction happened (a reply published in the thread, or confirmed as published by hand). */
  at: Date;
  /** How: `social_reply`, `social_reply_manual`… (kept on the timeline event). */
  via: string;
  /** More to keep on the event (the reply's link). */
  data?: Record<string, unknown>;
}

export interface RecordedReaction {
  /** False when the case already had its first reaction (the first one counts; nothing is written). */
  recorded: boolean;
  deadlineAt: Date | null;
  late: boolean | null;
}

/**
 * An incident's first reaction (the regional incident regulations' reaction clock; core/time rules.ts, kind
 * `first_reaction`, default 24 h per category): a `first_reaction` timeline event at `at` with `late` against the
 * first-reaction deadline stored at registration, the audit row, and the queue's deadline moved on — an incident has
 * no deadline after its first reaction, so `due_at` is cleared when it was the first reaction's (reminders stop).
 *
 * Runs in the caller's transaction (`trx`): the module that made the reaction (monitoring: a published reply) stores
 * its own change in the same commit. 404 outside the caller's municipality; 409 unless an open incident. Only the
 * first reaction counts: a later call records nothing.
 */
export async function recordFirstReaction(trx: Db, ctx: CommandContext, input: FirstReaction): Promise<RecordedReaction> {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to work on a case');
  const c = await lockCase(trx, input.caseId);
  if (!c || !canReadCasesOf(p, c.municipality_id)) throw notFound('Case');
  if (c.regime !== 'incident') throw new AppError('CONFLICT', 'Only an incident has a first-reaction deadline');
  const deadlineAt = storedDue(c, 'first_reaction');
  const already = await trx
    .selectFrom('case_event')
    .select('id')
    .where('case_id', '=', c.id)
    .where('type', '=', 'first_reaction')
    .executeTakeFirst();
  if (already) return { recorded: false, deadlineAt, late: null };
  if (!(OPEN_STATUSES as readonly string[]).includes(c.status)) {
    throw new AppError('CONFLICT', `The incident is no longer open (${c.status})`);
  }
  const late = deadlineAt ? input.at.getTime() > deadlineAt.getTime() : null;
  await trx
    .insertInto('case_event')
    .values({
      case_id: c.id,
      at: input.at,
      actor_user_id: p.userId,
      type: 'first_reaction',
      data: JSON.stringify({ via: input.via, ...input.data }),
      deadline_at: deadlineAt,
      late,
    })
    .execute();
  if (c.due_kind === 'first_reaction') {
    await trx
      .updateTable('case')
      .set({ due_at: null, due_kind: null, due_rule: null, due_source: null })
      .where('id', '=', c.id)
      .execute();
  }
  await writeAudit(trx, ctx, {
    action: 'case.first_reaction',
    entityType: 'case',
    entityId: c.id,
    municipalityId: c.municipality_id,
    after: { at: input.at.toISOString(), via: input.via, deadlineAt: deadlineAt?.toISOString() ?? null, late },
  });
  return { recorded: true, deadlineAt, late };
}
