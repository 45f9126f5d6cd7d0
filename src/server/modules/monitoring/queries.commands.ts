import { writeAudit } from '../../core/audit/audit.ts';
import type { CommandContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError, forbidden, invalid, notFound } from '../../core/http/errors.ts';
import { canModerate, canReadMonitoring, monitoringScope } from './moderation.permissions.ts';
import { findMunicipality } from './monitoring.repository.ts';
import {
  findCategoryBrief,
  findQuery,
  findQueryWithCategory,
  insertQuery,
  latestPosts,
  listQueries,
  type QueryPatch,
  type QueryRow,
  type QueryWithCategory,
  updateQuery,
} from './queries.repository.ts';
import { type MatchHit, QueryMatcher } from './query/index.ts';

/** Monitoring queries (issue 6, item 2): list, create, change, deactivate, test a draft. Each change is audited. */

/**
 * 422: the query does not parse (or could match any post). `details[0]` has the 0-based `position` in the text and
 * the parser's plain Russian `reason`, so the editor can point at it.
 */
export class QuerySyntaxError extends AppError {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super('QUERY_SYNTAX', `text: ${reason} (позиция ${position + 1})`, [
      { field: 'text', position, reason } as { field: string; reason: string },
    ]);
  }
}

/** Parses and compiles the text as the matcher will; throws QuerySyntaxError with the position and reason. */
export function checkQueryText(text: string): void {
  const matcher = new QueryMatcher([{ id: 0, text }]);
  const refused = matcher.refused[0];
  if (refused) throw new QuerySyntaxError(refused.error.position, refused.error.message);
}

function requireStaff(ctx: CommandContext) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
  const scope = monitoringScope(ctx.principal);
  if (scope !== 'all' && scope.length === 0)
    throw forbidden('Monitoring queries are kept by moderators, heads and administrators');
  return scope;
}

async function checkCategory(db: Db, categoryId: number | null | undefined, municipalityId: number | null) {
  if (categoryId === undefined || categoryId === null) return;
  const c = await findCategoryBrief(db, categoryId);
  // A regional query may name any municipality's category; it is used only for posts of that municipality.
  if (!c?.is_active || (municipalityId !== null && c.municipality_id !== municipalityId)) {
    throw invalid('defaultCategoryId', 'no such active category in the query’s municipality');
  }
}

export interface QueriesFilter {
  municipalityId?: number;
  regional?: boolean;
  active?: boolean;
}

export async function readQueries(db: Db, ctx: CommandContext, f: QueriesFilter): Promise<QueryWithCategory[]> {
  const scope = requireStaff(ctx);
  if (f.municipalityId !== undefined && scope !== 'all' && !scope.includes(f.municipalityId)) {
    throw forbidden('You keep the monitoring queries of other municipalities');
  }
  return listQueries(db, {
    scope,
    ...(f.regional
      ? { municipalityId: 'regional' as const }
      : f.municipalityId !== undefined && { municipalityId: f.municipalityId }),
    ...(f.active !== undefined && { active: f.active }),
  });
}

export async function readQuery(db: Db, ctx: CommandContext, id: number): Promise<QueryWithCategory> {
  requireStaff(ctx);
  const q = await findQueryWithCategory(db, id);
  if (!q || !canReadMonitoring(ctx.principal, q.municipality_id)) throw notFound('Monitoring query');
  return q;
}

export interface CreateQueryInput {
  municipalityId: number | null;
  name: string;
  text: string;
  defaultCategoryId?: number | null;
  active?: boolean;
}

const auditView = (q: QueryRow) => ({
  municipalityId: q.municipality_id,
  name: q.name,
  text: q.text,
  defaultCategoryId: q.default_category_id,
  active: q.active,
});

