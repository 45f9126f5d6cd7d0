import type { ServerResponse } from 'node:http';
import { type FakeRequest, paramsOf, type RawAnswer, sendJson, sendRaw, startServer } from './fake-http.ts';

/**
 * A fake VK API on a real HTTP server, answering in VK's own formats (dev.vk.com/ru/method, v5.199):
 * POST or GET /method/<name> with access_token and v; {"response": …} on success; on failure HTTP 200 with
 * {"error": {"error_code", "error_msg", "request_params": [{key, value}]}}.
 *
 * Methods: wall.get (owner_id, offset, count ≤ 100, extended; a pinned post first), newsfeed.search (q,
 * start_time, end_time, start_from/next_from, count ≤ 200, extended), wall.getComments (owner_id, post_id, sort,
 * start_comment_id inclusive, offset, count ≤ 100, extended), wall.createComment (owner_id, post_id, message,
 * reply_to_comment, from_group: needs a reply token; every call is recorded in `createdComments`).
 *
 *   const vk = await FakeVk.start();           // vk.apiUrl → source config { apiUrl }
 *   vk.addPost(-100, { text: 'Яма на Ленина', date });
 *   vk.failNext('wall.get', { code: 6 });       // «Too many requests per second»
 */
export interface FakeVkPost {
  id: number;
  owner_id: number;
  from_id: number;
  date: number;
  text: string;
  post_type: 'post';
  is_pinned?: 1;
  comments: { count: number; can_post: 1 };
  likes: { count: number };
  reposts: { count: number };
  views: { count: number };
  attachments: unknown[];
}

export interface FakeVkComment {
  id: number;
  from_id: number;
  post_id: number;
  owner_id: number;
  date: number;
  text: string;
  parents_stack: number[];
  reply_to_comment?: number;
  thread: { count: number; items: unknown[]; can_post: boolean; show_reply_button: boolean; groups_can_post: boolean };
}

export interface VkCall {
  method: string;
  params: Record<string, string>;
}

export interface CreatedComment {
  owner_id: number;
  post_id: number;
  message: string;
  reply_to_comment: number | null;
  from_group: number | null;
  access_token: string;
  comment_id: number;
}

/** What a failing call answers: a VK error code, an HTTP status, or raw bytes. */
export type VkFailure =
  | { code: number; msg?: string }
  | { http: number; body?: string; contentType?: string }
  | { raw: RawAnswer };

const ERROR_MESSAGES: Record<number, string> = {
  1: 'Unknown error occurred',
  3: 'Unknown method passed',
  5: 'User authorization failed: invalid access_token (4).',
  6: 'Too many requests per second',
  8: 'Invalid request: v (version) is required',
  9: 'Flood control',
  10: 'Internal server error',
  15: 'Access denied',
  18: 'User was deleted or banned',
  29: 'Rate limit reached',
  30: 'This profile is private',
  100: 'One of the parameters specified was missing or invalid',
  212: 'Access to post comments denied',
};

export class FakeVk {
  readonly calls: VkCall[] = [];
  readonly createdComments: CreatedComment[] = [];
  /** Tokens that may read (service tokens). */
  readonly readTokens = new Set<string>(['vk-service-token']);
  /** Tokens that may publish comments (community tokens). */
  readonly replyTokens = new Set<string>(['vk-community-token']);
  readonly profiles = new Map<number, { first_name: string; last_name: string; screen_name?: string }>();
  readonly groups = new Map<number, { name: string; screen_name?: string }>();
  /** Walls that answer error 30 (private) or 15 (access denied). */
  readonly closedWalls = new Map<number, number>();
  readonly #posts = new Map<number, FakeVkPost[]>();
  readonly #comments = new Map<string, FakeVkComment[]>();
  readonly #failures: Array<{ method: string; failure: VkFailure }> = [];
  #nextComment = 1;
  #close: () => Promise<void> = async () => {};
  base = '';

