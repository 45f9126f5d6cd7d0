import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../core/db/index.ts';
import { enqueue, type JobLogger } from '../../core/jobs/index.ts';
import { HttpClient, type HttpClientOptions } from './connectors/http.ts';
import { connectorFor } from './connectors/index.ts';
import { ConnectorError, type FetchedPost, type FetchResult, type SkippedItem } from './connectors/types.ts';
import {
  claimSourcePoll,
  dueSourceIds,
  insertPosts,
  lockIfLeased,
  type PollRecord,
  recordPoll,
  type SourceRow,
} from './monitoring.repository.ts';

/*
 * The poller (issue 6, item 1). A recurring job, `monitoring.poll`, runs once per tick across all app nodes (the job
 * runner's schedule: one job per period, claimed with SKIP LOCKED) and polls every active source that is due: its
 * interval has passed, its backoff too, and no other poll holds its lease (poll_token/poll_until, taken by one
 * atomic UPDATE, so a "poll now" and a tick never poll the same source at once, on one node or two).
 *
 * One poll: fetch (outside any transaction: a slow platform must not hold a database connection, and on PGlite the
 * only one) → in ONE transaction, fenced by the lease: insert the posts ON CONFLICT DO NOTHING, save the new cursor
 * and the health, and call the pipeline's onPostsStored hooks with the ids of the posts actually added. A crash or a
 * failing hook before the commit leaves the old cursor: the next poll fetches the same page and the unique key
 * drops what was already stored. Nothing lost, nothing duplicated.
 *
 * Backoff: VK errors 6/9/29 back off exponentially from 1 s (1, 2, 4 … s, at most an hour); Telegram 429 and an
 * HTTP 429/503 with Retry-After wait exactly what they say; any other error backs off from 30 s, doubling, at most an
 * hour. A backed-off source is next due when its backoff ends (ticks are POLL_TICK_SECONDS apart).
 */

export const POLL_JOB = 'monitoring.poll';
export const POLL_TICK_SECONDS = 15;
/**
 * A poll not finished after this long may be taken over (the node died mid-poll). A poll stays well inside it: a
 * connector starts no call after POLL_BUDGET_MS (it stores what it has and reports more), and each call has its own
 * timeout (HttpClient, 20 s).
 */
export const POLL_LEASE_MS = 3 * 60_000;
export const POLL_BUDGET_MS = 60_000;
/** Polls of one source in a row while it reports more waiting (a Telegram backlog, a long VK wall). */
export const MAX_ROUNDS = 5;
/** Sources polled at once by one tick. */
export const POLL_CONCURRENCY = 4;
const DUE_BATCH = 200;
export const MAX_BACKOFF_MS = 3600_000;
export const RATE_LIMIT_BASE_MS = 1000;
export const ERROR_BASE_MS = 30_000;

export interface PostsStoredEvent {
  sourceId: number;
  municipalityId: number | null;
  postIds: number[];
  now: Date;
}

/**
 * Called inside the transaction that stored new posts (the matcher, the gazetteer and grouping hang here). Use only
 * `trx`. Throwing rolls the batch back with its cursor: the source records the error and the posts come again.
 */
export type PostsStoredHook = (trx: Db, event: PostsStoredEvent) => Promise<void>;

/** The monitoring module's per-app state: the pipeline's hooks and the connectors' HTTP settings. */
export class MonitoringRuntime {
  readonly #hooks: PostsStoredHook[] = [];
  constructor(readonly httpOptions: HttpClientOptions = {}) {}

  /** The registration point for the pipeline: `app.monitoring.onPostsStored(async (trx, e) => …)`. */
  onPostsStored(hook: PostsStoredHook): void {
    this.#hooks.push(hook);
  }

