import type { Updateable } from 'kysely';
import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import type { CaseTable } from '../../../core/db/schema.ts';
import { AppError, notFound } from '../../../core/http/errors.ts';
import { enqueueMail } from '../../../core/mail/mail-job.ts';
import { createNotice } from '../../notices/index.ts';
import { type ActionRule, CASE_ACTIONS, type CaseAction } from '../actions.ts';
import { type CaseRow, lockCase } from '../cases.repository.ts';
import { clusterBlock } from '../cluster-rules.ts';
import { canReadCasesOf } from '../permissions.ts';

/** Russian names of the statuses, for messages a person can act on. */
export const STATUS_NAMES: Record<string, string> = {
  registered: 'зарегистрировано',
  assigned: 'направлено исполнителю',
  in_work: 'в работе',
  answer_drafted: 'проект ответа на согласовании',
  answered: 'дан ответ',
  rated: 'ответ оценён',
  redirected: 'переадресовано',
  closed: 'закрыто без ответа по существу',
};

export interface Step {
  /** The action (its status, role and case rules are in CASE_ACTIONS); `case.<name>` in the audit log. */
  name: CaseAction;
  /** The timeline event type. */
  event: string;
  /** Input checks that need the case (400), run before any change. */
  check?: (c: CaseRow, trx: Db) => Promise<void> | void;
  update: (c: CaseRow) => Updateable<CaseTable>;
  data: (c: CaseRow) => Record<string, unknown>;
  /** The deadline in force for this step, if any: `late` is decided against it at `ctx.now`. */
  deadline?: (c: CaseRow) => Date | null;
  letter?: (c: CaseRow) => { subject: string; text: string } | null;
  /** More changes in the same transaction, after the case's own (approving a primary answers its cluster). */
  after?: (c: CaseRow, trx: Db) => Promise<unknown>;
}

/**
 * One workflow step on a case: 404 outside the caller's municipality, 403 for a role that may not, 409 from a
 * wrong status; then one transaction that updates the case row, appends its timeline event with `late` decided
 * now, writes the audit row and queues the applicant's letter where there is one.
 */
export async function recordStep(db: Db, ctx: CommandContext, id: number, step: Step) {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to work on a case');
  return db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, id);
    if (!c) throw notFound('Case');
    if (!canReadCasesOf(p, c.municipality_id) && c.applicant_user_id !== p.userId) throw notFound('Case');
    const rule: ActionRule = CASE_ACTIONS[step.name];
    if (!rule.allowed(p, c)) throw new AppError('FORBIDDEN', rule.forbidden);
    const inCluster = clusterBlock(c, step.name);
    if (inCluster) throw new AppError('CONFLICT', inCluster);
    if (!rule.from.includes(c.status)) {
      throw new AppError(
        'CONFLICT',
        `Cannot ${step.name.replaceAll('-', ' ')}: the case is "${STATUS_NAMES[c.status] ?? c.status}" (${c.status}); ` +
          `this needs ${rule.from.map((s) => `"${s}"`).join(' or ')}`,
      );
    }
    const blocked = rule.blockedBy?.(c);
    if (blocked) throw new AppError('CONFLICT', blocked);
    await step.check?.(c, trx);
    const now = ctx.now;
    const changes = step.update(c);
    await trx.updateTable('case').set(changes).where('id', '=', c.id).execute();
    const deadline = step.deadline?.(c) ?? null;
    const data = step.data(c);
    await trx
      .insertInto('case_event')
      .values({
        case_id: c.id,
        at: now,
        actor_user_id: p.userId,
        type: step.event,
        data: JSON.stringify(data),
        deadline_at: deadline,
        late: deadline ? now.getTime() > deadline.getTime() : null,
      })
      .execute();
    await writeAudit(trx, ctx, {
      action: `case.${step.name.replaceAll('-', '_')}`,
      entityType: 'case',
      entityId: c.id,
      municipalityId: c.municipality_id,
      before: { status: c.status },
      after: { status: changes.status ?? c.status, ...data },
    });
    const letter = step.letter?.(c);
    if (letter && c.email && c.answer_by !== 'post') await enqueueMail(trx, ctx, { to: c.email, ...letter });
    // The same letter in the applicant's cabinet (also when it goes by post or no e-mail is known).
    if (letter && c.applicant_user_id !== null) {
      await createNotice(trx, ctx.now, {
        userId: c.applicant_user_id,
        caseId: c.id,
        kind: `case_${step.event}`,
        title: letter.subject,
        text: letter.text,
      });
    }
    await step.after?.(c, trx);
    return c.id;
  });
}
