import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { invalid } from '../../../core/http/errors.ts';
import { storedDue } from '../case-deadlines.ts';
import { recordStep } from './record-step.ts';

export interface RedirectCaseInput {
  /** The body competent to answer, e.g. «Министерство строительства Кузбасса». */
  to: string;
  reason: string;
}

/**
 * A head sends the case to the body competent to answer it and tells the applicant (59-ФЗ ст. 8 ч. 3); the case is
 * closed here. `late` = after the seven days from the registration (the stored `redirect` deadline).
 */
export function redirectCase(db: Db, ctx: CommandContext, id: number, input: RedirectCaseInput) {
  const to = input.to.trim();
  const reason = input.reason.trim();
  if (!to) throw invalid('to', 'name the body the case goes to');
  if (!reason) throw invalid('reason', 'say why it is that body’s matter');
  return recordStep(db, ctx, id, {
    name: 'redirect',
    event: 'redirected',
    update: () => ({ status: 'redirected', due_at: null, due_kind: null, due_rule: null, due_source: null }),
    data: (c) => ({ to, reason, ...(c.answer_by === 'post' && { post_required: true }) }),
    deadline: (c) => storedDue(c, 'redirect'),
    letter: (c) => ({
      subject: `Обращение ${c.number} направлено по компетенции`,
      text: [`Ваше обращение ${c.number} направлено для рассмотрения в ${to} (59-ФЗ ст. 8 ч. 3).`, `Причина: ${reason}`].join(
        '\n',
      ),
    }),
  });
}
