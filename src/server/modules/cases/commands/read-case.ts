import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, notFound } from '../../../core/http/errors.ts';
import { endOfLocalDay, localDate } from '../../../core/time/index.ts';
import { caseAttachments } from '../../attachments/index.ts';
import { type CaseFilter, type CaseRow, caseCosigners, caseEvents, findCase, listCases } from '../cases.repository.ts';
import { clusterMembers } from '../clusters.repository.ts';
import { canReadCasesOf, caseScope } from '../permissions.ts';

/** The cluster of duplicates the case is the primary or a member of, or null. */
async function clusterOf(db: Db, c: CaseRow) {
  const primaryId = c.cluster_primary_id ?? c.id;
  const members = await clusterMembers(db, primaryId);
  if (members.length === 0) return null;
  const primaryNumber = c.cluster_primary_id === null ? c.number : (c.cluster_primary_number ?? '');
  return { primaryCaseId: primaryId, primaryNumber, members };
}

/**
 * The applicant reads their own case; staff of its municipality read it and the read of the applicant's personal
 * data leaves an audit row (152-ФЗ). Anyone else gets 404: a case's existence is not disclosed.
 */
export async function readCase(db: Db, ctx: CommandContext, id: number) {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to see a case');
  const c = await findCase(db, id);
  if (!c) throw notFound('Case');
  const own = c.applicant_user_id === p.userId;
  if (!own && !canReadCasesOf(p, c.municipality_id)) throw notFound('Case');
  // The card lists the case's files (no bytes): put on the row, presentCase shows them.
  Object.assign(c, { attachments: await caseAttachments(db, c.id) });
  if (!own) {
    await writeAudit(db, ctx, {
      action: 'personal_data.read',
      entityType: 'case',
      entityId: c.id,
      municipalityId: c.municipality_id,
      after: {
        applicantUserId: c.applicant_user_id,
        fields: ['last_name', 'first_name', 'middle_name', 'email', 'phone', 'postal_address'],
      },
    });
  }
  return {
    case: c,
    events: await caseEvents(db, c.id),
    coSigners: await caseCosigners(db, c.id),
    cluster: await clusterOf(db, c),
  };
}

export interface CaseQuery {
  status?: string;
  regime?: CaseFilter['regime'];
  channel?: CaseFilter['channel'];
  category?: number;
  department?: number;
  executor?: number;
  overdue?: boolean;
  dueToday?: boolean;
  q?: string;
  limit?: number;
  offset?: number;
}

/**
 * Staff get the queue of their municipalities, sorted by the nearest deadline; a resident gets their own cases.
 * "Due today" is the staff member's municipality's today (the first municipality of their grants).
 */
export async function queryCases(db: Db, ctx: CommandContext, query: CaseQuery, zoneOf: (id: number) => Promise<string>) {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to see cases');
  const scope = caseScope(p);
  const staff = scope === 'all' || scope.length > 0;
  const filter: CaseFilter = {
    municipalities: staff ? scope : 'all',
    ...(!staff && { applicantUserId: p.userId }),
    ...(query.status && { status: query.status }),
    ...(query.regime && { regime: query.regime }),
    ...(query.channel && { channel: query.channel }),
    ...(query.category !== undefined && { categoryId: query.category }),
    ...(query.department !== undefined && { departmentId: query.department }),
    ...(query.executor !== undefined && { executorUserId: query.executor }),
    ...(query.overdue && { overdueAt: ctx.now }),
    ...(query.q && { q: query.q }),
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
  };
  if (query.dueToday) {
    const zone = await zoneOf(scope !== 'all' && scope[0] !== undefined ? scope[0] : 0);
    filter.dueBetween = [ctx.now, endOfLocalDay(localDate(ctx.now, zone), zone)];
  }
  return listCases(db, filter);
}
