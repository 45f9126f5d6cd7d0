import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { type CommandContext, contextOf } from '../../core/context.ts';
import { errorResponses } from '../../core/http/schemas.ts';
import { allowedActions } from './actions.ts';
import { presentCase, presentCaseSummary } from './cases.presenters.ts';
import { CaseOut, EmptyBody } from './cases.schemas.ts';
import { MergeBody, SimilarBody, SimilarOut } from './clusters.schemas.ts';
import { findSimilarForSubmission, findSimilarToCase, type SimilarResult } from './commands/find-similar.ts';
import { mergeCases } from './commands/merge-cases.ts';
import { readCase } from './commands/read-case.ts';
import { unmergeCase } from './commands/unmerge-case.ts';
import { canReadCasesOf } from './permissions.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = errorResponses(400, 401, 403, 404, 409);

const presentSimilar = (r: SimilarResult) => ({
  items: r.items.map((i) => ({ ...presentCaseSummary(i.case), score: i.score, reason: i.reason })),
  hiddenCount: r.hiddenCount,
});

/** Similar cases and clusters of duplicates (issue 4 point 5). */
export const clustersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['cases'];

  /** The card of a case as the caller sees it after a change (as the workflow actions answer). */
  const card = async (ctx: CommandContext, id: number) => {
    const { case: c, events, coSigners, cluster } = await readCase(app.db, ctx, id);
    const staff = canReadCasesOf(ctx.principal, c.municipality_id);
    return presentCase(c, events, staff, { actions: allowedActions(ctx.principal, c), coSigners, cluster });
  };

  app.post(
    '/cases/similar',
    {
      schema: {
        tags,
        summary:
          'Before submitting: similar open cases (staff: summaries; a resident: only their own cases and a count of others)',
        body: SimilarBody,
        response: { 200: SimilarOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return presentSimilar(await findSimilarForSubmission(app.db, contextOf(request), request.body));
    },
  );

  app.get(
    '/cases/:id/similar',
    {
      schema: {
        tags,
        summary: 'Staff: open cases similar to this one (same applicant, or a similar text in its category)',
        params: Id,
        response: { 200: SimilarOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return presentSimilar(await findSimilarToCase(app.db, contextOf(request), request.params.id));
    },
  );

  app.post(
    '/cases/:id/merge',
    {
      schema: {
        tags,
        summary: 'A head or an operator merges duplicates into this case’s cluster; approving its answer answers them all',
        params: Id,
        body: MergeBody,
        response: { 200: CaseOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const ctx = contextOf(request);
      return card(ctx, await mergeCases(app.db, ctx, request.params.id, request.body));
    },
  );

  app.post(
    '/cases/:id/unmerge',
    {
      schema: {
        tags,
        summary: 'A head or an operator takes a member out of its cluster',
        params: Id,
        body: EmptyBody,
        response: { 200: CaseOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const ctx = contextOf(request);
      return card(ctx, await unmergeCase(app.db, ctx, request.params.id));
    },
  );
};
