import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { recordStep } from './record-step.ts';

/** The executor the case is assigned to takes it into work. */
export function startWork(db: Db, ctx: CommandContext, id: number) {
  return recordStep(db, ctx, id, {
    name: 'start',
    event: 'in_work',
    update: () => ({ status: 'in_work' }),
    data: () => ({}),
  });
}
