import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, invalid, notFound } from '../../../core/http/errors.ts';
import { CASE_ACTIONS } from '../actions.ts';
import { findCases } from '../cases.repository.ts';
import { isOpenStatus, MERGE_MAX } from '../cluster-rules.ts';
import { clusterMembers, joinCluster, lockCases } from '../clusters.repository.ts';
import { canReadCasesOf } from '../permissions.ts';
import { STATUS_NAMES } from './record-step.ts';

/**
 * A head or an operator of the municipality merges duplicates into the cluster of case `id` (its primary), which
 * is then answered once for all (approving the primary's answer answers every member, see answer-cluster.ts).
 *
 * Rules (409 unless said otherwise): the primary and every case joining are open and of the same municipality
 * (another municipality's case: 400 "not found in this municipality"); the primary is not itself a member of a
 * cluster; a joining case is not a member of any cluster (merge its primary instead). A joining case that is the
 * primary of a cluster brings its members along (two clusters become one). One transaction: the rows locked
 * (primary first, then by id), members pointed to the primary, a timeline event `merged` on each (data.kind
 * `merged_into` on the joining cases, `cluster_joined` on the primary), one audit row.
 */
export async function mergeCases(db: Db, ctx: CommandContext, id: number, input: { caseIds: number[] }) {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to merge cases');
  const ids = [...new Set(input.caseIds)];
  if (ids.length === 0) throw invalid('caseIds', 'name at least one case to merge');
  if (ids.length > MERGE_MAX) throw invalid('caseIds', `merge at most ${MERGE_MAX} cases at once`);
  if (ids.includes(id)) throw invalid('caseIds', 'the case cannot be merged into itself');
  return db.transaction().execute(async (trx) => {
    await lockCases(trx, [id, ...ids.sort((a, b) => a - b)]);
    const rows = new Map((await findCases(trx, [id, ...ids])).map((r) => [r.id, r]));
    const primary = rows.get(id);
    if (!primary || !canReadCasesOf(p, primary.municipality_id)) throw notFound('Case');
    const rule = CASE_ACTIONS.merge;
    if (!rule.allowed(p, primary)) throw new AppError('FORBIDDEN', rule.forbidden);
    const statusOf = (s: string) => `"${STATUS_NAMES[s] ?? s}" (${s})`;
    if (!isOpenStatus(primary.status)) {
      throw new AppError('CONFLICT', `Cannot merge into ${primary.number}: it is ${statusOf(primary.status)}, not open`);
    }
    const blocked = rule.blockedBy(primary);
    if (blocked) throw new AppError('CONFLICT', blocked);
    const joining = ids.map((cid) => {
      const c = rows.get(cid);
      if (!c || c.municipality_id !== primary.municipality_id) {
        throw invalid('caseIds', `case ${cid} was not found in this municipality`);
      }
      if (!isOpenStatus(c.status)) {
        throw new AppError('CONFLICT', `Cannot merge ${c.number}: it is ${statusOf(c.status)}, not open`);
      }
      if (c.cluster_primary_id === primary.id) throw new AppError('CONFLICT', `${c.number} is already in this cluster`);
      if (c.cluster_primary_id !== null) {
        throw new AppError(
          'CONFLICT',
          `${c.number} is in the cluster of ${c.cluster_primary_number}; merge ${c.cluster_primary_number} instead`,
        );
      }
      return c;
    });
    // Members of joining primaries come along; lock them too (after their primaries, as approving does).
    const carried = (await Promise.all(joining.map((c) => clusterMembers(trx, c.id)))).flat();
    await lockCases(
      trx,
      carried.map((m) => m.id),
    );
    await joinCluster(trx, primary.id, ids);
    const now = ctx.now;
    const joined = [
      ...joining.map((c) => ({ id: c.id, number: c.number })),
      ...carried.map((m) => ({ id: m.id, number: m.number })),
    ];
    const event = (caseId: number, type: string, data: Record<string, unknown>) =>
      trx
        .insertInto('case_event')
        .values({ case_id: caseId, at: now, actor_user_id: p.userId, type, data: JSON.stringify(data) })
        .execute();
    for (const c of joined) {
      await event(c.id, 'merged', { kind: 'merged_into', primaryCaseId: primary.id, primaryNumber: primary.number });
    }
    await event(primary.id, 'merged', { kind: 'cluster_joined', cases: joined });
    await writeAudit(trx, ctx, {
      action: 'case.merge',
      entityType: 'case',
      entityId: primary.id,
      municipalityId: primary.municipality_id,
      after: { primaryCaseId: primary.id, joined },
    });
    return primary.id;
  });
}
