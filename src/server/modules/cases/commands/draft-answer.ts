import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import type { AnswerResult } from '../../../core/db/schema.ts';
import { invalid } from '../../../core/http/errors.ts';
import { recordStep } from './record-step.ts';

export interface DraftAnswerInput {
  text: string;
  result: AnswerResult;
}

/**
 * The assigned executor writes the answer and its outcome (ССТУ: поддержано, не поддержано, разъяснено) for a head
 * to approve. The text stays on the case (staff only); the timeline, which the applicant sees, holds the outcome.
 */
export function draftAnswer(db: Db, ctx: CommandContext, id: number, input: DraftAnswerInput) {
  const text = input.text.trim();
  if (!text) throw invalid('text', 'write the answer');
  return recordStep(db, ctx, id, {
    name: 'draft-answer',
    event: 'answer_drafted',
    update: () => ({ status: 'answer_drafted', draft_text: text, draft_result: input.result }),
    data: () => ({ result: input.result }),
  });
}
