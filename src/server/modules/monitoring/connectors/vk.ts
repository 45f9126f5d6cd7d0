import { boolean, type Fields, httpUrl, integer, listOf, number, objectOf, stringOf } from './config.ts';
import { Pacer, parseJsonResponse } from './http.ts';
import { checkPosts } from './text.ts';
import {
  ConfigError,
  type Connector,
  type ConnectorEnv,
  ConnectorError,
  type ConnectorSource,
  emptyResult,
  type FetchedPost,
  type FetchResult,
  PollBudgetExceeded,
  type PublishedReply,
  type ReplyTarget,
} from './types.ts';

/*
 * VK API (dev.vk.com/ru/method, version pinned by `apiVersion`, 5.199 by default): every method is
 * POST {apiUrl}/{method} with form fields, `access_token` (a service token of our VK app for reading; a community
 * token for wall.createComment) and `v`. Success is {"response": …}; failure is HTTP 200 with
 * {"error": {"error_code", "error_msg", "request_params"}} (dev.vk.com/ru/reference/errors).
 *
 *  - Community walls: wall.get (owner_id < 0 for a community, offset, count ≤ 100, extended=1 for names) returns
 *    the newest first, a pinned post (is_pinned = 1) possibly on top. The cursor keeps the last post id per owner;
 *    pages are read until a known id appears (at most WALL_PAGES pages a poll).
 *  - Comments on those walls: wall.getComments (owner_id, post_id, sort=asc, start_comment_id, count ≤ 100) for
 *    the recent posts whose comments.count grew; the cursor keeps the last comment id per post.
 *  - Keyword search: newsfeed.search (q, start_time, end_time, start_from = the previous answer's next_from,
 *    count ≤ 200). A run pages through one fixed [start_time, end_time] window; the cursor keeps the window and
 *    next_from while a run is under way, so a rate limit in the middle resumes where it stopped. The next window
 *    starts SEARCH_OVERLAP_S before the last one ended (the search index lags); repeats are dropped by the unique key.
 *  - Rate limits: error 6 «Too many requests per second», 9 «Flood control», 29 «Rate limit reached» stop the poll
 *    (what was read so far is kept) and the poller backs off exponentially from 1 s. Requests are also spaced by
 *    `requestsPerSecond` (VK: 3 per second for a user token, more for a service token).
 */

export const VK_API_URL = 'https://api.vk.com/method';
export const VK_API_VERSION = '5.199';
const WALL_PAGE = 100;
const WALL_PAGES = 10;
const COMMENTS_PAGE = 100;
const COMMENTS_PAGES = 5;
/** Posts whose comments are watched, per wall (the most recent within commentsWindowS). */
const COMMENTED_POSTS = 20;
const SEARCH_PAGE = 200;
const SEARCH_PAGES = 5;
export const SEARCH_OVERLAP_S = 300;

const RATE_LIMIT_CODES = new Set([6, 9, 29]);
const AUTH_CODES = new Set([5, 28]);
const TRANSIENT_CODES = new Set([1, 10]);

export interface VkConfig {
  apiUrl: string;
  apiVersion: string;
  /** Walls to read: community ids are negative (-1 = vk.com/club1). */
  owners: number[];
  /** newsfeed.search queries. */
  queries: string[];
  /** Read comments under the walls' recent posts. */
  comments: boolean;
  commentsWindowS: number;
  /** The first poll reads this far back. */
  lookbackS: number;
  requestsPerSecond: number;
  /** Publish replies on behalf of the wall's community (from_group) — with a community token. */
  replyAsGroup: boolean;
}

interface CommentWatch {
  /** comments.count when last read completely. */
  count: number;
  lastCommentId: number;
  date: number;
}

interface WallCursor {
  lastPostId: number;
  posts: Record<string, CommentWatch>;
}

interface SearchCursor {
  since: number;
  until?: number;
  nextFrom?: string;
}

export interface VkCursor {
  walls: Record<string, WallCursor>;
  searches: Record<string, SearchCursor>;
}

const KNOWN = [
  'apiUrl',
  'apiVersion',
  'owners',
  'queries',
  'comments',
  'commentsWindowS',
  'lookbackS',
  'requestsPerSecond',
  'replyAsGroup',
];

