import { Type } from 'typebox';
import { StringEnum } from '../../core/http/schemas.ts';
import { SOURCE_KINDS } from './connectors/types.ts';

export const SourceKindSchema = StringEnum(SOURCE_KINDS, { description: 'vk | telegram | rss | webhook' });

const Config = Type.Record(Type.String(), Type.Unknown(), {
  description:
    'The connector’s settings. vk: {owners: [community ids, negative], queries: [newsfeed.search], comments, ' +
    'commentsWindowS, lookbackS, apiVersion (pinned, default 5.199), requestsPerSecond, replyAsGroup, apiUrl}; ' +
    'telegram: {chatIds: [ids or @usernames], apiUrl}; rss: {url, lookbackS}; webhook: {}.',
});
const Secret = Type.String({
  minLength: 1,
  maxLength: 4000,
  description: 'vk: the service token; telegram: the bot token; webhook: the HMAC key. Write-only: never returned.',
});
const ReplySecret = Type.String({
  minLength: 1,
  maxLength: 4000,
  description: 'vk: a community token allowed to call wall.createComment (replies). Write-only.',
});
const Interval = Type.Integer({ minimum: 30, maximum: 86400, description: 'seconds between polls' });

export const CreateSourceBody = Type.Object(
  {
    municipalityId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'null: a regional source' }),
    kind: SourceKindSchema,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    config: Type.Optional(Config),
    secret: Type.Optional(Secret),
    replySecret: Type.Optional(ReplySecret),
    active: Type.Optional(Type.Boolean()),
    pollIntervalS: Type.Optional(Interval),
  },
  { additionalProperties: false },
);

export const UpdateSourceBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    config: Type.Optional(Config),
    secret: Type.Optional(Secret),
    replySecret: Type.Optional(Type.Union([ReplySecret, Type.Null()], { description: 'null removes it' })),
    active: Type.Optional(Type.Boolean({ description: 'false deactivates the source: it is no longer polled or accepted' })),
    pollIntervalS: Type.Optional(Interval),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const SourcesQuery = Type.Object(
  {
    municipalityId: Type.Optional(Type.Integer({ minimum: 1 })),
    regional: Type.Optional(Type.Boolean({ description: 'only the regional sources' })),
    kind: Type.Optional(SourceKindSchema),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const DateOrNull = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const SourceHealthOut = Type.Object({
  status: StringEnum(['ok', 'never', 'error', 'backoff', 'inactive'] as const, {
    description: 'never: not polled yet; backoff: waiting after a rate limit or errors; error: the last poll failed',
  }),
  lastPolledAt: DateOrNull,
  lastSuccessAt: DateOrNull,
  lastErrorAt: DateOrNull,
  lastError: Type.Union([Type.String(), Type.Null()]),
  consecutiveErrors: Type.Integer(),
  consecutiveRateLimits: Type.Integer(),
  backoffUntil: DateOrNull,
  nextPollAt: DateOrNull,
  lagS: Type.Union([Type.Integer(), Type.Null()], {
    description: 'at the last successful poll: how old the newest new post was (0 with nothing new)',
  }),
  sinceSuccessS: Type.Union([Type.Integer(), Type.Null()], { description: 'seconds since the last successful poll' }),
  postsTotal: Type.Integer(),
  skippedTotal: Type.Integer({ description: 'items that could not be used (malformed, too large, invalid UTF-8)' }),
  lastSkipReason: Type.Union([Type.String(), Type.Null()]),
});

export const SourceOut = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.Union([Type.Integer(), Type.Null()]),
  kind: SourceKindSchema,
  name: Type.String(),
  config: Config,
  secretSet: Type.Boolean(),
  replySecretSet: Type.Boolean(),
  canReply: Type.Boolean({ description: 'replies can be published back to the platform (else: by hand)' }),
  active: Type.Boolean(),
  pollIntervalS: Type.Integer(),
  cursor: Type.Unknown({ description: 'the per-stream positions (diagnostics)' }),
  webhookUrl: Type.Union([Type.String(), Type.Null()], { description: 'webhook sources: where to POST' }),
  health: SourceHealthOut,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const CreatedSourceOut = Type.Intersect([
  SourceOut,
  Type.Object({
    generatedSecret: Type.Optional(
      Type.String({ description: 'webhook sources created without a secret: the generated HMAC key, shown this once' }),
    ),
  }),
]);

export const PollQueuedOut = Type.Object({
  jobId: Type.Integer(),
  runAt: Type.String({ format: 'date-time', description: 'now, or when the source’s backoff ends' }),
});
