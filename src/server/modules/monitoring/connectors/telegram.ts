import { type Fields, httpUrl, listOf, objectOf } from './config.ts';
import { parseJsonResponse } from './http.ts';
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
  type PublishedReply,
  type ReplyTarget,
  type SkippedItem,
} from './types.ts';

/*
 * Telegram Bot API (core.telegram.org/bots/api): POST {apiUrl}/bot<token>/<method> with a JSON body; the answer is
 * {"ok": true, "result": …} or {"ok": false, "error_code", "description", "parameters": {"retry_after"}}.
 *
 *  - getUpdates(offset, limit ≤ 100, timeout = 0, allowed_updates) returns the messages of the chats and channels the
 *    bot belongs to. Calling it with `offset` confirms every update below that offset for good («An update is
 *    considered confirmed as soon as getUpdates is called with an offset higher than its update_id»), so one poll
 *    makes exactly one call with the offset saved in the cursor: the updates it returns are stored with the next
 *    offset in one transaction, and a crash before that commit asks for the same updates again. With a full page
 *    the poll reports `more` and the poller polls again after committing.
 *  - 429 «Too Many Requests: retry after N» carries parameters.retry_after (seconds): the poller waits exactly that.
 *  - sendMessage(chat_id, text, reply_parameters: {message_id, allow_sending_without_reply}) publishes a reply in
 *    the thread (reply_parameters replaced reply_to_message_id in Bot API 7.0).
 */

export const TELEGRAM_API_URL = 'https://api.telegram.org';
const PAGE = 100;
export const ALLOWED_UPDATES = ['message', 'channel_post', 'edited_message', 'edited_channel_post'] as const;

export interface TelegramConfig {
  apiUrl: string;
  /** Chats to keep (ids such as -1001234567890, or @usernames); empty = every chat the bot is in. */
  chatIds: Array<number | string>;
}

export interface TelegramCursor {
  /** The next getUpdates offset: the last stored update_id + 1. */
  offset?: number;
}

