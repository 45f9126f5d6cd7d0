import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import type { CaseRegime } from '../../../core/db/schema.ts';
import { AppError, invalid } from '../../../core/http/errors.ts';
import { formatRuDate } from '../../../core/time/index.ts';
import { type CaseDeadlines, deadlinesFor } from '../case-deadlines.ts';
import { findCase, findCategory, findMunicipalityForCases } from '../cases.repository.ts';
import { recordStep } from './record-step.ts';
import type { Calendars } from './submit-case.ts';

const REGIME_NAMES: Record<CaseRegime, string> = {
  appeal: 'обращение (59-ФЗ)',
  message: 'сообщение',
  incident: 'инцидент',
};

/**
 * A head or an operator changes the regime of a case not yet answered — a ПОС message that is in fact an appeal under
 * 59-ФЗ, or the reverse. The history stays (a `converted` event; the number, the channel and every earlier step are
 * kept) and the deadlines are those of the new regime counted from the original receipt and registration, as if it
 * had been registered so (core/time with the municipality's calendar and settings). `late` is not decided here: the
 * conversion has no deadline of its own.
 */
export async function convertCase(
  db: Db,
  ctx: CommandContext,
  calendars: Calendars,
  id: number,
  input: { regime: CaseRegime; reason: string },
) {
  const reason = input.reason.trim();
  if (!reason) throw invalid('reason', 'say why the case belongs to the other regime');
  // The calendar is read before the transaction (on PGlite a read on `db` inside it would wait for itself).
  const before = await findCase(db, id);
  const m = before ? await findMunicipalityForCases(db, before.municipality_id) : undefined;
  const calendar = await calendars.calendarFor(m?.iso_code);
  let next: CaseDeadlines | undefined;
  return recordStep(db, ctx, id, {
    name: 'convert',
    event: 'converted',
    check: async (c, trx) => {
      if (c.regime === input.regime) {
        throw new AppError('CONFLICT', `The case is already in the regime "${input.regime}"`);
      }
      const category = c.category_id === null ? undefined : await findCategory(trx, c.category_id);
      next = deadlinesFor({
        regime: input.regime,
        receivedAt: c.received_at,
        registeredAt: c.registered_at ?? c.received_at,
        zone: c.time_zone,
        calendar,
        settings: m?.deadline_settings,
        category: category?.totko_code ?? null,
      });
    },
    update: () => {
      const d = next as CaseDeadlines;
      return {
        regime: input.regime,
        deadlines: JSON.stringify(d.stored),
        due_at: d.primary?.dueAt ?? null,
        due_kind: d.primary?.kind ?? null,
        due_rule: d.primary?.rule ?? null,
        due_source: d.primary?.source ?? null,
        answer_due_at: d.answer?.dueAt ?? null,
        extension_count: 0,
      };
    },
    data: (c) => ({
      from: c.regime,
      to: input.regime,
      reason,
      answerDueAt: next?.answer?.dueAtText ?? next?.primary?.dueAtText ?? null,
    }),
    letter: (c) => ({
      subject: `Порядок рассмотрения ${c.number} изменён`,
      text: [
        `Ваше ${REGIME_NAMES[c.regime]} ${c.number} будет рассмотрено как ${REGIME_NAMES[input.regime]}.`,
        `Причина: ${reason}`,
        next?.answer
          ? `Срок ответа — по ${formatRuDate(next.answer.dueAt, c.time_zone)} включительно (${next.answer.source}).`
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
    }),
  });
}
