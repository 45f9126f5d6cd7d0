import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { invalid } from '../../../core/http/errors.ts';
import { recordStep } from './record-step.ts';

export interface RateAnswerInput {
  rating: number;
  comment?: string;
}

/** The applicant rates the answer they received, 1–5, with an optional comment; once (answered → rated). */
export function rateAnswer(db: Db, ctx: CommandContext, id: number, input: RateAnswerInput) {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) throw invalid('rating', 'from 1 to 5');
  const comment = input.comment?.trim() || null;
  return recordStep(db, ctx, id, {
    name: 'rate',
    event: 'rated',
    update: () => ({ status: 'rated' }),
    data: () => ({ rating: input.rating, comment }),
  });
}
