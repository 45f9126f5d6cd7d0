import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { invalid } from '../../../core/http/errors.ts';
import { formatRuDate } from '../../../core/time/index.ts';
import type { CaseRow } from '../cases.repository.ts';
import { answerClusterMembers } from './answer-cluster.ts';
import { recordStep } from './record-step.ts';

export const RESULT_NAMES = {
  supported: 'поддержано',
  not_supported: 'не поддержано',
  explained: 'разъяснено',
} as const;

/**
 * A head of the municipality approves the draft: the case is answered, the answer is the applicant's to read, and
 * the letter is queued (by post: the event says a paper letter is required). `late` = after the answer deadline
 * in force at this moment.
 */
export function approveAnswer(db: Db, ctx: CommandContext, id: number) {
  return recordStep(db, ctx, id, {
    name: 'approve-answer',
    event: 'answered',
    update: (c) => ({
      status: 'answered',
      answer_text: c.draft_text,
      answer_result: c.draft_result,
      answered_at: ctx.now,
      due_at: null,
      due_kind: null,
      due_rule: null,
      due_source: null,
    }),
    data: (c) => ({ result: c.draft_result, ...(c.answer_by === 'post' && { post_required: true }) }),
    deadline: (c) => c.answer_due_at,
    letter: (c) => answerLetter(c, c.draft_text ?? '', c.draft_result),
    // A cluster's primary answers its open members too (answer-cluster.ts).
    after: (c, trx) => answerClusterMembers(trx, ctx, c, answerLetter),
  });
}

/** The applicant's letter with the answer to their case. */
export function answerLetter(c: CaseRow, text: string, result: CaseRow['answer_result']) {
  return {
    subject: `Ответ на обращение ${c.number}`,
    text: [
      `Ответ на ваше обращение ${c.number} от ${formatRuDate(c.received_at, c.time_zone)}.`,
      result ? `Результат: ${RESULT_NAMES[result]}.` : '',
      '',
      text,
    ]
      .filter((l, i) => l || i === 2)
      .join('\n'),
  };
}

/** A head sends the draft back to the executor with a comment; the case is in work again. */
export function returnDraft(db: Db, ctx: CommandContext, id: number, input: { comment: string }) {
  const comment = input.comment.trim();
  if (!comment) throw invalid('comment', 'say what to change in the draft');
  return recordStep(db, ctx, id, {
    name: 'return-draft',
    event: 'draft_returned',
    update: () => ({ status: 'in_work' }),
    data: () => ({ comment }),
  });
}
