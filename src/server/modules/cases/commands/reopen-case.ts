import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, invalid } from '../../../core/http/errors.ts';
import type { Regime } from '../../../core/time/index.ts';
import { deadlinesFor, type StoredDeadline } from '../case-deadlines.ts';
import { findCase, findCategory, findMunicipalityForCases } from '../cases.repository.ts';
import { recordStep } from './record-step.ts';
import type { Calendars } from './submit-case.ts';

/**
 * The applicant disagrees with the answer and asks, with a reason, for the case to be considered again: it is in
 * work once more with a new answer period counted by core/time from now (and may be extended once again).
 */
export async function reopenCase(db: Db, ctx: CommandContext, calendars: Calendars, id: number, input: { reason: string }) {
  const reason = input.reason.trim();
  if (!reason) throw invalid('reason', 'say what the answer did not resolve');
  // Read before the transaction: on PGlite a read on `db` inside it would wait for itself.
  const before = await findCase(db, id);
  const m = before ? await findMunicipalityForCases(db, before.municipality_id) : undefined;
  const calendar = await calendars.calendarFor(m?.iso_code);
  let fresh: StoredDeadline[] = [];
  return recordStep(db, ctx, id, {
    name: 'reopen',
    event: 'reopened',
    check: async (c, trx) => {
      const category = c.category_id === null ? undefined : await findCategory(trx, c.category_id);
      const next = deadlinesFor({
        regime: c.regime as Regime,
        receivedAt: ctx.now,
        registeredAt: ctx.now,
        zone: c.time_zone,
        calendar,
        settings: m?.deadline_settings,
        category: category?.totko_code ?? null,
      });
      fresh = next.stored.filter((d) => d.kind === 'answer' || d.kind === 'extended_answer');
      if (!fresh.some((d) => d.kind === 'answer')) throw new AppError('CONFLICT', 'No answer period applies to this case');
    },
    update: (c) => {
      const answer = fresh.find((d) => d.kind === 'answer') as StoredDeadline;
      const kept = ((c.deadlines ?? []) as StoredDeadline[]).filter((d) => d.kind !== 'answer' && d.kind !== 'extended_answer');
      return {
        status: 'in_work',
        answer_due_at: new Date(answer.dueAt),
        due_at: new Date(answer.dueAt),
        due_kind: 'answer',
        due_rule: answer.rule,
        due_source: answer.source,
        deadlines: JSON.stringify([...kept, ...fresh]),
        extension_count: 0,
        draft_text: null,
        draft_result: null,
      };
    },
    data: () => ({ reason, answerDueAt: fresh.find((d) => d.kind === 'answer')?.dueAt ?? null }),
  });
}
