import { Type } from 'typebox';
import { StringEnum } from '../../core/http/schemas.ts';

export const REGIMES = ['appeal', 'message', 'incident'] as const;
export const CHANNELS = ['web', 'api', 'phone', 'reception', 'meeting', 'letter', 'social', 'open311', 'epgu'] as const;
export const KINDS = ['proposal', 'statement', 'complaint', 'other'] as const;
export const ANSWER_BY = ['cabinet', 'email', 'post'] as const;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Str = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const SubmitCaseBody = Type.Object(
  {
    municipalityId: Type.Integer({ minimum: 1 }),
    channel: StringEnum(CHANNELS),
    kind: Type.Optional(StringEnum(KINDS)),
    categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
    regime: Type.Optional(StringEnum(REGIMES)),
    text: Type.String({ minLength: 1, maxLength: 20000 }),
    address: Type.Optional(Str(500)),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    receivedAt: Type.Optional(Type.String({ format: 'date-time', description: 'operator channels: when it arrived' })),
    lastName: Type.Optional(Str(100)),
    firstName: Type.Optional(Str(100)),
    middleName: Type.Optional(Str(100)),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    phone: Type.Optional(Str(40)),
    postalAddress: Type.Optional(Str(500)),
    answerBy: Type.Optional(StringEnum(ANSWER_BY)),
    isAnonymous: Type.Optional(Type.Boolean()),
    attributes: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z0-9_-]{1,50}$' }),
        Type.Union([Type.String({ maxLength: 4000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200 })]),
        {
          description:
            'answers to the category’s questions (GET /categories/{id}/attributes) by code; a multivaluelist takes an array',
        },
      ),
    ),
    attachmentIds: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), {
        maxItems: 10,
        description: 'ids from POST /attachments: the caller’s own uploads, not on a case yet (at most 10, 25 MB in all)',
      }),
    ),
    coSigners: Type.Optional(
      Type.Array(
        Type.Object(
          {
            lastName: Str(100),
            firstName: Str(100),
            middleName: Type.Optional(Type.String({ maxLength: 100 })),
            email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
            postalAddress: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100, description: 'a collective appeal: the other signers (59-ФЗ ст. 4 п. 1)' },
      ),
    ),
  },
  { additionalProperties: false },
);

const DueOut = Type.Object({
  kind: Type.String(),
  dueAt: Type.String({ description: 'ISO instant with the municipality’s UTC offset' }),
  rule: Type.String(),
  source: Type.String(),
});

export const CaseSummaryOut = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  municipalityId: Type.Integer(),
  regime: Type.String(),
  channel: Type.String(),
  kind: Type.String(),
  categoryId: Type.Union([Type.Integer(), Type.Null()]),
  categoryName: Nullable(Type.String()),
  status: Type.String(),
  text: Type.String(),
  address: Nullable(Type.String()),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  executorUserId: Type.Union([Type.Integer(), Type.Null()]),
  executorName: Nullable(Type.String()),
  receivedAt: Type.String(),
  registeredAt: Nullable(Type.String()),
  due: Type.Union([DueOut, Type.Null()]),
  answerDue: Type.Union([DueOut, Type.Null()]),
  clusterPrimaryCaseId: Type.Union([Type.Integer(), Type.Null()], {
    description: 'set on a member of a cluster of duplicates: the case answered for the whole cluster',
  }),
  hasLocation: Type.Boolean({ description: 'the case has a point (a map report): merging keeps it as the primary' }),
});

export const ClusterOut = Type.Object(
  {
    primaryCaseId: Type.Integer(),
    primaryNumber: Type.String(),
    members: Type.Array(Type.Object({ id: Type.Integer(), number: Type.String(), status: Type.String() })),
  },
  { description: 'duplicates merged into one cluster, answered once through its primary' },
);