  async postsStored(trx: Db, event: PostsStoredEvent): Promise<void> {
    for (const hook of this.#hooks) await hook(trx, event);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Social-media monitoring: `app.monitoring.onPostsStored(hook)` for the pipeline. */
    monitoring: MonitoringRuntime;
  }
}

export interface BackoffState {
  consecutiveErrors: number;
  consecutiveRateLimits: number;
}

/** How long to wait after a failed poll, given the failures in a row before it. Pure. */
export function backoffAfter(error: unknown, state: BackoffState): { ms: number; rateLimited: boolean } {
  if (error instanceof ConnectorError && error.kind === 'rate_limit') {
    if (error.details.retryAfterMs !== undefined)
      return { ms: Math.min(MAX_BACKOFF_MS, Math.max(0, error.details.retryAfterMs)), rateLimited: true };
    const n = Math.min(state.consecutiveRateLimits, 40);
    return { ms: Math.min(MAX_BACKOFF_MS, RATE_LIMIT_BASE_MS * 2 ** n), rateLimited: true };
  }
  const n = Math.min(state.consecutiveErrors, 40);
  return { ms: Math.min(MAX_BACKOFF_MS, ERROR_BASE_MS * 2 ** n), rateLimited: false };
}

export interface PollOutcome {
  sourceId: number;
  /** polled: fetched and stored; failed: the platform or storing failed (backoff set); skipped: not due or held. */
  status: 'polled' | 'failed' | 'skipped' | 'lost';
  stored: number;
  skipped: number;
  more: boolean;
  error?: string;
  backoffUntil?: Date;
}

export interface PollOptions {
  now: Date;
  /** "Poll now": ignore the interval (never the backoff or another poll's lease). */
  force?: boolean;
  log?: JobLogger;
  signal?: AbortSignal;
}

const silent: JobLogger = { info() {}, warn() {}, error() {} };

function describe(error: unknown): string {
  if (error instanceof ConnectorError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function skipSummary(skipped: SkippedItem[]): string | undefined {
  const last = skipped.at(-1);
  return last ? `${last.externalId ?? 'an item'}: ${last.reason}` : undefined;
}

/** At the poll: how old the newest new post was (0 with nothing new). */
function lagOf(posts: FetchedPost[], now: Date): number {
  if (posts.length === 0) return 0;
  const newest = Math.max(...posts.map((p) => p.publishedAt.getTime()));
  return Math.max(0, Math.round((now.getTime() - newest) / 1000));
}

/** One poll of one source: claim its lease, fetch, store in one transaction. Never throws for a platform's failure. */
export async function pollSource(
  db: Db,
  runtime: MonitoringRuntime,
  sourceId: number,
  options: PollOptions,
): Promise<PollOutcome> {
  const { now } = options;
  const log = options.log ?? silent;
  const token = randomBytes(12).toString('base64url');
  const source = await claimSourcePoll(db, {
    id: sourceId,
    token,
    now,
    until: new Date(now.getTime() + POLL_LEASE_MS),
    force: options.force ?? false,
  });
  const none = { sourceId, stored: 0, skipped: 0, more: false };
  if (!source) return { ...none, status: 'skipped' };

  const connector = connectorFor(source.kind);
  const http = new HttpClient({ ...runtime.httpOptions, ...(options.signal && { signal: options.signal }) });
  let result: FetchResult | undefined;
  let failure: unknown;
  try {
    if (!connector.fetch) throw new ConnectorError('config', `${source.kind} sources are pushed to, not polled`);
    const config = connector.parseConfig(source.config);
    result = await connector.fetch(
      { id: source.id, config, secret: source.secret, replySecret: source.reply_secret },
      source.cursor,
      { http, now, deadline: Date.now() + POLL_BUDGET_MS },
    );
    failure = result.error;
  } catch (error) {
    failure = error;
  }
  const posts = result?.posts ?? [];
  const skipped = result?.skipped ?? [];
  for (const s of skipped) log.warn({ sourceId, externalId: s.externalId, reason: s.reason }, 'monitoring: item skipped');
  for (const w of result?.warnings ?? []) log.warn({ sourceId, warning: w }, 'monitoring: stream problem');

  const state = { consecutiveErrors: source.consecutive_errors, consecutiveRateLimits: source.consecutive_rate_limits };
  const record = (stored: number, error: unknown): PollRecord => {
    const base = { now, stored, skipped: skipped.length, ...(skipped.length > 0 && { lastSkipReason: skipSummary(skipped) }) };
    if (error === undefined) {
      const warning = result?.warnings.at(-1);
      return {
        ...base,
        success: true,
        nextPollAt: new Date(now.getTime() + source.poll_interval_s * 1000),
        lagS: lagOf(posts, now),
        ...(warning !== undefined && { error: warning }),
      };
    }
    const { ms, rateLimited } = backoffAfter(error, state);
    const until = new Date(now.getTime() + ms);
    return { ...base, success: false, rateLimited, backoffUntil: until, nextPollAt: until, error: describe(error) };
  };

  let stored: number[] = [];
  let committed: 'done' | 'lost';
  try {
    committed = await db.transaction().execute(async (trx) => {
      if (!(await lockIfLeased(trx, sourceId, token))) return 'lost' as const;
      stored = await insertPosts(trx, sourceId, posts, now);
      const r = record(stored.length, failure);
      await recordPoll(trx, sourceId, token, result ? { ...r, cursor: result.cursor } : r);
      if (stored.length > 0) {
        await runtime.postsStored(trx, { sourceId, municipalityId: source.municipality_id, postIds: stored, now });
      }
      return 'done' as const;
    });
  } catch (error) {
    // Storing failed (a database error, a failing pipeline hook): nothing of this poll is kept, the cursor stays.
    log.error({ err: error, sourceId }, 'monitoring: storing a poll failed; it will be fetched again');
    failure = new Error(`storing failed: ${describe(error)}`);
    const r = record(0, failure);
    await recordPoll(db, sourceId, token, { ...r, skipped: 0 }).catch((e) =>
      log.error({ err: e, sourceId }, 'monitoring: recording a failed poll failed'),
    );
    stored = [];
    committed = 'done';
  }
  if (committed === 'lost') {
    log.warn({ sourceId }, 'monitoring: the poll lease was lost; this poll is discarded');
    return { ...none, status: 'lost' };
  }
  if (failure !== undefined) {
    const r = record(stored.length, failure);
    log.warn(
      { sourceId, kind: source.kind, error: r.error, backoffUntil: r.backoffUntil },
      'monitoring: poll failed; backing off',
    );
    return {
      sourceId,
      status: 'failed',
      stored: stored.length,
      skipped: skipped.length,
      more: false,
      error: r.error as string,
      backoffUntil: r.backoffUntil as Date,
    };
  }
  return { sourceId, status: 'polled', stored: stored.length, skipped: skipped.length, more: result?.more ?? false };
}

/** Polls a source, again at once while it reports more waiting (at most MAX_ROUNDS polls). */
export async function pollSourceRounds(db: Db, runtime: MonitoringRuntime, sourceId: number, options: PollOptions) {
  const outcomes: PollOutcome[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const o = await pollSource(db, runtime, sourceId, { ...options, force: round > 0 || options.force === true });
    outcomes.push(o);
    if (o.status !== 'polled' || !o.more) break;
  }
  return outcomes;
}

/** One tick: every due source, POLL_CONCURRENCY at a time. */
export async function pollDueSources(db: Db, runtime: MonitoringRuntime, options: PollOptions): Promise<PollOutcome[]> {
  const ids = await dueSourceIds(db, options.now, DUE_BATCH);
  const outcomes: PollOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as number;
      outcomes.push(...(await pollSourceRounds(db, runtime, id, { ...options, force: false })));
    }
  };
  await Promise.all(Array.from({ length: Math.min(POLL_CONCURRENCY, ids.length) }, worker));
  return outcomes;
}

export interface PollPayload {
  /** "Poll now" for one source; absent: every due source (the scheduled tick). */
  sourceId?: number;
}

/** Queues a "poll now" for a source (at the end of its backoff, if it is backing off). */
export function enqueuePoll(db: Db, source: SourceRow, now: Date) {
  const backoff = source.backoff_until;
  const runAt = backoff && backoff.getTime() > now.getTime() ? backoff : now;
  return enqueue(db, POLL_JOB, { sourceId: source.id } satisfies PollPayload, { now, runAt, maxAttempts: 3 });
}

/**
 * Wires monitoring into the app (one line in app.ts): `app.monitoring`, the poll job, and its recurring tick,
 * defined when the app listens (app.inject() tests drain only the polls they ask for).
 */
export function registerMonitoring(app: FastifyInstance, options: { http?: HttpClientOptions } = {}): MonitoringRuntime {
  const runtime = new MonitoringRuntime(options.http);
  app.decorate('monitoring', runtime);
  app.jobs.register<PollPayload>(POLL_JOB, async (payload, job) => {
    const opts = { now: job.now, log: app.log, signal: job.signal };
    if (typeof payload?.sourceId === 'number')
      await pollSourceRounds(job.db, runtime, payload.sourceId, { ...opts, force: true });
    else await pollDueSources(job.db, runtime, opts);
  });
  app.addHook('onListen', async () => {
    app.jobs.schedule(POLL_JOB, { everySeconds: POLL_TICK_SECONDS });
  });
  return runtime;
}
