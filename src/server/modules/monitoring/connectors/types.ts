import type { MonitoringSourceKind } from '../../../core/db/schema.ts';
import type { HttpClient } from './http.ts';

/**
 * One small interface per platform (issue 6, item 1). A connector turns a source's settings, its secret and its
 * cursor into new posts and the next cursor; it never touches the database. The poller stores the posts and the
 * cursor in one transaction, so a crash between fetch and commit fetches the same page again next time and the
 * unique key (source, external id) drops the repeats.
 */
export type SourceKind = MonitoringSourceKind;
export const SOURCE_KINDS: readonly SourceKind[] = ['vk', 'telegram', 'rss', 'webhook'];

/** A post or comment as a platform gave it, normalised. */
export interface FetchedPost {
  /** Unique within the source: VK `owner_post` (comments `owner_post_comment`), Telegram `chat_message`, a feed's guid. */
  externalId: string;
  /** For a comment: the post it answers (its externalId). */
  parentExternalId: string | null;
  url: string | null;
  authorHandle: string | null;
  authorName: string | null;
  text: string;
  publishedAt: Date;
  /** The platform's item as received (trimmed when very large). */
  raw: unknown;
}

/** An item the connector could not use: logged, counted on the source, never stored. */
export interface SkippedItem {
  externalId: string | null;
  reason: string;
}

export interface FetchResult<C = unknown> {
  posts: FetchedPost[];
  /** The cursor after these posts: saved with them, in the same transaction. */
  cursor: C;
  skipped: SkippedItem[];
  /** Set when the poll stopped early (rate limit, network, a bad answer): the posts and cursor so far still count. */
  error?: ConnectorError;
  /** Problems in one stream that did not stop the others (a private wall, a deleted chat): shown in the health. */
  warnings: string[];
  /** More is waiting right now (a full page was left): the poller may poll again at once. */
  more: boolean;
}

/** What a connector sees of its source. */
export interface ConnectorSource<C = unknown> {
  id: number;
  config: C;
  secret: string | null;
  replySecret: string | null;
}

/** The post a reply answers, as stored. */
export interface ReplyTarget {
  externalId: string;
  parentExternalId: string | null;
  raw: unknown;
}

export interface PublishedReply {
  externalId: string;
  url: string | null;
}

export interface ConnectorEnv {
  http: HttpClient;
  /** The injected clock's time at the start of the poll. */
  now: Date;
  /**
   * A soft time budget (Date.now() ms): a connector making many calls stops before starting one after it and reports
   * `more` — what it read so far is stored, the rest comes next poll. Keeps a poll well inside its lease.
   */
  deadline?: number;
}

/** Thrown by a connector's call helper when the poll's time budget is used up (not an error of the source). */
export class PollBudgetExceeded extends Error {
  constructor() {
    super('the poll used up its time budget');
    this.name = 'PollBudgetExceeded';
  }
}

export interface Connector<C = unknown, K = unknown> {
  kind: SourceKind;
  /** Validates and normalises settings (throws ConfigError naming the field); the result is what is stored. */
  parseConfig(input: unknown): C;
  /** Whether the source needs `secret` (a token) to work. */
  secretRequired: boolean;
  /** Absent for push sources (the webhook): the poller skips them. */
  fetch?(source: ConnectorSource<C>, cursor: K | null, env: ConnectorEnv): Promise<FetchResult<K>>;
  /** Publishes a reply in the post's thread, where the platform allows it; absent → replies are published by hand. */
  publishReply?(source: ConnectorSource<C>, target: ReplyTarget, text: string, env: ConnectorEnv): Promise<PublishedReply>;
}

export type ConnectorErrorKind =
  /** The platform asked us to slow down (VK 6, 9, 29; Telegram 429): wait `retryAfterMs` or back off exponentially. */
  | 'rate_limit'
  /** The token was refused. */
  | 'auth'
  /** A timeout, a refused connection, a 5xx. */
  | 'network'
  /** Not the format we expect (HTML instead of JSON, malformed JSON or XML, a missing field). */
  | 'bad_response'
  /** The platform refused the request for another reason (its error code and message are kept). */
  | 'api'
  /** The source's settings cannot work (no token). */
  | 'config';

export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly details: { retryAfterMs?: number; code?: number | string } = {},
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

export const isRateLimit = (e: unknown): e is ConnectorError => e instanceof ConnectorError && e.kind === 'rate_limit';

/** A setting that cannot work; `field` is the dotted path inside `config`. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`config.${field}: ${reason}`);
    this.name = 'ConfigError';
  }
}

/** A post longer than this is skipped (VK allows 16,384 characters, Telegram 4,096; a feed's article is trimmed). */
export const MAX_POST_TEXT = 100_000;
/** The stored raw item is replaced by a stub above this many characters of JSON. */
export const MAX_RAW_JSON = 256 * 1024;
export const MAX_EXTERNAL_ID = 500;

export function emptyResult<C>(cursor: C): FetchResult<C> {
  return { posts: [], cursor, skipped: [], warnings: [], more: false };
}
