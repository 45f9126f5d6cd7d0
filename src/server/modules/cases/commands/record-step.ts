import type { Updateable } from 'kysely';
import { writeAudit } from '../../../core/audit/audit.ts';
import type { Principal } from '../../../core/auth/principal.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import type { CaseTable } from '../../../core/db/schema.ts';
import { AppError, notFound } from '../../../core/http/errors.ts';
import { enqueueMail } from '../../../core/mail/mail-job.ts';
import { type CaseRow, lockCase } from '../cases.repository.ts';
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
};

export interface Step {
  /** The action's name in the audit log (`case.<action>`) and its timeline event type. */
  action: string;
  event: string;
  /** Statuses the step may start from. */
  from: readonly string[];
  /** 403 unless the caller may do it (after the 404 for a case outside their municipality). */
  allowed: (p: Principal, c: CaseRow) => boolean;
  forbidden: string;
  /** Input checks that need the case (400), run before any change. */
  check?: (c: CaseRow, trx: Db) => Promise<void> | void;
  update: (c: CaseRow) => Updateable<CaseTable>;
  data: (c: CaseRow) => Record<string, unknown>;
  /** The deadline in force for this step, if any: `late` is decided against it at `ctx.now`. */
  deadline?: (c: CaseRow) => Date | null;
  letter?: (c: CaseRow) => { subject: string; text: string } | null;
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
    if (!step.allowed(p, c)) throw new AppError('FORBIDDEN', step.forbidden);
    if (!step.from.includes(c.status)) {
      throw new AppError(
        'CONFLICT',
        `Cannot ${step.action.replace('_', ' ')}: the case is "${STATUS_NAMES[c.status] ?? c.status}" (${c.status}); ` +
          `this needs ${step.from.map((s) => `"${s}"`).join(' or ')}`,
      );
    }
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
      action: `case.${step.action}`,
      entityType: 'case',
      entityId: c.id,
      municipalityId: c.municipality_id,
      before: { status: c.status },
      after: { status: changes.status ?? c.status, ...data },
    });
    const letter = step.letter?.(c);
    if (letter && c.email && c.answer_by !== 'post') await enqueueMail(trx, ctx, { to: c.email, ...letter });
    return c.id;
  });
}
