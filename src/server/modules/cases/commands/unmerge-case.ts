import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, notFound } from '../../../core/http/errors.ts';
import { CASE_ACTIONS } from '../actions.ts';
import { findCase } from '../cases.repository.ts';
import { isOpenStatus } from '../cluster-rules.ts';
import { leaveCluster, lockCases } from '../clusters.repository.ts';
import { canReadCasesOf } from '../permissions.ts';

/**
 * A head or an operator takes a member out of its cluster (merged by mistake): it is a case of its own again.
 * 409 unless the case is an open member. Events `unmerged` on the case and on the primary, one audit row.
 */
export async function unmergeCase(db: Db, ctx: CommandContext, id: number) {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to change a cluster');
  const seen = await findCase(db, id);
  if (!seen || !canReadCasesOf(p, seen.municipality_id)) throw notFound('Case');
  return db.transaction().execute(async (trx) => {
    // The primary first, then the member: the order approving and merging take.
    await lockCases(trx, seen.cluster_primary_id !== null ? [seen.cluster_primary_id, id] : [id]);
    const c = await findCase(trx, id);
    if (!c) throw notFound('Case');
    const rule = CASE_ACTIONS.unmerge;
    if (!rule.allowed(p, c)) throw new AppError('FORBIDDEN', rule.forbidden);
    if (!isOpenStatus(c.status)) {
      throw new AppError('CONFLICT', `${c.number} is no longer open; its cluster is history`);
    }
    const blocked = rule.blockedBy(c);
    if (blocked) throw new AppError('CONFLICT', blocked);
    // Moved to another cluster between the first read and the lock: the lock order no longer holds, start again.
    if (c.cluster_primary_id !== seen.cluster_primary_id) throw new AppError('CONFLICT', 'The cluster changed; try again');
    if (c.cluster_primary_id === null) throw new AppError('CONFLICT', `${c.number} is not a member of a cluster`);
    await leaveCluster(trx, c.id);
    const data = { primaryCaseId: c.cluster_primary_id, primaryNumber: c.cluster_primary_number, caseId: c.id, number: c.number };
    for (const caseId of [c.id, c.cluster_primary_id]) {
      await trx
        .insertInto('case_event')
        .values({ case_id: caseId, at: ctx.now, actor_user_id: p.userId, type: 'unmerged', data: JSON.stringify(data) })
        .execute();
    }
    await writeAudit(trx, ctx, {
      action: 'case.unmerge',
      entityType: 'case',
      entityId: c.id,
      municipalityId: c.municipality_id,
      before: { clusterPrimaryCaseId: c.cluster_primary_id },
      after: { clusterPrimaryCaseId: null },
    });
    return c.id;
  });
}