  static async start(): Promise<FakeVk> {
    const vk = new FakeVk();
    const s = await startServer((req, res) => vk.#handle(req, res));
    vk.base = s.base;
    vk.#close = s.close;
    return vk;
  }

  /** The apiUrl to put in a VK source's config. */
  get apiUrl(): string {
    return `${this.base}/method`;
  }

  close(): Promise<void> {
    return this.#close();
  }

  /** Adds a post to a wall (ids increase per wall unless given); returns it. */
  addPost(ownerId: number, p: { text: string; date: number; id?: number; fromId?: number; pinned?: boolean }): FakeVkPost {
    const wall = this.#posts.get(ownerId) ?? [];
    const id = p.id ?? Math.max(0, ...wall.map((x) => x.id)) + 1;
    const post: FakeVkPost = {
      id,
      owner_id: ownerId,
      from_id: p.fromId ?? ownerId,
      date: p.date,
      text: p.text,
      post_type: 'post',
      comments: { count: 0, can_post: 1 },
      likes: { count: 0 },
      reposts: { count: 0 },
      views: { count: 10 },
      attachments: [],
      ...(p.pinned && { is_pinned: 1 as const }),
    };
    wall.push(post);
    this.#posts.set(ownerId, wall);
    return post;
  }

  addComment(ownerId: number, postId: number, c: { text: string; date: number; fromId?: number }): FakeVkComment {
    const post = this.#posts.get(ownerId)?.find((p) => p.id === postId);
    if (!post) throw new Error(`fake VK: no post ${ownerId}_${postId}`);
    const comment: FakeVkComment = {
      id: this.#nextComment++,
      from_id: c.fromId ?? 1,
      post_id: postId,
      owner_id: ownerId,
      date: c.date,
      text: c.text,
      parents_stack: [],
      thread: { count: 0, items: [], can_post: true, show_reply_button: true, groups_can_post: true },
    };
    const key = `${ownerId}_${postId}`;
    this.#comments.set(key, [...(this.#comments.get(key) ?? []), comment]);
    post.comments.count++;
    return comment;
  }

  deletePost(ownerId: number, postId: number): void {
    this.#posts.set(
      ownerId,
      (this.#posts.get(ownerId) ?? []).filter((p) => p.id !== postId),
    );
  }

  /** The next call of `method` ('*' for any) fails `times` times. */
  failNext(method: string, failure: VkFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.#failures.push({ method, failure });
  }

  callsOf(method: string): VkCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  #error(res: ServerResponse, code: number, params: Record<string, string>, msg?: string) {
    sendJson(res, 200, {
      error: {
        error_code: code,
        error_msg: msg ?? ERROR_MESSAGES[code] ?? 'Unknown error',
        request_params: Object.entries(params)
          .filter(([k]) => k !== 'access_token')
          .map(([key, value]) => ({ key, value })),
      },
    });
  }

