import { Type } from 'typebox';
import { StringEnum } from '../../core/http/schemas.ts';
import { HighlightOut } from './queries.schemas.ts';
import { SourceKindSchema } from './sources.schemas.ts';

/*
 * The moderation workspace and replies (issue 6, items 6–7) — the API contract. All under /api/v1, cookie session
 * + X-CSRF-Token on writes.
 *
 *   GET  /monitoring/stream?status&municipalityId&regional&sourceId&q&cursor&limit  → 200 StreamOut
 *   GET  /monitoring/posts/{id}                                  → 200 PostOut (with its duplicates' ids)
 *   POST /monitoring/posts/{id}/accept    AcceptBody             → 200 ModeratedOut (an incident case made)
 *   POST /monitoring/posts/{id}/dismiss   DismissBody            → 200 ModeratedOut
 *   POST /monitoring/posts/bulk           BulkBody               → 200 BulkOut (each post's own outcome)
 *   POST /monitoring/posts/{id}/reply     ReplyBody              → 200 PostOut (reply.status published | manual | failed)
 *   POST /monitoring/posts/{id}/reply/confirm  ConfirmReplyBody  → 200 PostOut (a manual reply published by hand)
 *
 * Who: moderators, heads and municipal administrators of the post's municipality; the region's administrators
 * everywhere. The regional queue (posts with no municipality) is readable by all of them; a municipal moderator
 * accepts a regional post into their own municipality (AcceptBody.municipalityId or the category's), only the
 * region's administrators dismiss it. Another municipality's post is 404.
 *
 * The stream shows group heads only: a near-duplicate (repost, copy-paste) is hidden and counted in its head's
 * `duplicateCount`. Keyset paging: newest fetched first; `nextCursor` (opaque) is null on the last page.
 *
 * accept: makes an incident case through the one intake (channel `social`, regime `incident`, the category's
 * first-reaction deadline, default 24 h; the post's link in the case's `mediaUrl`, its text as the case text unless
 * `text` is given), the post becomes `accepted` with `caseId`. dismiss: `dismissed` with the reason. A post already
 * accepted or dismissed is 409 (ALREADY_HANDLED in bulk outcomes). Audit rows: monitoring_post.accept / .dismiss /
 * .reply / .reply_confirm.
 *
 * reply: published back where the source's connector can (VK wall.createComment with the source's community token,
 * Telegram sendMessage with reply_parameters); otherwise, or with `manual: true`, kept for publication by hand
 * (`manual`) — confirm it when done. A platform refusing is `failed` with the error (send again, or manual). The time
 * of the published or confirmed reply is the incident's first reaction (a `first_reaction` timeline event with
 * `late` against its deadline). One reply per post: a second one is 409 unless the first failed.
 */

export const POST_STATUSES = ['new', 'matched', 'unmatched', 'accepted', 'dismissed'] as const;
export const REPLY_STATUSES = ['sending', 'published', 'manual', 'failed'] as const;

const DateTime = Type.String({ format: 'date-time' });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);

export const StreamQuery = Type.Object(
  {
    status: Type.Optional(StringEnum([...POST_STATUSES, 'all'] as const, { description: 'default matched; all: every status' })),
    municipalityId: Type.Optional(Type.Integer({ minimum: 1, description: 'this municipality’s queue' })),
    regional: Type.Optional(Type.Boolean({ description: 'the regional queue: posts with no municipality' })),
    sourceId: Type.Optional(Type.Integer({ minimum: 1 })),
    queryId: Type.Optional(Type.Integer({ minimum: 1, description: 'posts this query matched' })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'words the text or the author handle contains' })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'default 50' })),
  },
  { additionalProperties: false },
);

export const PlaceOut = Type.Object({
  kind: StringEnum(['municipality', 'settlement', 'district', 'street'] as const),
  name: Type.String({ description: 'the gazetteer’s name: «улица Весенняя», «Ленинский район»' }),
  text: Type.String({ description: 'the words of the post that name it' }),
  from: Type.Integer(),
  to: Type.Integer(),
  municipalityId: NullableInt,
  placeId: NullableInt,
  ambiguous: Type.Boolean({ description: 'the post names places in several municipalities' }),
});

export const MatchedQueryOut = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  highlights: Type.Array(HighlightOut),
});