export const CaseOut = Type.Intersect([
  CaseSummaryOut,
  Type.Object({
    applicant: Type.Object({
      userId: Type.Union([Type.Integer(), Type.Null()]),
      isAnonymous: Type.Boolean(),
      lastName: Nullable(Type.String()),
      firstName: Nullable(Type.String()),
      middleName: Nullable(Type.String()),
      email: Nullable(Type.String()),
      phone: Nullable(Type.String()),
      postalAddress: Nullable(Type.String()),
      answerBy: Nullable(Type.String()),
    }),
    lat: Type.Union([Type.Number(), Type.Null()]),
    lon: Type.Union([Type.Number(), Type.Null()]),
    mediaUrl: Type.Union([Type.String(), Type.Null()], {
      description: 'where the case came from: the social-media post an incident was accepted from (issue 6), an Open311 photo',
    }),
    attributes: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]), {
      description: 'answers to the category’s questions, by code (issue 5)',
    }),
    answer: Type.Union([
      Type.Object({ text: Type.String(), result: Nullable(Type.String()), answeredAt: Type.String() }),
      Type.Null(),
    ]),
    draft: Type.Union([Type.Object({ text: Type.String(), result: Nullable(Type.String()) }), Type.Null()]),
    extensionCount: Type.Integer(),
    attachments: Type.Array(
      Type.Object({
        id: Type.Integer(),
        fileName: Type.String(),
        contentType: Type.String(),
        size: Type.Integer(),
        url: Type.String({ description: 'GET to download (GET /attachments/{id})' }),
      }),
    ),
    allowedActions: Type.Array(Type.String(), {
      description: 'the workflow actions the caller may take on this case now (POST /cases/{id}/{action})',
    }),
    closure: Type.Union([
      Type.Object({
        reason: Type.String({
          description: 'anonymous | abusive | unreadable | court_decision | correspondence_terminated | withdrawn',
        }),
        comment: Nullable(Type.String()),
        forwardedTo: Nullable(Type.String()),
        closedAt: Type.String(),
      }),
      Type.Null(),
    ]),
    coSigners: Type.Array(
      Type.Object({
        lastName: Type.String(),
        firstName: Type.String(),
        middleName: Nullable(Type.String()),
        email: Nullable(Type.String()),
        postalAddress: Nullable(Type.String()),
      }),
    ),
    cluster: Type.Union([ClusterOut, Type.Null()]),
    deadlines: Type.Array(
      Type.Object({
        kind: Type.String(),
        dueAt: Type.String(),
        legalDueAt: Type.String(),
        internal: Type.Boolean(),
        rule: Type.String(),
        source: Type.String(),
        verified: Type.Boolean(),
        provisional: Type.Boolean(),
      }),
    ),
    timeline: Type.Array(
      Type.Object({
        id: Type.Integer(),
        at: Type.String(),
        type: Type.String(),
        actorUserId: Type.Union([Type.Integer(), Type.Null()]),
        actorName: Nullable(Type.String()),
        data: Type.Record(Type.String(), Type.Unknown()),
        deadlineAt: Nullable(Type.String()),
        late: Type.Union([Type.Boolean(), Type.Null()]),
      }),
    ),
  }),
]);