  #names(fromIds: number[]) {
    const profiles = [...new Set(fromIds.filter((id) => id > 0))].map((id) => ({
      id,
      first_name: this.profiles.get(id)?.first_name ?? 'Иван',
      last_name: this.profiles.get(id)?.last_name ?? `Житель${id}`,
      ...(this.profiles.get(id)?.screen_name && { screen_name: this.profiles.get(id)?.screen_name }),
      can_access_closed: true,
      is_closed: false,
    }));
    const groups = [...new Set(fromIds.filter((id) => id < 0).map((id) => -id))].map((id) => ({
      id,
      name: this.groups.get(id)?.name ?? `Сообщество ${id}`,
      screen_name: this.groups.get(id)?.screen_name ?? `club${id}`,
      is_closed: 0,
      type: 'page',
    }));
    return { profiles, groups };
  }

  #handle(req: FakeRequest, res: ServerResponse) {
    const m = /^\/method\/([A-Za-z.]+)$/.exec(req.path);
    const params = paramsOf(req);
    const method = m?.[1] ?? req.path;
    this.calls.push({ method, params });
    if (!m) return this.#error(res, 3, params);
    const fi = this.#failures.findIndex((f) => f.method === method || f.method === '*');
    if (fi >= 0) {
      const { failure } = this.#failures.splice(fi, 1)[0] as { failure: VkFailure };
      if ('code' in failure) return this.#error(res, failure.code, params, failure.msg);
      if ('http' in failure) {
        return sendRaw(res, { status: failure.http, contentType: failure.contentType ?? 'text/html', body: failure.body ?? '' });
      }
      return sendRaw(res, failure.raw);
    }
    if (!params.v) return this.#error(res, 8, params);
    const token = params.access_token ?? '';
    const isReply = method === 'wall.createComment';
    if (!this.readTokens.has(token) && !this.replyTokens.has(token)) return this.#error(res, 5, params);
    if (isReply && !this.replyTokens.has(token))
      return this.#error(res, 15, params, 'Access denied: no access to call this method');
    const int = (k: string, d: number) => (params[k] === undefined ? d : Number(params[k]));
    const extended = params.extended === '1';
    switch (method) {
      case 'wall.get': {
        const owner = int('owner_id', 0);
        const closed = this.closedWalls.get(owner);
        if (closed) return this.#error(res, closed, params);
        const wall = [...(this.#posts.get(owner) ?? [])].sort((a, b) => (b.is_pinned ?? 0) - (a.is_pinned ?? 0) || b.id - a.id);
        const count = Math.min(int('count', 20), 100);
        const items = wall.slice(int('offset', 0), int('offset', 0) + count);
        return sendJson(res, 200, {
          response: { count: wall.length, items, ...(extended && this.#names(items.map((i) => i.from_id))) },
        });
      }
      case 'newsfeed.search': {
        const q = (params.q ?? '').toLowerCase();
        const start = int('start_time', 0);
        const end = int('end_time', Number.MAX_SAFE_INTEGER);
        const all = [...this.#posts.values()]
          .flat()
          .filter((p) => p.text.toLowerCase().includes(q) && p.date >= start && p.date <= end)
          .sort((a, b) => b.date - a.date || b.id - a.id);
        const count = Math.min(int('count', 30), 200);
        const from = params.start_from ? Number(params.start_from.split('/')[0]) : 0;
        const items = all.slice(from, from + count);
        const next = from + count < all.length ? `${from + count}/${items.at(-1)?.owner_id}_${items.at(-1)?.id}` : undefined;
        return sendJson(res, 200, {
          response: {
            items,
            count: items.length,
            total_count: all.length,
            ...(next && { next_from: next }),
            ...(extended && this.#names(items.map((i) => i.from_id))),
          },
        });
      }
      case 'wall.getComments': {
        const owner = int('owner_id', 0);
        const postId = int('post_id', 0);
        if (!this.#posts.get(owner)?.some((p) => p.id === postId))
          return this.#error(res, 100, params, 'One of the parameters specified was missing or invalid: post_id is invalid');
        let list = [...(this.#comments.get(`${owner}_${postId}`) ?? [])].sort((a, b) => a.id - b.id);
        if (params.sort === 'desc') list.reverse();
        if (params.start_comment_id) {
          const at = list.findIndex((c) => c.id === Number(params.start_comment_id));
          list = at >= 0 ? list.slice(at) : list.filter((c) => c.id > Number(params.start_comment_id));
        }
        const count = Math.min(int('count', 10), 100);
        const items = list.slice(int('offset', 0), int('offset', 0) + count);
        return sendJson(res, 200, {
          response: {
            count: this.#comments.get(`${owner}_${postId}`)?.length ?? 0,
            items,
            current_level_count: list.length,
            can_post: true,
            show_reply_button: true,
            groups_can_post: true,
            ...(extended && this.#names(items.map((i) => i.from_id))),
          },
        });
      }
      case 'wall.createComment': {
        const owner = int('owner_id', 0);
        const postId = int('post_id', 0);
        if (!params.message)
          return this.#error(res, 100, params, 'One of the parameters specified was missing or invalid: message is undefined');
        if (!this.#posts.get(owner)?.some((p) => p.id === postId))
          return this.#error(res, 100, params, 'One of the parameters specified was missing or invalid: post_id is invalid');
        const fromGroup = params.from_group ? Number(params.from_group) : null;
        const replyTo = params.reply_to_comment ? Number(params.reply_to_comment) : null;
        const c = this.addComment(owner, postId, {
          text: params.message,
          date: Math.floor(Date.now() / 1000),
          fromId: fromGroup ? -fromGroup : 1,
        });
        if (replyTo) c.reply_to_comment = replyTo;
        this.createdComments.push({
          owner_id: owner,
          post_id: postId,
          message: params.message,
          reply_to_comment: replyTo,
          from_group: fromGroup,
          access_token: token,
          comment_id: c.id,
        });
        return sendJson(res, 200, { response: { comment_id: c.id, parents_stack: replyTo ? [replyTo] : [] } });
      }
      default:
        return this.#error(res, 3, params);
    }
  }
}
