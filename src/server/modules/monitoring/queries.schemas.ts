import { Type } from 'typebox';
import { StringEnum } from '../../core/http/schemas.ts';
import { SourceKindSchema } from './sources.schemas.ts';

/*
 * Monitoring queries (issue 6, item 2) — the API contract. All under /api/v1, cookie session + X-CSRF-Token on writes.
 *
 *   GET   /monitoring/queries?municipalityId&regional&active        → 200 { items: QueryOut[] }
 *   POST  /monitoring/queries            CreateQueryBody             → 201 QueryOut
 *   GET   /monitoring/queries/{id}                                   → 200 QueryOut
 *   PATCH /monitoring/queries/{id}       UpdateQueryBody             → 200 QueryOut
 *   POST  /monitoring/queries/test       TestQueryBody               → 200 TestQueryOut
 *
 * Who: moderators, heads and municipal administrators of the owner municipality; the region's administrators for
 * every query and alone for the regional ones (municipalityId null). Regional queries are readable by all of them.
 * Another municipality's query by id is 404; listing another municipality's queries is 403.
 *
 * A query text that does not parse is 422 (code QUERY_SYNTAX) with
 *   { error: { code, message, details: [{ field: 'text', position, reason }] } }
 * where `position` is the 0-based index into the text (UTF-16, as JavaScript strings count) and `reason` the plain
 * Russian explanation from parseQuery («Не хватает закрывающей скобки»…). The editor can put the caret at `position`.
 *
 * Every change writes an audit row (monitoring_query.create / .update / .deactivate). Changes reach the matcher on
 * the stream at the next batch of posts (the pipeline checks a version of the active queries).
 */

const QueryText = Type.String({
  minLength: 1,
  maxLength: 2000,
  description:
    'The query language: words (Russian morphology), "exact phrases", AND / OR / NOT (И / ИЛИ / НЕ), parentheses, ' +
    'NEAR/n, prefix*. See src/server/modules/monitoring/query/README.md.',
});
const Name = Type.String({ minLength: 1, maxLength: 200 });
const CategoryId = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
  description: 'the default category of a post this query matches (an active category of the owner municipality)',
});

export const QueriesQuery = Type.Object(
  {
    municipalityId: Type.Optional(Type.Integer({ minimum: 1, description: 'this municipality’s queries' })),
    regional: Type.Optional(Type.Boolean({ description: 'only the regional queries (no owner municipality)' })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CreateQueryBody = Type.Object(
  {
    municipalityId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'null: a regional query' }),
    name: Name,
    text: QueryText,
    defaultCategoryId: Type.Optional(CategoryId),
    active: Type.Optional(Type.Boolean({ description: 'default true' })),
  },
  { additionalProperties: false },
);

export const UpdateQueryBody = Type.Object(
  {
    name: Type.Optional(Name),
    text: Type.Optional(QueryText),
    defaultCategoryId: Type.Optional(CategoryId),
    active: Type.Optional(Type.Boolean({ description: 'false: no longer matched on the stream' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const QueryOut = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  text: Type.String(),
  explained: Type.String({ description: 'how the query was understood, every group bracketed (explainQuery)' }),
  defaultCategoryId: Type.Union([Type.Integer(), Type.Null()]),
  defaultCategoryName: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const QueriesOut = Type.Object({ items: Type.Array(QueryOut) });

export const TestQueryBody = Type.Object(
  {
    text: QueryText,
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, description: 'how many of the newest stored posts to test (default 200)' }),
    ),
    municipalityId: Type.Optional(
      Type.Integer({ minimum: 1, description: 'only posts of this municipality’s queue (default: every post in scope)' }),
    ),
  },
  { additionalProperties: false },
);

/** A place in a post's text: UTF-16 offsets into `text`, `to` exclusive; `term` is the query's term as written. */
export const HighlightOut = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  term: Type.String(),
});

export const TestMatchOut = Type.Object({
  postId: Type.Integer(),
  source: Type.Object({ id: Type.Integer(), kind: SourceKindSchema, name: Type.String() }),
  url: Type.Union([Type.String(), Type.Null()]),
  authorHandle: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
  highlights: Type.Array(HighlightOut),
});

export const TestQueryOut = Type.Object({
  explained: Type.String(),
  /** Posts tested (at most `limit`, fewer when fewer are stored). */
  tested: Type.Integer(),
  matched: Type.Integer(),
  /** The matching posts, newest first. */
  items: Type.Array(TestMatchOut),
});

/** The 422 body of a query that does not parse. */
export const QuerySyntaxErrorOut = Type.Object({
  error: Type.Object({
    code: StringEnum(['QUERY_SYNTAX'] as const),
    message: Type.String(),
    details: Type.Array(
      Type.Object({
        field: Type.String({ description: 'text' }),
        position: Type.Integer({ description: '0-based index into the query text' }),
        reason: Type.String({ description: 'in Russian, for the person writing the query' }),
      }),
    ),
    requestId: Type.Optional(Type.String()),
  }),
});