export function parseTelegramConfig(input: unknown): TelegramConfig {
  const f: Fields = objectOf(input, ['apiUrl', 'chatIds']);
  return {
    apiUrl: httpUrl(f, 'apiUrl', TELEGRAM_API_URL),
    chatIds: listOf(f, 'chatIds', 200, (v, field) => {
      if (typeof v === 'number' && Number.isSafeInteger(v) && v !== 0) return v;
      if (typeof v === 'string' && /^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(v)) return v.toLowerCase();
      throw new ConfigError(field, 'must be a chat id (a number such as -1001234567890) or an @username');
    }),
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

export function normalizeTelegramCursor(raw: unknown): TelegramCursor {
  return isObj(raw) && int(raw.offset) !== undefined ? { offset: raw.offset as number } : {};
}

/** A public link to a message: t.me/<username>/<id>, or t.me/c/<id>/<id> inside a supergroup or channel. */
export function messageUrl(chat: Record<string, unknown>, messageId: number): string | null {
  const username = str(chat.username);
  if (username) return `https://t.me/${username}/${messageId}`;
  const id = String(chat.id ?? '');
  return id.startsWith('-100') ? `https://t.me/c/${id.slice(4)}/${messageId}` : null;
}

function authorOf(msg: Record<string, unknown>, chat: Record<string, unknown>) {
  const from = isObj(msg.from) ? msg.from : undefined;
  if (from) {
    const name = [from.first_name, from.last_name].filter((x) => typeof x === 'string' && x).join(' ');
    return { authorHandle: str(from.username) ?? (int(from.id) !== undefined ? `id${from.id}` : null), authorName: name || null };
  }
  // A channel post, or a message sent on behalf of a chat.
  const sender = isObj(msg.sender_chat) ? msg.sender_chat : chat;
  return { authorHandle: str(sender.username), authorName: str(sender.title) };
}

/** One Bot API call; `ok: false` becomes a ConnectorError of the right kind. */
export async function callBotApi(
  config: Pick<TelegramConfig, 'apiUrl'>,
  token: string,
  method: string,
  params: Record<string, unknown>,
  env: ConnectorEnv,
): Promise<{ result: unknown; lossy: boolean }> {
  const res = await env.http.request(`${config.apiUrl}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(params),
  });
  let parsed: { value: unknown; lossy: boolean };
  try {
    parsed = parseJsonResponse(res, `Telegram ${method}`);
  } catch (error) {
    if (res.status >= 500) throw new ConnectorError('network', `Telegram ${method}: HTTP ${res.status}`, { code: res.status });
    throw error;
  }
  const { value, lossy } = parsed;
  if (!isObj(value)) throw new ConnectorError('bad_response', `Telegram ${method}: the answer is not a JSON object`);
  if (value.ok === true && 'result' in value) return { result: value.result, lossy };
  const code = int(value.error_code) ?? res.status;
  const text = `Telegram ${method}: ${code} «${typeof value.description === 'string' ? value.description : 'no description'}»`;
  if (code === 429) {
    const retryAfter = isObj(value.parameters) ? int(value.parameters.retry_after) : undefined;
    throw new ConnectorError('rate_limit', text, { code, ...(retryAfter !== undefined && { retryAfterMs: retryAfter * 1000 }) });
  }
  if (code === 401 || code === 404) throw new ConnectorError('auth', text, { code });
  if (code >= 500) throw new ConnectorError('network', text, { code });
  if (value.ok === false) throw new ConnectorError('api', text, { code });
  throw new ConnectorError('bad_response', `Telegram ${method}: neither ok nor an error in the answer`);
}

function keep(config: TelegramConfig, chat: Record<string, unknown>): boolean {
  if (config.chatIds.length === 0) return true;
  const username = str(chat.username);
  return config.chatIds.some((c) => c === chat.id || (username !== null && c === `@${username.toLowerCase()}`));
}

async function fetchTelegram(
  source: ConnectorSource<TelegramConfig>,
  raw: unknown,
  env: ConnectorEnv,
): Promise<FetchResult<TelegramCursor>> {
  if (!source.secret) throw new ConnectorError('config', 'Telegram: no bot token is set for this source');
  const cursor = normalizeTelegramCursor(raw);
  const { result, lossy } = await callBotApi(
    source.config,
    source.secret,
    'getUpdates',
    { ...(cursor.offset !== undefined && { offset: cursor.offset }), limit: PAGE, timeout: 0, allowed_updates: ALLOWED_UPDATES },
    env,
  );
  if (!Array.isArray(result)) throw new ConnectorError('bad_response', 'Telegram getUpdates: result is not a list');
  const posts: FetchedPost[] = [];
  const skipped: SkippedItem[] = [];
  let maxUpdate = (cursor.offset ?? 0) - 1;
  for (const u of result) {
    const updateId = isObj(u) ? int(u.update_id) : undefined;
    if (updateId === undefined) {
      skipped.push({ externalId: null, reason: 'malformed Telegram update (no update_id)' });
      continue;
    }
    maxUpdate = Math.max(maxUpdate, updateId);
    const update = u as Record<string, unknown>;
    const msg = [update.message, update.channel_post, update.edited_message, update.edited_channel_post].find(isObj);
    if (!msg) continue; // another kind of update
    const chat = isObj(msg.chat) ? msg.chat : undefined;
    const messageId = int(msg.message_id);
    if (!chat || int(chat.id) === undefined || messageId === undefined || int(msg.date) === undefined) {
      skipped.push({ externalId: `update ${updateId}`, reason: 'malformed Telegram message (no chat, message_id or date)' });
      continue;
    }
    if (!keep(source.config, chat)) continue;
    const text = typeof msg.text === 'string' ? msg.text : typeof msg.caption === 'string' ? msg.caption : '';
    const replyTo = isObj(msg.reply_to_message) ? int(msg.reply_to_message.message_id) : undefined;
    posts.push({
      externalId: `${chat.id}_${messageId}`,
      parentExternalId: replyTo !== undefined ? `${chat.id}_${replyTo}` : null,
      url: messageUrl(chat, messageId),
      ...authorOf(msg, chat),
      text,
      publishedAt: new Date((msg.date as number) * 1000),
      raw: update,
    });
  }
  const checked = checkPosts(posts, { lossyDecoding: lossy });
  const next: TelegramCursor = maxUpdate >= 0 ? { offset: maxUpdate + 1 } : cursor;
  return {
    ...emptyResult(next),
    posts: checked.posts,
    skipped: [...skipped, ...checked.skipped],
    more: result.length >= PAGE,
  };
}

export function parseTelegramTarget(externalId: string): { chatId: number; messageId: number } {
  const m = /^(-?\d+)_(\d+)$/.exec(externalId);
  if (!m) throw new ConnectorError('config', `Telegram: "${externalId}" is not a message id`);
  return { chatId: Number(m[1]), messageId: Number(m[2]) };
}

async function publishTelegramReply(
  source: ConnectorSource<TelegramConfig>,
  target: ReplyTarget,
  text: string,
  env: ConnectorEnv,
): Promise<PublishedReply> {
  if (!source.secret) throw new ConnectorError('config', 'Telegram: no bot token is set for this source');
  const { chatId, messageId } = parseTelegramTarget(target.externalId);
  const { result } = await callBotApi(
    source.config,
    source.secret,
    'sendMessage',
    { chat_id: chatId, text, reply_parameters: { message_id: messageId, allow_sending_without_reply: true } },
    env,
  );
  const sent = isObj(result) ? int(result.message_id) : undefined;
  if (sent === undefined) throw new ConnectorError('bad_response', 'Telegram sendMessage: no message_id in the answer');
  const chat = isObj(result) && isObj(result.chat) ? result.chat : { id: chatId };
  return { externalId: `${chatId}_${sent}`, url: messageUrl(chat, sent) };
}

export const telegramConnector: Connector<TelegramConfig, TelegramCursor> = {
  kind: 'telegram',
  parseConfig: parseTelegramConfig,
  secretRequired: true,
  fetch: fetchTelegram,
  publishReply: publishTelegramReply,
};