export const CaseListQuery = Type.Object(
  {
    status: Type.Optional(Str(40)),
    regime: Type.Optional(StringEnum(REGIMES)),
    channel: Type.Optional(StringEnum(CHANNELS)),
    category: Type.Optional(Type.Integer({ minimum: 1 })),
    department: Type.Optional(Type.Integer({ minimum: 1 })),
    executor: Type.Optional(Type.Integer({ minimum: 1 })),
    overdue: Type.Optional(Type.Boolean()),
    dueToday: Type.Optional(Type.Boolean()),
    q: Type.Optional(Str(200)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const CategoryOut = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.Integer(),
  name: Type.String(),
  totkoCode: Nullable(Type.String()),
  regime: Type.String(),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  isActive: Type.Boolean(),
});

export const CategoryBody = Type.Object(
  {
    name: Str(200),
    totkoCode: Type.Optional(Type.Union([Str(30), Type.Null()])),
    regime: Type.Optional(StringEnum(REGIMES)),
    departmentId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    isActive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const CategoryPatch = Type.Partial(CategoryBody, { additionalProperties: false });

/** Workflow statuses (issue 4): registered → assigned → in_work → answer_drafted → answered; redirected. */
export const CASE_STATUSES = ['registered', 'assigned', 'in_work', 'answer_drafted', 'answered', 'rated', 'redirected'] as const;
export const ANSWER_RESULTS = ['supported', 'not_supported', 'explained'] as const;

export const AssignBody = Type.Object(
  { departmentId: Type.Integer({ minimum: 1 }), executorUserId: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);
export const DraftAnswerBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 20000 }), result: StringEnum(ANSWER_RESULTS) },
  { additionalProperties: false },
);
export const CommentBody = Type.Object({ comment: Str(2000) }, { additionalProperties: false });
export const EmptyBody = Type.Optional(Type.Object({}, { additionalProperties: false }));
export const ExtendBody = Type.Object(
  { reason: Str(2000), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })) },
  { additionalProperties: false },
);
export const RedirectBody = Type.Object({ to: Str(500), reason: Str(2000) }, { additionalProperties: false });
export const RateBody = Type.Object(
  { rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export const ReasonBody = Type.Object({ reason: Str(2000) }, { additionalProperties: false });
/** Issue 5: a message or incident fixed, with the after-photo (the staff member's own upload) and the answer text. */
export const MarkFixedBody = Type.Object(
  { text: Str(5000), attachmentId: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
// Side paths (59-ФЗ ст. 11, withdrawal, regime conversion).
export const WithdrawBody = Type.Optional(
  Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
);
export const LeaveUnansweredBody = Type.Object(
  {
    comment: Str(2000),
    forwardedTo: Type.Optional(Type.String({ maxLength: 500, description: 'the state body an offence report went to' })),
  },
  { additionalProperties: false },
);
export const NotifyUnreadableBody = Type.Object(
  { comment: Str(2000), kind: Type.Optional(StringEnum(['unreadable', 'unclear'] as const)) },
  { additionalProperties: false },
);
export const TerminateBody = Type.Object(
  { comment: Str(2000), previousCaseIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);
export const ConvertBody = Type.Object({ regime: StringEnum(REGIMES), reason: Str(2000) }, { additionalProperties: false });

// Answer templates, routing rules, workload, ТОТКО import (issue 4: templates.routes.ts).
const NullableId = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]);
export const AnswerTemplateOut = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.Integer(),
  categoryId: Type.Union([Type.Integer(), Type.Null()], { description: 'null: for any category' }),
  title: Type.String(),
  text: Type.String({
    description:
      'may contain {{number}}, {{applicant}}, {{received}}, {{registered}}, {{category}}, {{address}}, {{municipality}}, {{today}}',
  }),
  result: Type.Union([StringEnum(ANSWER_RESULTS), Type.Null()]),
  isActive: Type.Boolean(),
});
export const AnswerTemplateBody = Type.Object(
  {
    categoryId: Type.Optional(NullableId),
    title: Str(200),
    text: Type.String({ minLength: 1, maxLength: 20000 }),
    result: Type.Optional(Type.Union([StringEnum(ANSWER_RESULTS), Type.Null()])),
    isActive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const AnswerTemplatePatch = Type.Partial(AnswerTemplateBody, { additionalProperties: false });
export const AnswerTemplateQuery = Type.Object(
  { categoryId: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

export const RoutingRuleOut = Type.Object({
  categoryId: Type.Integer(),
  categoryName: Type.String(),
  totkoCode: Nullable(Type.String()),
  regime: Type.String(),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  departmentName: Nullable(Type.String()),
});
export const RoutingOut = Type.Object({ rules: Type.Array(RoutingRuleOut) });
export const RoutingBody = Type.Object(
  {
    rules: Type.Array(
      Type.Object({ categoryId: Type.Integer({ minimum: 1 }), departmentId: NullableId }, { additionalProperties: false }),
      { maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);

export const WorkloadOut = Type.Object({
  items: Type.Array(
    Type.Object({
      userId: Type.Integer(),
      name: Type.String(),
      departmentId: Type.Union([Type.Integer(), Type.Null()]),
      departmentName: Nullable(Type.String()),
      open: Type.Integer(),
      overdue: Type.Integer({ description: 'open and past the next deadline (due_at)' }),
      dueSoon: Type.Integer({ description: 'open and due within the next 24 hours' }),
    }),
  ),
});

export const TotkoImportOut = Type.Object({
  total: Type.Integer(),
  added: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
});
