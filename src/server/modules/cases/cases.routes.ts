import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, type TSchema, Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { type CommandContext, contextOf } from '../../core/context.ts';
import { invalid, notFound } from '../../core/http/errors.ts';
import { errorResponses } from '../../core/http/schemas.ts';
import { allowedActions } from './actions.ts';
import { attributesRoutes } from './attributes.routes.ts';
import { presentCase, presentCaseSummary, presentCategory } from './cases.presenters.ts';
import { findMunicipalityForCases, listCategories } from './cases.repository.ts';
import {
  AssignBody,
  CaseListQuery,
  CaseOut,
  CaseSummaryOut,
  CategoryBody,
  CategoryOut,
  CategoryPatch,
  CommentBody,
  ConvertBody,
  DraftAnswerBody,
  EmptyBody,
  ExtendBody,
  LeaveUnansweredBody,
  MarkFixedBody,
  NotifyUnreadableBody,
  RateBody,
  ReasonBody,
  RedirectBody,
  SubmitCaseBody,
  TerminateBody,
  WithdrawBody,
} from './cases.schemas.ts';
import { assignCase } from './commands/assign-case.ts';
import {
  closeAbusive,
  leaveUnanswered,
  notifyUnreadable,
  returnCourtDecision,
  terminateCorrespondence,
  withdrawCase,
} from './commands/close-case.ts';
import { convertCase } from './commands/convert-case.ts';
import { draftAnswer } from './commands/draft-answer.ts';
import { extendAnswer } from './commands/extend-answer.ts';
import { markFixed } from './commands/mark-fixed.ts';
import { rateAnswer } from './commands/rate-answer.ts';
import { queryCases, readCase } from './commands/read-case.ts';
import { redirectCase } from './commands/redirect-case.ts';
import { reopenCase } from './commands/reopen-case.ts';
import { approveAnswer, returnDraft } from './commands/review-answer.ts';
import { createCategory, updateCategory } from './commands/save-category.ts';
import { startWork } from './commands/start-work.ts';
import { type Calendars, submitCase } from './commands/submit-case.ts';
import { canAdminCategories, canReadCasesOf } from './permissions.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = errorResponses(400, 401, 403, 404, 409, 422);

