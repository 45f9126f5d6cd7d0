import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MUNICIPALITY_TYPES } from '../../../shared/roles.ts';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { type CommandContext, contextOf } from '../../core/context.ts';
import { contentDisposition, MEDIA_TYPES, renderDocx, renderPdf } from '../../core/documents/index.ts';
import { errorResponses, StringEnum } from '../../core/http/schemas.ts';
import {
  admitApplication,
  checkApplication,
  createApplication,
  pullFigures,
  readApplication,
  submitApplication,
  updateApplication,
} from './commands/applications.ts';
import {
  approveProtocol,
  breakTie,
  castBallot,
  closeMeeting,
  openMeeting,
  publishResults,
  recordAttendance,
} from './commands/meeting.ts';
import {
  protocolContest,
  readApplications,
  readContest,
  readContests,
  readPublicContests,
  readPublicResults,
} from './commands/read-contest.ts';
import { createContest, saveAssignments, saveCommission, updateContest } from './commands/save-contest.ts';
import {
  ApplicationListOut,
  ApplicationOut,
  ContestListOut,
  ContestViewOut,
  PublicResultsListOut,
  PublicResultsOut,
} from './contest.schemas.ts';
import { MEMBER_ROLES, SECTIONS } from './contest-ru.ts';
import { federalPackage } from './federal-package.ts';
import { protocolSpec } from './protocol.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = errorResponses(400, 401, 403, 404, 409);
/** A generated file (bytes). */
const FileOut = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });
const Ok = Type.Object({ ok: Type.Boolean() });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Text = (max = 20000) => Type.String({ maxLength: max });

const Criterion = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40 }),
    name: Type.String({ minLength: 1, maxLength: 300 }),
    weight: Type.Number({ exclusiveMinimum: 0 }),
  },
  { additionalProperties: false },
);
const contestFields = {
  year: Type.Integer({ minimum: 2016, maximum: 2100 }),
  stage: StringEnum(['regional', 'federal'] as const),
  title: Type.String({ minLength: 1, maxLength: 500 }),
  nomination: Type.String({ minLength: 1, maxLength: 2000 }),
  organizer: Type.Optional(Text(1000)),
  regulation: Type.Optional(Text(2000)),
  applicationsFrom: Type.String({ format: 'date-time' }),
  applicationsTo: Type.String({ format: 'date-time' }),
  resubmitTo: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  reviewTo: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  meetingAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  meetingPlace: Type.Optional(Text(500)),
  agenda: Type.Optional(Type.Array(Text(4000), { maxItems: 20 })),
  method: StringEnum(['ranking', 'criteria'] as const),
  criteria: Type.Optional(Type.Array(Criterion, { maxItems: 30 })),
  recommendTop: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  complianceNote: Type.Optional(Text(4000)),
};
const ContestBody = Type.Object(
  {
    ...contestFields,
    categories: Type.Optional(
      Type.Array(
        Type.Object(
          {
            code: Type.String({ minLength: 1, maxLength: 10 }),
            name: Type.String({ minLength: 1, maxLength: 500 }),
            municipalityTypes: Type.Array(StringEnum(MUNICIPALITY_TYPES), { minItems: 1 }),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 6 },
      ),
    ),
  },
  { additionalProperties: false },
);
const ContestPatch = Type.Partial(Type.Object(contestFields, { additionalProperties: false }), { additionalProperties: false });

const Member = Type.Object(
  {
    role: StringEnum(MEMBER_ROLES),
    lastName: Type.String({ minLength: 1, maxLength: 100 }),
    firstName: Type.String({ minLength: 1, maxLength: 100 }),
    middleName: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    position: Type.String({ maxLength: 1000 }),
    userId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  },
  { additionalProperties: false },
);
const Sections = Type.Partial(
  Type.Object(Object.fromEntries(SECTIONS.map((s) => [s, Text(100000)])), { additionalProperties: false }),
  {
    additionalProperties: false,
  },
);
const FigureIn = Type.Object(
  {
    key: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    label: Type.String({ minLength: 1, maxLength: 500 }),
    value: Type.Union([Type.Number(), Type.Null()]),
    unit: Type.Optional(Text(50)),
    definition: Type.Optional(Text(2000)),
    source: Type.Optional(Text(1000)),
  },
  { additionalProperties: false },
);
const ApplicationFields = {
  applicantName: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  sections: Type.Optional(Sections),
  figures: Type.Optional(Type.Array(FigureIn, { maxItems: 100 })),
  attachmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })),
};

