import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, invalid } from '../../../core/http/errors.ts';
import { formatRuDate, type Regime } from '../../../core/time/index.ts';
import { readSettings } from '../../calendar/index.ts';
import { deadlinesFor, type StoredDeadline } from '../case-deadlines.ts';
import { findCase, findCategory, findMunicipalityForCases } from '../cases.repository.ts';
import { recordStep } from './record-step.ts';
import type { Calendars } from './submit-case.ts';

export interface ExtendAnswerInput {
  reason: string;
  /** Up to 30 days (59-ФЗ ст. 12 ч. 2); 30 when not given. */
  days?: number;
}

/**
 * A head extends the answer period once, by up to 30 days, with a reason (59-ФЗ ст. 12 ч. 2); the new answer
 * deadline is core/time's `extended_answer` (with the calendar in force now), the applicant is told by letter.
 * `late` = the extension came after the answer deadline it extends.
 */
export async function extendAnswer(db: Db, ctx: CommandContext, calendars: Calendars, id: number, input: ExtendAnswerInput) {
  const reason = input.reason.trim();
  if (!reason) throw invalid('reason', 'say why the answer needs more time');
  const days = input.days ?? 30;
  if (!Number.isInteger(days) || days < 1 || days > 30) throw invalid('days', 'from 1 to 30 days (59-ФЗ ст. 12 ч. 2)');
  // The calendar is read before the transaction (on PGlite a read on `db` inside it would wait for itself).
  const before = await findCase(db, id);
  const region = before ? (await findMunicipalityForCases(db, before.municipality_id))?.iso_code : undefined;
  const calendar = await calendars.calendarFor(region);
  let extended: StoredDeadline | undefined;
  return recordStep(db, ctx, id, {
    name: 'extend',
    event: 'extended',
    check: async (c, trx) => {
      const m = await findMunicipalityForCases(trx, c.municipality_id);
      const category = c.category_id === null ? undefined : await findCategory(trx, c.category_id);
      const all = readSettings(m?.deadline_settings);
      const own = all[c.regime as Regime] ?? {};
      const control = own.internalControl ?? {};
      const next = deadlinesFor({
        regime: c.regime as Regime,
        receivedAt: c.received_at,
        registeredAt: c.registered_at ?? c.received_at,
        zone: c.time_zone,
        calendar,
        settings: {
          ...all,
          [c.regime]: {
            ...own,
            internalControl: { ...control, extended_answer: Math.min(days, control.extended_answer ?? 30) },
          },
        },
        category: category?.totko_code ?? null,
      });
      extended = next.stored.find((d) => d.kind === 'extended_answer');
      if (!extended) throw new AppError('CONFLICT', 'No extension rule applies to this case');
    },
    update: (c) => {
      const e = extended as StoredDeadline;
      const stored = ((c.deadlines ?? []) as StoredDeadline[]).filter((d) => d.kind !== 'extended_answer');
      return {
        extension_count: c.extension_count + 1,
        answer_due_at: new Date(e.dueAt),
        deadlines: JSON.stringify([...stored, e]),
        ...(c.due_kind === 'answer' && {
          due_at: new Date(e.dueAt),
          due_kind: 'extended_answer',
          due_rule: e.rule,
          due_source: e.source,
        }),
      };
    },
    data: (c) => ({
      reason,
      days,
      from: ((c.deadlines ?? []) as StoredDeadline[]).find((d) => d.kind === 'answer')?.dueAt ?? null,
      to: extended?.dueAt,
      source: extended?.source,
      ...(c.answer_by === 'post' && { post_required: true }),
    }),
    deadline: (c) => c.answer_due_at,
    letter: (c) => ({
      subject: `Срок рассмотрения обращения ${c.number} продлён`,
      text: [
        `Срок рассмотрения вашего обращения ${c.number} продлён по ${extended ? formatRuDate(new Date(extended.dueAt), c.time_zone) : ''} включительно (${extended?.source}).`,
        `Причина: ${reason}`,
      ].join('\n'),
    }),
  });
}