export function parseVkConfig(input: unknown): VkConfig {
  const f: Fields = objectOf(input, KNOWN);
  const owners = listOf(f, 'owners', 100, (v, field) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v === 0) {
      throw new ConfigError(field, 'must be a VK owner id: a community is negative (-1 for vk.com/club1), a person positive');
    }
    return v;
  });
  const queries = listOf(f, 'queries', 50, (v, field) => {
    if (typeof v !== 'string' || v.trim().length < 1 || v.length > 500) throw new ConfigError(field, 'must be 1–500 characters');
    return v.trim();
  });
  if (owners.length === 0 && queries.length === 0) {
    throw new ConfigError('owners', 'give at least one wall (owners) or one search (queries)');
  }
  return {
    apiUrl: httpUrl(f, 'apiUrl', VK_API_URL),
    apiVersion: stringOf(f, 'apiVersion', VK_API_VERSION, /^5\.\d{1,3}$/, 'must be a VK API version such as 5.199'),
    owners,
    queries,
    comments: boolean(f, 'comments', true),
    commentsWindowS: integer(f, 'commentsWindowS', 3 * 86400, 3600, 30 * 86400),
    lookbackS: integer(f, 'lookbackS', 86400, 0, 30 * 86400),
    requestsPerSecond: number(f, 'requestsPerSecond', 3, 0.1, 1000),
    replyAsGroup: boolean(f, 'replyAsGroup', true),
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);

/** A cursor read back from the database, kept only where it has the expected shape. */
export function normalizeVkCursor(raw: unknown): VkCursor {
  const out: VkCursor = { walls: {}, searches: {} };
  if (!isObj(raw)) return out;
  if (isObj(raw.walls)) {
    for (const [owner, w] of Object.entries(raw.walls)) {
      if (!isObj(w) || int(w.lastPostId) === undefined) continue;
      const posts: Record<string, CommentWatch> = {};
      if (isObj(w.posts)) {
        for (const [id, p] of Object.entries(w.posts)) {
          if (isObj(p) && int(p.count) !== undefined && int(p.lastCommentId) !== undefined && int(p.date) !== undefined) {
            posts[id] = { count: p.count as number, lastCommentId: p.lastCommentId as number, date: p.date as number };
          }
        }
      }
      out.walls[owner] = { lastPostId: w.lastPostId as number, posts };
    }
  }
  if (isObj(raw.searches)) {
    for (const [q, s] of Object.entries(raw.searches)) {
      if (!isObj(s) || int(s.since) === undefined) continue;
      const c: SearchCursor = { since: s.since as number };
      if (int(s.until) !== undefined) c.until = s.until as number;
      if (typeof s.nextFrom === 'string' && s.nextFrom) c.nextFrom = s.nextFrom;
      out.searches[q] = c;
    }
  }
  return out;
}

interface VkItem {
  id: number;
  owner_id: number;
  from_id?: number;
  date: number;
  text?: string;
  is_pinned?: number;
  post_id?: number;
  comments?: { count?: number };
  [k: string]: unknown;
}

interface Names {
  profiles: Map<number, { name: string; handle: string | null }>;
  groups: Map<number, { name: string; handle: string | null }>;
}

function namesOf(response: Record<string, unknown>): Names {
  const names: Names = { profiles: new Map(), groups: new Map() };
  for (const p of Array.isArray(response.profiles) ? response.profiles : []) {
    if (!isObj(p) || int(p.id) === undefined) continue;
    const name = [p.first_name, p.last_name].filter((x) => typeof x === 'string' && x).join(' ');
    names.profiles.set(p.id as number, { name, handle: typeof p.screen_name === 'string' ? p.screen_name : null });
  }
  for (const g of Array.isArray(response.groups) ? response.groups : []) {
    if (!isObj(g) || int(g.id) === undefined) continue;
    names.groups.set(g.id as number, {
      name: typeof g.name === 'string' ? g.name : '',
      handle: typeof g.screen_name === 'string' ? g.screen_name : null,
    });
  }
  return names;
}

function author(fromId: number | undefined, names: Names): { authorHandle: string | null; authorName: string | null } {
  if (fromId === undefined || fromId === 0) return { authorHandle: null, authorName: null };
  const known = fromId > 0 ? names.profiles.get(fromId) : names.groups.get(-fromId);
  return {
    authorHandle: known?.handle || (fromId > 0 ? `id${fromId}` : `club${-fromId}`),
    authorName: known?.name || null,
  };
}

