import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, notFound } from '../../../core/http/errors.ts';
import { type JobRow, retryDeadJob } from '../../../core/jobs/index.ts';

/**
 * Sends a dead-letter job back to the queue with a fresh set of attempts, due now; audited in the same
 * transaction. Only a dead job can be retried (a pending or running one is already on its way).
 */
export async function retryJob(db: Db, ctx: CommandContext, id: number): Promise<JobRow> {
  return db.transaction().execute(async (trx) => {
    const result = await retryDeadJob(trx, id, ctx.now);
    if (!result) throw notFound(`Job ${id}`);
    const { before, after } = result;
    if (!after) {
      throw new AppError('CONFLICT', `Job ${id} is ${before.status}; only a dead (dead-letter) job can be retried`);
    }
    await writeAudit(trx, ctx, {
      action: 'job.retry',
      entityType: 'job',
      entityId: id,
      before: { name: before.name, status: before.status, attempts: before.attempts, lastError: before.lastError },
      after: { status: after.status, attempts: after.attempts, runAt: after.runAt.toISOString() },
    });
    return after;
  });
}
