import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, notFound } from '../../../core/http/errors.ts';
import { findCase, findCases } from '../cases.repository.ts';
import { isOpenStatus } from '../cluster-rules.ts';
import { joinCluster, lockCases } from '../clusters.repository.ts';
import { type Calendars, submitCase } from './submit-case.ts';

/** A case the public map shows: a message or an incident with a location (never a 59-ФЗ appeal). */
const isMapReport = (c: { regime: string; lat: number | null; lon: number | null }) =>
  c.regime !== 'appeal' && c.lat !== null && c.lon !== null;

/**
 * Issue 5: a signed-in resident joins a report on the map ("already reported nearby") instead of filing a new one.
 * Their own case is made through the one intake (same municipality, category, regime, place; channel web; text
 * «Присоединился к сообщению …»; their own number and deadlines) and put into the cluster of the report (its
 * primary when the report is itself a member), so approving or marking fixed the primary answers them too
 * (answer-cluster.ts). Refused: not a map report or not open (404 / 409), the resident's own report (409). Joining
 * again returns the case made the first time (`created: false`).
 *
 * Two transactions: the intake's, then the join (rows locked primary first, timeline `merged` on both, audit
 * `case.join`). Should the primary be answered in between, the new case stays a case of its own and is worked on
 * as any other (`joined: false`).
 */
export async function joinReport(db: Db, ctx: CommandContext, calendars: Calendars, reportId: number) {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to join a report');
  const report = await findCase(db, reportId);
  if (!report || !isMapReport(report)) throw notFound('Report');
  const primary = report.cluster_primary_id === null ? report : await findCase(db, report.cluster_primary_id);
  if (!primary || !isOpenStatus(primary.status)) {
    throw new AppError('CONFLICT', `Report ${report.number} is no longer open; report the problem anew if it persists`);
  }
  if (report.applicant_user_id === p.userId || primary.applicant_user_id === p.userId) {
    throw new AppError('CONFLICT', `You reported ${primary.number} yourself; follow it in your cabinet`);
  }
  const { id, created } = await submitCase(db, ctx, calendars, {
    municipalityId: primary.municipality_id,
    channel: 'web',
    ...(primary.category_id !== null && { categoryId: primary.category_id }),
    regime: primary.regime,
    text: `Присоединился к сообщению ${primary.number}`,
    ...(primary.address && { address: primary.address }),
    lat: primary.lat ?? undefined,
    lon: primary.lon ?? undefined,
    // One joiner, one case per report: a second click (or a retry) returns the first.
    idempotencyKey: `join-report:${primary.id}`,
  });
  const joined = await db.transaction().execute(async (trx) => {
    await lockCases(trx, [primary.id, id]);
    const rows = new Map((await findCases(trx, [primary.id, id])).map((r) => [r.id, r]));
    const pr = rows.get(primary.id);
    const mine = rows.get(id);
    if (!pr || !mine || !isOpenStatus(pr.status) || pr.cluster_primary_id !== null) return false;
    if (mine.cluster_primary_id === pr.id) return true;
    if (mine.cluster_primary_id !== null || !isOpenStatus(mine.status)) return false;
    await joinCluster(trx, pr.id, [mine.id]);
    const event = (caseId: number, data: Record<string, unknown>) =>
      trx
        .insertInto('case_event')
        .values({ case_id: caseId, at: ctx.now, actor_user_id: p.userId, type: 'merged', data: JSON.stringify(data) })
        .execute();
    await event(mine.id, { kind: 'merged_into', primaryCaseId: pr.id, primaryNumber: pr.number, by: 'join' });
    await event(pr.id, { kind: 'cluster_joined', cases: [{ id: mine.id, number: mine.number }], by: 'join' });
    await writeAudit(trx, ctx, {
      action: 'case.join',
      entityType: 'case',
      entityId: pr.id,
      municipalityId: pr.municipality_id,
      after: { primaryCaseId: pr.id, joined: [{ id: mine.id, number: mine.number }] },
    });
    return true;
  });
  const mine = await findCase(db, id);
  return { id, number: mine?.number ?? '', primaryId: primary.id, primaryNumber: primary.number, created, joined };
}