/** Items of a response that have the fields we rely on; the rest are reported as malformed. */
function itemsOf(response: Record<string, unknown>, skippedOut: { externalId: string | null; reason: string }[]): VkItem[] {
  if (!Array.isArray(response.items)) throw new ConnectorError('bad_response', 'VK answered without an items list');
  const out: VkItem[] = [];
  for (const it of response.items) {
    if (
      isObj(it) &&
      int(it.id) !== undefined &&
      int(it.date) !== undefined &&
      (it.text === undefined || typeof it.text === 'string')
    ) {
      out.push(it as VkItem);
    } else {
      const id = isObj(it) && (typeof it.id === 'number' || typeof it.id === 'string') ? String(it.id) : null;
      skippedOut.push({ externalId: id, reason: 'malformed VK item (no id, date or text)' });
    }
  }
  return out;
}

function postOf(item: VkItem, ownerId: number, names: Names): FetchedPost {
  return {
    externalId: `${ownerId}_${item.id}`,
    parentExternalId: null,
    url: `https://vk.com/wall${ownerId}_${item.id}`,
    ...author(item.from_id ?? ownerId, names),
    text: item.text ?? '',
    publishedAt: new Date(item.date * 1000),
    raw: item,
  };
}

function commentOf(item: VkItem, ownerId: number, postId: number, names: Names): FetchedPost {
  return {
    externalId: `${ownerId}_${postId}_${item.id}`,
    parentExternalId: `${ownerId}_${postId}`,
    url: `https://vk.com/wall${ownerId}_${postId}?reply=${item.id}`,
    ...author(item.from_id, names),
    text: item.text ?? '',
    publishedAt: new Date(item.date * 1000),
    raw: item,
  };
}

/** One VK API call; the error object becomes a ConnectorError of the right kind. */
export class VkApi {
  readonly #pacer: Pacer;
  constructor(
    readonly config: Pick<VkConfig, 'apiUrl' | 'apiVersion' | 'requestsPerSecond'>,
    readonly token: string,
    readonly env: ConnectorEnv,
  ) {
    this.#pacer = new Pacer(1000 / config.requestsPerSecond);
  }