export async function createQuery(db: Db, ctx: CommandContext, input: CreateQueryInput): Promise<QueryWithCategory> {
  requireStaff(ctx);
  if (input.municipalityId !== null && !(await findMunicipality(db, input.municipalityId))) {
    throw invalid('municipalityId', 'no such municipality');
  }
  if (!canModerate(ctx.principal, input.municipalityId)) {
    throw forbidden(
      input.municipalityId === null
        ? 'Regional queries are kept by the region’s administrators'
        : 'Only a moderator, head or administrator of this municipality adds its queries',
    );
  }
  const name = input.name.trim();
  if (!name) throw invalid('name', 'give the query a name');
  checkQueryText(input.text);
  await checkCategory(db, input.defaultCategoryId, input.municipalityId);
  const row = await db.transaction().execute(async (trx) => {
    const r = await insertQuery(trx, {
      municipalityId: input.municipalityId,
      name,
      text: input.text,
      defaultCategoryId: input.defaultCategoryId ?? null,
      active: input.active ?? true,
      createdBy: ctx.principal?.userId ?? null,
      now: ctx.now,
    });
    await writeAudit(trx, ctx, {
      action: 'monitoring_query.create',
      entityType: 'monitoring_query',
      entityId: r.id,
      municipalityId: r.municipality_id,
      after: auditView(r),
    });
    return r;
  });
  return (await findQueryWithCategory(db, row.id)) as QueryWithCategory;
}

export interface UpdateQueryInput {
  name?: string;
  text?: string;
  defaultCategoryId?: number | null;
  active?: boolean;
}

export async function changeQuery(db: Db, ctx: CommandContext, id: number, input: UpdateQueryInput): Promise<QueryWithCategory> {
  requireStaff(ctx);
  const current = await findQuery(db, id);
  if (!current || !canReadMonitoring(ctx.principal, current.municipality_id)) throw notFound('Monitoring query');
  if (!canModerate(ctx.principal, current.municipality_id)) {
    throw forbidden('Regional queries are kept by the region’s administrators');
  }
  const name = input.name?.trim();
  if (input.name !== undefined && !name) throw invalid('name', 'give the query a name');
  if (input.text !== undefined) checkQueryText(input.text);
  await checkCategory(db, input.defaultCategoryId, current.municipality_id);
  await db.transaction().execute(async (trx) => {
    const before = await findQuery(trx, id, { forUpdate: true });
    if (!before) throw notFound('Monitoring query');
    const patch: QueryPatch = {
      now: ctx.now,
      ...(name !== undefined && { name }),
      ...(input.text !== undefined && { text: input.text }),
      ...(input.defaultCategoryId !== undefined && { defaultCategoryId: input.defaultCategoryId }),
      ...(input.active !== undefined && { active: input.active }),
    };
    const after = await updateQuery(trx, id, patch);
    await writeAudit(trx, ctx, {
      action: input.active === false && before.active ? 'monitoring_query.deactivate' : 'monitoring_query.update',
      entityType: 'monitoring_query',
      entityId: id,
      municipalityId: after.municipality_id,
      before: auditView(before),
      after: auditView(after),
    });
  });
  return (await findQueryWithCategory(db, id)) as QueryWithCategory;
}

export const DEFAULT_TEST_LIMIT = 200;

export interface TestedPost {
  post: Awaited<ReturnType<typeof latestPosts>>[number];
  hits: MatchHit[];
}

/**
 * Tests a draft query against the newest stored posts the caller may see (before saving it): the matches with the
 * ranges of their terms. Nothing is written. A text that does not parse is the same 422 as on saving.
 */
export async function testQuery(
  db: Db,
  ctx: CommandContext,
  input: { text: string; limit?: number; municipalityId?: number },
): Promise<{ tested: number; matches: TestedPost[] }> {
  const scope = requireStaff(ctx);
  if (input.municipalityId !== undefined && !canReadMonitoring(ctx.principal, input.municipalityId)) {
    throw forbidden('You see the posts of other municipalities');
  }
  checkQueryText(input.text);
  const matcher = new QueryMatcher([{ id: 0, text: input.text }]);
  const posts = await latestPosts(db, {
    scope,
    ...(input.municipalityId !== undefined && { municipalityId: input.municipalityId }),
    limit: input.limit ?? DEFAULT_TEST_LIMIT,
  });
  const matches: TestedPost[] = [];
  for (const post of posts) {
    const m = matcher.matchDetailed(post.text)[0];
    if (m) matches.push({ post, hits: m.hits });
  }
  return { tested: posts.length, matches };
}