/** The contest «Лучшая муниципальная практика» (issue 8): setup, applications, meeting, decisions, protocol, results. */
export const contestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['contest'];
  const ok = { ok: true };

  app.get(
    '/contests',
    { schema: { tags, summary: 'Contests the caller may see', response: { 200: ContestListOut, ...errors } } },
    async (request) => {
      requireUser(request);
      return { items: await readContests(app.db, contextOf(request)) };
    },
  );

  app.post(
    '/regions/:id/contests',
    {
      schema: {
        tags,
        summary: 'Set up a contest (regional administrator)',
        params: Id,
        body: ContestBody,
        response: { 201: ContestViewOut, ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const id = await createContest(app.db, contextOf(request), request.params.id, request.body);
      reply.code(201);
      return readContest(app.db, contextOf(request), id);
    },
  );

  app.get(
    '/contests/:id',
    {
      schema: {
        tags,
        summary: 'A contest with its categories, commission, applications, tally',
        params: Id,
        response: { 200: ContestViewOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return readContest(app.db, contextOf(request), request.params.id);
    },
  );

  app.patch(
    '/contests/:id',
    {
      schema: {
        tags,
        summary: 'Change the setup (regional administrator, before the meeting)',
        params: Id,
        body: ContestPatch,
        response: { 200: ContestViewOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      await updateContest(app.db, contextOf(request), request.params.id, request.body);
      return readContest(app.db, contextOf(request), request.params.id);
    },
  );

  app.put(
    '/contests/:id/commission',
    {
      schema: {
        tags,
        summary: 'The commission as a whole list (regional administrator, before the meeting)',
        params: Id,
        body: Type.Object({ members: Type.Array(Member, { minItems: 1, maxItems: 60 }) }, { additionalProperties: false }),
        response: { 200: ContestViewOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      await saveCommission(app.db, contextOf(request), request.params.id, request.body.members);
      return readContest(app.db, contextOf(request), request.params.id);
    },
  );

  app.put(
    '/contests/:id/assignments',
    {
      schema: {
        tags,
        summary: 'The decision’s assignments: what, responsible, due date (regional administrator, until approval)',
        params: Id,
        body: Type.Object(
          {
            items: Type.Array(
              Type.Object(
                {
                  text: Type.String({ minLength: 1, maxLength: 4000 }),
                  responsible: Type.String({ minLength: 1, maxLength: 1000 }),
                  dueOn: Type.Optional(Type.Union([IsoDate, Type.Null()])),
                },
                { additionalProperties: false },
              ),
              { maxItems: 30 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: ContestViewOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      await saveAssignments(app.db, contextOf(request), request.params.id, request.body.items);
      return readContest(app.db, contextOf(request), request.params.id);
    },
  );

  // Applications
  app.get(
    '/contests/:id/applications',
    {
      schema: { tags, summary: 'Applications the caller may see', params: Id, response: { 200: ApplicationListOut, ...errors } },
    },
    async (request) => {
      requireUser(request);
      return { items: await readApplications(app.db, contextOf(request), request.params.id) };
    },
  );

  app.post(
    '/contests/:id/applications',
    {
      schema: {
        tags,
        summary: 'Start the municipality’s application (its administrator)',
        params: Id,
        body: Type.Object(
          { municipalityId: Type.Integer({ minimum: 1 }), ...ApplicationFields },
          { additionalProperties: false },
        ),
        response: { 201: ApplicationOut, ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const { municipalityId, ...input } = request.body;
      const id = await createApplication(app.db, contextOf(request), request.params.id, municipalityId, input);
      reply.code(201);
      return readApplication(app.db, contextOf(request), id);
    },
  );

  app.get(
    '/contest-applications/:id',
    { schema: { tags, summary: 'An application', params: Id, response: { 200: ApplicationOut, ...errors } } },
    async (request) => {
      requireUser(request);
      return readApplication(app.db, contextOf(request), request.params.id);
    },
  );

  app.patch(
    '/contest-applications/:id',
    {
      schema: {
        tags,
        summary: 'Edit a draft or returned application',
        params: Id,
        body: Type.Object(ApplicationFields, { additionalProperties: false }),
        response: { 200: ApplicationOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      await updateApplication(app.db, contextOf(request), request.params.id, request.body);
      return readApplication(app.db, contextOf(request), request.params.id);
    },
  );

  app.post(
    '/contest-applications/:id/figures/pull',
    {
      schema: {
        tags,
        summary: 'Pull the municipality’s figures for a period from Otklik’s analytics (editable afterwards)',
        params: Id,
        body: Type.Object(
          { from: IsoDate, to: IsoDate, keys: Type.Optional(Type.Array(Type.String(), { maxItems: 50 })) },
          { additionalProperties: false },
        ),
        response: { 200: ApplicationOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      await pullFigures(app.db, contextOf(request), app.calendars, request.params.id, request.body);
      return readApplication(app.db, contextOf(request), request.params.id);
    },
  );

  const step = (path: string, summary: string, run: (db: typeof app.db, ctx: CommandContext, id: number) => Promise<unknown>) =>
    app.post(path, { schema: { tags, summary, params: Id, response: { 200: ApplicationOut, ...errors } } }, async (request) => {
      requireUser(request);
      await run(app.db, contextOf(request), request.params.id);
      return readApplication(app.db, contextOf(request), request.params.id);
    });
  step('/contest-applications/:id/submit', 'Submit, or resubmit a returned one (inside the window)', submitApplication);
  step('/contest-applications/:id/admit', 'Admit a conforming application (regional administrator)', admitApplication);

  app.post(
    '/contest-applications/:id/check',
    {
      schema: {
        tags,
        summary: 'Compliance check: conforms, or returned with remarks (regional administrator)',
        params: Id,
        body: Type.Object({ conforms: Type.Boolean(), remarks: Type.Optional(Text(4000)) }, { additionalProperties: false }),
        response: { 200: ApplicationOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      await checkApplication(app.db, contextOf(request), request.params.id, request.body);
      return readApplication(app.db, contextOf(request), request.params.id);
    },
  );

  // The meeting
  app.put(
    '/contests/:id/meeting/attendance',
    {
      schema: {
        tags,
        summary: 'Attendance: the members present (regional administrator, before voting)',
        params: Id,
        body: Type.Object(
          { present: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 60 }) },
          { additionalProperties: false },
        ),
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      await recordAttendance(app.db, contextOf(request), request.params.id, request.body.present);
      return ok;
    },
  );

  const action = (
    path: string,
    summary: string,
    run: (db: typeof app.db, ctx: ReturnType<typeof contextOf>, id: number) => Promise<unknown>,
  ) =>
    app.post(path, { schema: { tags, summary, params: Id, response: { 200: Ok, ...errors } } }, async (request) => {
      requireUser(request);
      await run(app.db, contextOf(request), request.params.id);
      return ok;
    });
  action('/contests/:id/meeting/open', 'Open voting (quorum present, every application checked)', openMeeting);
  action('/contests/:id/meeting/close', 'Close the meeting: places fixed, top N recommended', closeMeeting);
  action('/contests/:id/publish', 'Publish the winners (after the protocol is approved)', publishResults);

  app.post(
    '/contests/:id/ballots',
    {
      schema: {
        tags,
        summary: 'A member’s ballot for a category, once (a commission member; the administrator records paper ballots)',
        params: Id,
        body: Type.Object(
          {
            categoryId: Type.Integer({ minimum: 1 }),
            memberId: Type.Optional(Type.Integer({ minimum: 1 })),
            ranking: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 200 })),
            scores: Type.Optional(
              Type.Array(
                Type.Object(
                  { applicationId: Type.Integer({ minimum: 1 }), scores: Type.Record(Type.String(), Type.Number()) },
                  { additionalProperties: false },
                ),
                { maxItems: 200 },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Ok, ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      await castBallot(app.db, contextOf(request), request.params.id, request.body);
      reply.code(201);
      return ok;
    },
  );

  app.post(
    '/contests/:id/categories/:categoryId/tiebreak',
    {
      schema: {
        tags,
        summary: 'Record how a tie is broken, e.g. the chair’s deciding vote (the chair or the administrator)',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), categoryId: Type.Integer({ minimum: 1 }) }),
        body: Type.Object(
          {
            order: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 2, maxItems: 200 }),
            basis: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      await breakTie(app.db, contextOf(request), request.params.id, request.params.categoryId, request.body);
      return ok;
    },
  );

  app.post(
    '/contests/:id/protocol/approve',
    {
      schema: {
        tags,
        summary: 'Approve the protocol: number, date, approver (after the meeting; nothing changes afterwards)',
        params: Id,
        body: Type.Object(
          {
            number: Type.String({ minLength: 1, maxLength: 50 }),
            approvedOn: IsoDate,
            approverPosition: Type.Optional(Text(1000)),
            approverName: Type.Optional(Text(200)),
          },
          { additionalProperties: false },
        ),
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      await approveProtocol(app.db, contextOf(request), request.params.id, request.body);
      return ok;
    },
  );

  for (const format of ['docx', 'pdf'] as const) {
    app.get(
      `/contests/:id/protocol.${format}`,
      {
        schema: {
          tags,
          summary: `The meeting’s protocol as ${format.toUpperCase()} (region and commission)`,
          params: Id,
          response: { 200: FileOut, ...errors },
        },
      },
      async (request, reply) => {
        requireUser(request);
        const c = await protocolContest(app.db, contextOf(request), request.params.id);
        const spec = await protocolSpec(app.db, c);
        const bytes = format === 'docx' ? await renderDocx(spec) : await renderPdf(spec);
        reply
          .header('content-type', MEDIA_TYPES[format])
          .header('content-disposition', contentDisposition(`Протокол ${c.protocol_number ?? ''} ЛМП ${c.year}.${format}`));
        return reply.send(bytes);
      },
    );
  }

  for (const format of ['docx', 'pdf'] as const) {
    app.get(
      `/contest-applications/:id/federal-package.${format}`,
      {
        schema: {
          tags,
          summary: `A recommended application in the federal stage’s form as ${format.toUpperCase()} (after the protocol’s approval; the municipality, the region, the commission)`,
          params: Id,
          response: { 200: FileOut, ...errors },
        },
      },
      async (request, reply) => {
        requireUser(request);
        const { spec, fileName } = await federalPackage(app.db, contextOf(request), request.params.id);
        const bytes = format === 'docx' ? await renderDocx(spec) : await renderPdf(spec);
        reply
          .header('content-type', MEDIA_TYPES[format])
          .header('content-disposition', contentDisposition(`${fileName}.${format}`));
        return reply.send(bytes);
      },
    );
  }

  // Public
  app.get(
    '/public/contests',
    {
      schema: {
        tags,
        summary: 'Published results of contests (public)',
        response: { 200: PublicResultsListOut, ...errorResponses(400) },
      },
    },
    async () => ({
      items: await readPublicContests(app.db),
    }),
  );
  app.get(
    '/public/contests/:id',
    {
      schema: {
        tags,
        summary: 'Published results of a contest (public)',
        params: Id,
        response: { 200: PublicResultsOut, ...errorResponses(400, 404) },
      },
    },
    async (request) => readPublicResults(app.db, request.params.id),
  );
};