  async call(
    method: string,
    params: Record<string, string | number | undefined>,
  ): Promise<{ response: unknown; lossy: boolean }> {
    if (this.env.deadline !== undefined && Date.now() >= this.env.deadline) throw new PollBudgetExceeded();
    await this.#pacer.wait();
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) body.set(k, String(v));
    body.set('access_token', this.token);
    body.set('v', this.config.apiVersion);
    const res = await this.env.http.request(`${this.config.apiUrl}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
      body,
    });
    if (res.status === 429) throw new ConnectorError('rate_limit', `VK ${method}: HTTP 429`, { code: 429 });
    if (res.status >= 500) throw new ConnectorError('network', `VK ${method}: HTTP ${res.status}`, { code: res.status });
    const { value, lossy } = parseJsonResponse(res, `VK ${method}`);
    if (!isObj(value)) throw new ConnectorError('bad_response', `VK ${method}: the answer is not a JSON object`);
    if (isObj(value.error)) {
      const code = int(value.error.error_code) ?? 0;
      const msg = typeof value.error.error_msg === 'string' ? value.error.error_msg : 'no message';
      const text = `VK ${method}: error ${code} «${msg}»`;
      if (RATE_LIMIT_CODES.has(code)) throw new ConnectorError('rate_limit', text, { code });
      if (AUTH_CODES.has(code)) throw new ConnectorError('auth', text, { code });
      if (TRANSIENT_CODES.has(code)) throw new ConnectorError('network', text, { code });
      throw new ConnectorError('api', text, { code });
    }
    if (!('response' in value))
      throw new ConnectorError('bad_response', `VK ${method}: neither response nor error in the answer`);
    return { response: value.response, lossy };
  }
}

/** Everything a poll collects; partial results stay valid when a later call fails. */
class Collector {
  posts: FetchedPost[] = [];
  skipped: { externalId: string | null; reason: string }[] = [];
  warnings: string[] = [];
  more = false;
  add(posts: FetchedPost[], lossy: boolean) {
    const checked = checkPosts(posts, { lossyDecoding: lossy });
    this.posts.push(...checked.posts);
    this.skipped.push(...checked.skipped);
  }
}

/** Fatal for the whole poll: stop and keep what was read. Other API errors concern one stream only. */
const stopsPoll = (e: unknown) => e instanceof PollBudgetExceeded || !(e instanceof ConnectorError) || e.kind !== 'api';

async function pollWall(
  api: VkApi,
  config: VkConfig,
  ownerId: number,
  prev: WallCursor | undefined,
  nowS: number,
  out: Collector,
  save: (c: WallCursor) => void,
): Promise<void> {
  const firstRun = prev === undefined;
  const lastPostId = prev?.lastPostId ?? 0;
  const since = nowS - config.lookbackS;
  let maxId = lastPostId;
  const seen: VkItem[] = [];
  let offset = 0;
  for (let page = 1; ; page++) {
    const { response, lossy } = await api.call('wall.get', { owner_id: ownerId, offset, count: WALL_PAGE, extended: 1 });
    if (!isObj(response)) throw new ConnectorError('bad_response', 'VK wall.get: response is not an object');
    const items = itemsOf(response, out.skipped);
    const names = namesOf(response);
    const fresh = items.filter((i) => i.id > lastPostId && (!firstRun || i.date >= since));
    out.add(
      fresh.map((i) => postOf(i, ownerId, names)),
      lossy,
    );
    seen.push(...items);
    for (const i of items) maxId = Math.max(maxId, i.id);
    const reachedKnown = items.some((i) => !i.is_pinned && i.id <= lastPostId);
    if (firstRun || reachedKnown || items.length < WALL_PAGE) break;
    if (page >= WALL_PAGES) {
      out.warnings.push(
        `VK wall ${ownerId}: more than ${WALL_PAGES * WALL_PAGE} new posts since the last poll; older ones skipped`,
      );
      break;
    }
    offset += items.length;
  }
  const next: WallCursor = { lastPostId: maxId, posts: {} };
  // Keep watching recent posts only.
  const windowStart = nowS - config.commentsWindowS;
  for (const [id, w] of Object.entries(prev?.posts ?? {})) if (w.date >= windowStart) next.posts[id] = { ...w };
  // The posts read so far and this cursor go together; each comment thread below updates it as it completes.
  save(next);
  if (!config.comments) return;
  const recent = seen
    .filter((i) => i.date >= windowStart)
    .sort((a, b) => b.id - a.id)
    .slice(0, COMMENTED_POSTS);
  for (const post of recent) {
    const count = int(post.comments?.count) ?? 0;
    const watch = next.posts[String(post.id)];
    if (count === 0 || (watch && count <= watch.count)) {
      if (watch) watch.count = count;
      continue;
    }
    try {
      next.posts[String(post.id)] = await pollComments(api, ownerId, post, watch, firstRun ? since : 0, count, out);
    } catch (error) {
      if (stopsPoll(error)) throw error;
      // Comments closed or the post deleted: note it and stop asking until the count changes again.
      out.warnings.push((error as Error).message);
      next.posts[String(post.id)] = { count, lastCommentId: watch?.lastCommentId ?? 0, date: post.date };
    }
  }
}

async function pollComments(
  api: VkApi,
  ownerId: number,
  post: VkItem,
  watch: CommentWatch | undefined,
  since: number,
  count: number,
  out: Collector,
): Promise<CommentWatch> {
  let last = watch?.lastCommentId ?? 0;
  for (let page = 1; page <= COMMENTS_PAGES; page++) {
    const { response, lossy } = await api.call('wall.getComments', {
      owner_id: ownerId,
      post_id: post.id,
      count: COMMENTS_PAGE,
      sort: 'asc',
      extended: 1,
      ...(last > 0 && { start_comment_id: last }),
    });
    if (!isObj(response)) throw new ConnectorError('bad_response', 'VK wall.getComments: response is not an object');
    const items = itemsOf(response, out.skipped);
    const names = namesOf(response);
    const fresh = items.filter((c) => c.id > last);
    // The wall's own community answering on its wall is the administration (our own replies), not a resident.
    out.add(
      fresh.filter((c) => c.date >= since && c.from_id !== ownerId).map((c) => commentOf(c, ownerId, post.id, names)),
      lossy,
    );
    for (const c of fresh) last = Math.max(last, c.id);
    // start_comment_id is inclusive: a full page may still hold one known comment.
    if (items.length < COMMENTS_PAGE || fresh.length === 0) return { count, lastCommentId: last, date: post.date };
  }
  // More than COMMENTS_PAGES pages at once: keep the old count so the next poll reads on.
  out.more = true;
  return { count: watch?.count ?? 0, lastCommentId: last, date: post.date };
}

async function pollSearch(
  api: VkApi,
  query: string,
  prev: SearchCursor | undefined,
  nowS: number,
  lookbackS: number,
  out: Collector,
  save: (c: SearchCursor) => void,
): Promise<void> {
  const since = prev?.since ?? nowS - lookbackS;
  const until = prev?.until ?? nowS;
  let nextFrom = prev?.nextFrom;
  for (let page = 1; ; page++) {
    const { response, lossy } = await api.call('newsfeed.search', {
      q: query,
      count: SEARCH_PAGE,
      start_time: since,
      end_time: until,
      start_from: nextFrom,
      extended: 1,
    });
    if (!isObj(response)) throw new ConnectorError('bad_response', 'VK newsfeed.search: response is not an object');
    const items = itemsOf(response, out.skipped);
    const names = namesOf(response);
    out.add(
      items.filter((i) => int(i.owner_id) !== undefined).map((i) => postOf(i, i.owner_id, names)),
      lossy,
    );
    nextFrom = typeof response.next_from === 'string' && response.next_from ? response.next_from : undefined;
    if (!nextFrom || items.length === 0) {
      // The window is done; the next one overlaps it a little (the search index lags behind the walls).
      save({ since: Math.max(since, until - SEARCH_OVERLAP_S) });
      return;
    }
    save({ since, until, nextFrom });
    if (page >= SEARCH_PAGES) {
      out.more = true;
      return;
    }
  }
}

async function fetchVk(source: ConnectorSource<VkConfig>, raw: unknown, env: ConnectorEnv): Promise<FetchResult<VkCursor>> {
  const config = source.config;
  if (!source.secret) throw new ConnectorError('config', 'VK: no service token is set for this source');
  const cursor = normalizeVkCursor(raw);
  const next: VkCursor = { walls: { ...cursor.walls }, searches: { ...cursor.searches } };
  const api = new VkApi(config, source.secret, env);
  const out = new Collector();
  const nowS = Math.floor(env.now.getTime() / 1000);
  let error: ConnectorError | undefined;
  try {
    for (const owner of config.owners) {
      try {
        await pollWall(api, config, owner, cursor.walls[String(owner)], nowS, out, (c) => {
          next.walls[String(owner)] = c;
        });
      } catch (e) {
        if (stopsPoll(e)) throw e;
        out.warnings.push((e as Error).message);
      }
    }
    for (const q of config.queries) {
      try {
        await pollSearch(api, q, cursor.searches[q], nowS, config.lookbackS, out, (c) => {
          next.searches[q] = c;
        });
      } catch (e) {
        if (stopsPoll(e)) throw e;
        out.warnings.push((e as Error).message);
      }
    }
  } catch (e) {
    if (e instanceof PollBudgetExceeded) out.more = true;
    else error = e instanceof ConnectorError ? e : new ConnectorError('bad_response', `VK: ${(e as Error).message}`);
  }
  // Settings no longer listing an owner or a query drop its cursor.
  for (const k of Object.keys(next.walls)) if (!config.owners.includes(Number(k))) delete next.walls[k];
  for (const k of Object.keys(next.searches)) if (!config.queries.includes(k)) delete next.searches[k];
  return {
    ...emptyResult(next),
    posts: out.posts,
    skipped: out.skipped,
    warnings: out.warnings,
    more: out.more && !error,
    ...(error && { error }),
  };
}

/** Target ids: a post `owner_post`, a comment `owner_post_comment` (reply_to_comment). */
export function parseVkTarget(externalId: string): { ownerId: number; postId: number; commentId?: number } {
  const m = /^(-?\d+)_(\d+)(?:_(\d+))?$/.exec(externalId);
  if (!m) throw new ConnectorError('config', `VK: "${externalId}" is not a post or comment id`);
  return { ownerId: Number(m[1]), postId: Number(m[2]), ...(m[3] && { commentId: Number(m[3]) }) };
}

async function publishVkReply(
  source: ConnectorSource<VkConfig>,
  target: ReplyTarget,
  text: string,
  env: ConnectorEnv,
): Promise<PublishedReply> {
  if (!source.replySecret) throw new ConnectorError('config', 'VK: no community token for replies is set for this source');
  const { ownerId, postId, commentId } = parseVkTarget(target.externalId);
  const api = new VkApi(source.config, source.replySecret, env);
  const { response } = await api.call('wall.createComment', {
    owner_id: ownerId,
    post_id: postId,
    message: text,
    reply_to_comment: commentId,
    from_group: source.config.replyAsGroup && ownerId < 0 ? -ownerId : undefined,
  });
  const id = isObj(response) ? int(response.comment_id) : undefined;
  if (id === undefined) throw new ConnectorError('bad_response', 'VK wall.createComment: no comment_id in the answer');
  return { externalId: `${ownerId}_${postId}_${id}`, url: `https://vk.com/wall${ownerId}_${postId}?reply=${id}` };
}

export const vkConnector: Connector<VkConfig, VkCursor> = {
  kind: 'vk',
  parseConfig: parseVkConfig,
  secretRequired: true,
  fetch: fetchVk,
  publishReply: publishVkReply,
};