export const casesRoutes =
  (calendars: Calendars): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['cases'];
    await app.register(attributesRoutes); // a category's questions and its Open311 service description (issue 5)

    app.post(
      '/cases',
      {
        schema: {
          tags,
          summary: 'Submit (resident: web, api) or register (operator: phone, letter, reception, meeting) a case',
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
          body: SubmitCaseBody,
          response: { 200: CaseOut, 201: CaseOut, ...errors },
        },
      },
      async (request, reply) => {
        requireUser(request);
        const ctx = contextOf(request);
        const { receivedAt, ...body } = request.body;
        const key = request.headers['idempotency-key'];
        const { id, created, card } = await submitCase(app.db, ctx, calendars, {
          ...body,
          ...(receivedAt && { receivedAt: new Date(receivedAt) }),
          ...(key && { idempotencyKey: key }),
        });
        // A new case comes back with its card from the rows just written; a replayed key reads the case made before.
        const { case: c, events, coSigners, cluster } = card ?? (await readCase(app.db, ctx, id));
        reply.code(created ? 201 : 200);
        const staff = canReadCasesOf(request.principal, c.municipality_id);
        return presentCase(c, events, staff, { actions: allowedActions(request.principal, c), coSigners, cluster });
      },
    );

    app.get(
      '/cases/:id',
      { schema: { tags, summary: 'A case with its deadlines and timeline', params: Id, response: { 200: CaseOut, ...errors } } },
      async (request) => {
        requireUser(request);
        const { case: c, events, coSigners, cluster } = await readCase(app.db, contextOf(request), request.params.id);
        const staff = canReadCasesOf(request.principal, c.municipality_id);
        return presentCase(c, events, staff, { actions: allowedActions(request.principal, c), coSigners, cluster });
      },
    );

    // Workflow actions (issue 4): each a command; the answer is the card as the caller now sees it.
    const action = <B extends TSchema>(
      name: string,
      summary: string,
      body: B,
      run: (ctx: CommandContext, id: number, body: Static<B>) => Promise<number>,
    ) =>
      app.post(
        `/cases/:id/${name}`,
        { schema: { tags, summary, params: Id, body, response: { 200: CaseOut, ...errors } } },
        async (request) => {
          requireUser(request);
          const ctx = contextOf(request);
          const id = await run(ctx, request.params.id, request.body as Static<B>);
          const { case: c, events, coSigners, cluster } = await readCase(app.db, ctx, id);
          const staff = canReadCasesOf(request.principal, c.municipality_id);
          return presentCase(c, events, staff, { actions: allowedActions(request.principal, c), coSigners, cluster });
        },
      );
    action('assign', 'Send to a department and an executor (head, operator) → assigned', AssignBody, (ctx, id, b) =>
      assignCase(app.db, ctx, id, b),
    );
    action('start', 'The assigned executor takes it into work → in_work', EmptyBody, (ctx, id) => startWork(app.db, ctx, id));
    action('draft-answer', 'The assigned executor drafts the answer → answer_drafted', DraftAnswerBody, (ctx, id, b) =>
      draftAnswer(app.db, ctx, id, b),
    );
    action('approve-answer', 'A head approves the draft → answered, the letter queued', EmptyBody, (ctx, id) =>
      approveAnswer(app.db, ctx, id),
    );
    action('return-draft', 'A head returns the draft with a comment → in_work', CommentBody, (ctx, id, b) =>
      returnDraft(app.db, ctx, id, b),
    );
    action('extend', 'A head extends the answer period once, up to 30 days (59-ФЗ ст. 12 ч. 2)', ExtendBody, (ctx, id, b) =>
      extendAnswer(app.db, ctx, calendars, id, b),
    );
    action('rate', 'The applicant rates the answer, 1–5 (answered → rated)', RateBody, (ctx, id, b) =>
      rateAnswer(app.db, ctx, id, b),
    );
    action('reopen', 'The applicant asks to reconsider, with a reason → in_work, a new answer period', ReasonBody, (ctx, id, b) =>
      reopenCase(app.db, ctx, calendars, id, b),
    );
    action(
      'redirect',
      'A head sends the case to the competent body (59-ФЗ ст. 8 ч. 3) → redirected',
      RedirectBody,
      (ctx, id, b) => redirectCase(app.db, ctx, id, b),
    );

    // Side paths: 59-ФЗ ст. 11 (appeals only), withdrawal, regime conversion.
    action('withdraw', 'The applicant withdraws the case (or staff record their request) → closed', WithdrawBody, (ctx, id, b) =>
      withdrawCase(app.db, ctx, id, b ?? {}),
    );
    action(
      'leave-unanswered',
      'No surname or address for the answer: no answer, forwarded if it reports an offence (59-ФЗ ст. 11 ч. 1) → closed',
      LeaveUnansweredBody,
      (ctx, id, b) => leaveUnanswered(app.db, ctx, id, b),
    );
    action(
      'close-abusive',
      'Obscene or threatening language: no answer on the merits, the applicant warned (59-ФЗ ст. 11 ч. 3) → closed',
      CommentBody,
      (ctx, id, b) => closeAbusive(app.db, ctx, id, b),
    );
    action(
      'notify-unreadable',
      'Unreadable text (ст. 11 ч. 4) or no identifiable substance (ч. 4.1): the applicant told within 7 days → closed',
      NotifyUnreadableBody,
      (ctx, id, b) => notifyUnreadable(app.db, ctx, id, b),
    );
    action(
      'return-court-decision',
      'A court decision is challenged: returned within 7 days with how to appeal it (59-ФЗ ст. 11 ч. 2) → closed',
      CommentBody,
      (ctx, id, b) => returnCourtDecision(app.db, ctx, id, b),
    );
    action(
      'terminate-correspondence',
      'A repeated appeal with no new arguments: the head terminates the correspondence (59-ФЗ ст. 11 ч. 5) → closed',
      TerminateBody,
      (ctx, id, b) => terminateCorrespondence(app.db, ctx, id, b),
    );
    action(
      'mark-fixed',
      'A message or incident fixed: the executor or a head answers it with an after-photo (issue 5) → answered',
      MarkFixedBody,
      (ctx, id, b) => markFixed(app.db, ctx, id, b),
    );
    action('convert', 'Change the regime (appeal ↔ message ↔ incident); deadlines of the new regime', ConvertBody, (ctx, id, b) =>
      convertCase(app.db, ctx, calendars, id, b),
    );

    app.get(
      '/cases',
      {
        schema: {
          tags,
          summary: 'Staff: the queue of their municipality, nearest deadline first; residents: their own cases',
          querystring: CaseListQuery,
          response: { 200: Type.Object({ items: Type.Array(CaseSummaryOut) }), ...errors },
        },
      },
      async (request) => {
        requireUser(request);
        const rows = await queryCases(app.db, contextOf(request), request.query, async (id) => {
          const m = await findMunicipalityForCases(app.db, id);
          return m?.time_zone ?? 'Europe/Moscow';
        });
        return { items: rows.map(presentCaseSummary) };
      },
    );

    app.get(
      '/municipalities/:id/categories',
      {
        schema: {
          tags,
          summary: 'The categories of a municipality (public; administrators also see inactive ones)',
          params: Id,
          response: { 200: Type.Object({ items: Type.Array(CategoryOut) }), ...errors },
        },
      },
      async (request) => {
        const m = await findMunicipalityForCases(app.db, request.params.id);
        if (!m) throw notFound('Municipality');
        const rows = await listCategories(app.db, m.id, canAdminCategories(request.principal, m.id));
        return { items: rows.map(presentCategory) };
      },
    );

    app.post(
      '/municipalities/:id/categories',
      {
        schema: {
          tags,
          summary: 'Add a category (municipal administrator)',
          params: Id,
          body: CategoryBody,
          response: { 201: CategoryOut, ...errors },
        },
      },
      async (request, reply) => {
        requireUser(request);
        const row = await createCategory(app.db, contextOf(request), request.params.id, request.body);
        reply.code(201);
        return presentCategory(row);
      },
    );

    app.patch(
      '/categories/:id',
      {
        schema: {
          tags,
          summary: 'Change a category (municipal administrator)',
          params: Id,
          body: CategoryPatch,
          response: { 200: CategoryOut, ...errors },
        },
      },
      async (request) => {
        requireUser(request);
        if (Object.keys(request.body).length === 0) throw invalid('body', 'nothing to change');
        return presentCategory(await updateCategory(app.db, contextOf(request), request.params.id, request.body));
      },
    );
  };