export const ReplyOut = Type.Object({
  status: StringEnum(REPLY_STATUSES, {
    description: 'sending: being published now; manual: to publish by hand, then confirm; failed: see error',
  }),
  text: Type.String(),
  externalId: NullableString,
  url: NullableString,
  error: NullableString,
  repliedBy: NullableInt,
  repliedAt: Type.Union([DateTime, Type.Null()], { description: 'when it was published (or confirmed)' }),
});

export const StreamItemOut = Type.Object({
  id: Type.Integer(),
  status: StringEnum(POST_STATUSES),
  source: Type.Object({ id: Type.Integer(), kind: SourceKindSchema, name: Type.String() }),
  externalId: Type.String(),
  parentExternalId: NullableString,
  url: NullableString,
  authorHandle: NullableString,
  authorName: NullableString,
  text: Type.String(),
  publishedAt: DateTime,
  fetchedAt: DateTime,
  municipality: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()], {
    description: 'null: the regional queue',
  }),
  place: Type.Union([PlaceOut, Type.Null()]),
  category: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()], {
    description: 'the guess: the matched query’s default category',
  }),
  matchedQueries: Type.Array(MatchedQueryOut),
  duplicateCount: Type.Integer({ description: 'near-duplicates collapsed into this post' }),
  duplicateOf: Type.Union([Type.Integer(), Type.Null()], { description: 'the group’s head, for a hidden duplicate' }),
  caseId: NullableInt,
  caseNumber: NullableString,
  dismissReason: NullableString,
  moderatedBy: NullableInt,
  moderatedAt: Type.Union([DateTime, Type.Null()]),
  canReply: Type.Boolean({ description: 'the source can publish a reply back (else it is published by hand)' }),
  reply: Type.Union([ReplyOut, Type.Null()]),
});

export const StreamOut = Type.Object({
  items: Type.Array(StreamItemOut),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const PostOut = Type.Intersect([
  StreamItemOut,
  Type.Object({ duplicates: Type.Array(Type.Integer(), { description: 'ids of the hidden near-duplicates (≤ 100)' }) }),
]);

export const AcceptBody = Type.Object(
  {
    categoryId: Type.Optional(
      Type.Integer({ minimum: 1, description: 'default: the guess; an active category of the case’s municipality' }),
    ),
    municipalityId: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'where the case goes: default the post’s municipality, else the category’s; needed for a regional post',
      }),
    ),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 20000, description: 'the case text; default the post’s' })),
  },
  { additionalProperties: false },
);

export const DismissBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000, description: 'why it is noise' }) },
  { additionalProperties: false },
);

export const BulkBody = Type.Object(
  {
    ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 200, uniqueItems: true }),
    action: StringEnum(['accept', 'dismiss'] as const),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'dismiss: required' })),
    categoryId: Type.Optional(Type.Integer({ minimum: 1, description: 'accept: for every post (default each one’s guess)' })),
  },
  { additionalProperties: false },
);

export const ModeratedOut = Type.Object({
  post: StreamItemOut,
  case: Type.Union([
    Type.Object({
      id: Type.Integer(),
      number: Type.String(),
      municipalityId: Type.Integer(),
      dueAt: Type.Union([DateTime, Type.Null()], { description: 'the first reaction’s deadline' }),
      dueKind: NullableString,
    }),
    Type.Null(),
  ]),
});

export const BulkOut = Type.Object({
  results: Type.Array(
    Type.Object({
      id: Type.Integer(),
      ok: Type.Boolean(),
      caseId: NullableInt,
      caseNumber: NullableString,
      error: Type.Union([
        Type.Object({
          code: Type.String({ description: 'NOT_FOUND | CONFLICT | FORBIDDEN | VALIDATION_FAILED' }),
          message: Type.String(),
        }),
        Type.Null(),
      ]),
    }),
  ),
});

export const ReplyBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 4000 }),
    manual: Type.Optional(Type.Boolean({ description: 'do not publish: mark for publication by hand' })),
  },
  { additionalProperties: false },
);

export const ConfirmReplyBody = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'where the reply was published' })),
    publishedAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'when it was published by hand (default now; not in the future)' }),
    ),
  },
  { additionalProperties: false },
);
