import type { ServerResponse } from 'node:http';
import { type FakeRequest, paramsOf, type RawAnswer, sendJson, sendRaw, startServer } from './fake-http.ts';

/**
 * A fake Telegram Bot API on a real HTTP server (core.telegram.org/bots/api): /bot<token>/<method> with the
 * parameters in the query string, a form or a JSON body; {"ok": true, "result": …} or {"ok": false, "error_code",
 * "description", "parameters"?}.
 *
 *  - getUpdates(offset, limit ≤ 100, timeout, allowed_updates): an offset confirms — forgets for good — every update
 *    below it, as the real API does; without one, the unconfirmed updates from the oldest.
 *  - sendMessage(chat_id, text, reply_parameters | reply_to_message_id): recorded in `sent`.
 *
 *   const tg = await FakeTelegram.start();                 // tg.apiUrl → source config { apiUrl }
 *   tg.post({ id: -1001234567890, type: 'supergroup', title: 'Белово онлайн', username: 'belovo' }, { text: '…' });
 *   tg.failNext('getUpdates', { code: 429, retryAfter: 7 });
 */
export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
}

export interface TgUser {
  id: number;
  is_bot: false;
  first_name: string;
  last_name?: string;
  username?: string;
}

export type TgUpdate = { update_id: number } & Record<string, unknown>;

export interface TgCall {
  method: string;
  params: Record<string, string>;
}

export interface SentMessage {
  chat_id: string;
  text: string;
  reply_parameters: { message_id: number; allow_sending_without_reply?: boolean } | null;
  reply_to_message_id: number | null;
  message_id: number;
}

export type TgFailure = { code: number; description?: string; retryAfter?: number } | { raw: RawAnswer };

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: chat not found',
  401: 'Unauthorized',
  409: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  429: 'Too Many Requests: retry after',
  502: 'Bad Gateway',
};

export class FakeTelegram {
  readonly calls: TgCall[] = [];
  readonly sent: SentMessage[] = [];
  token = '123456:ABC-fake-bot-token';
  /** Unconfirmed updates. */
  readonly updates: TgUpdate[] = [];
  /** Every update ever queued (confirmed ones too). */
  readonly history: TgUpdate[] = [];
  #nextUpdate = 100_000;
  readonly #nextMessage = new Map<number, number>();
  readonly #failures: Array<{ method: string; failure: TgFailure }> = [];
  #close: () => Promise<void> = async () => {};
  base = '';

  static async start(): Promise<FakeTelegram> {
    const tg = new FakeTelegram();
    const s = await startServer((req, res) => tg.#handle(req, res));
    tg.base = s.base;
    tg.#close = s.close;
    return tg;
  }

  /** The apiUrl to put in a Telegram source's config. */
  get apiUrl(): string {
    return this.base;
  }

  close(): Promise<void> {
    return this.#close();
  }

  #messageId(chat: number): number {
    const n = (this.#nextMessage.get(chat) ?? 0) + 1;
    this.#nextMessage.set(chat, n);
    return n;
  }

  /** Queues an update with a message (a channel's post for a channel); returns the update. */
  post(
    chat: TgChat,
    m: {
      text?: string;
      caption?: string;
      date: number;
      from?: TgUser;
      edit?: { messageId: number; editDate: number };
      replyTo?: number;
    },
  ): TgUpdate {
    const channel = chat.type === 'channel';
    const messageId = m.edit?.messageId ?? this.#messageId(chat.id);
    const message: Record<string, unknown> = {
      message_id: messageId,
      ...(channel
        ? { sender_chat: chat }
        : { from: m.from ?? { id: 777, is_bot: false, first_name: 'Мария', username: 'maria_k' } }),
      chat,
      date: m.date,
      ...(m.text !== undefined && { text: m.text }),
      ...(m.caption !== undefined && {
        caption: m.caption,
        photo: [{ file_id: 'x', file_unique_id: 'y', width: 90, height: 90 }],
      }),
      ...(m.edit && { edit_date: m.edit.editDate }),
      ...(m.replyTo !== undefined && { reply_to_message: { message_id: m.replyTo, chat, date: m.date } }),
    };
    const kind = m.edit ? (channel ? 'edited_channel_post' : 'edited_message') : channel ? 'channel_post' : 'message';
    return this.queue({ [kind]: message });
  }

  /** Queues any update body (a poll, a chat member change, or a malformed one). */
  queue(body: Record<string, unknown>): TgUpdate {
    const u = { update_id: this.#nextUpdate++, ...body };
    this.updates.push(u);
    this.history.push(u);
    return u;
  }

  failNext(method: string, failure: TgFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.#failures.push({ method, failure });
  }

  callsOf(method: string): TgCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  #fail(res: ServerResponse, code: number, description?: string, retryAfter?: number) {
    const desc =
      description ?? (code === 429 ? `Too Many Requests: retry after ${retryAfter ?? 1}` : (DESCRIPTIONS[code] ?? 'Error'));
    sendJson(res, code, {
      ok: false,
      error_code: code,
      description: desc,
      ...(retryAfter !== undefined && { parameters: { retry_after: retryAfter } }),
    });
  }

  #handle(req: FakeRequest, res: ServerResponse) {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.path);
    const params = paramsOf(req);
    const method = m?.[2] ?? req.path;
    this.calls.push({ method, params });
    if (!m) return this.#fail(res, 404, 'Not Found');
    if (m[1] !== this.token) return this.#fail(res, 401);
    const fi = this.#failures.findIndex((f) => f.method === method || f.method === '*');
    if (fi >= 0) {
      const { failure } = this.#failures.splice(fi, 1)[0] as { failure: TgFailure };
      if ('raw' in failure) return sendRaw(res, failure.raw);
      return this.#fail(res, failure.code, failure.description, failure.retryAfter ?? (failure.code === 429 ? 1 : undefined));
    }
    switch (method) {
      case 'getUpdates': {
        if (params.offset !== undefined) {
          const offset = Number(params.offset);
          // «An update is considered confirmed as soon as getUpdates is called with an offset higher than its update_id.»
          while (this.updates.length > 0 && (this.updates[0] as TgUpdate).update_id < offset) this.updates.shift();
        }
        const allowed = params.allowed_updates ? (JSON.parse(params.allowed_updates) as string[]) : null;
        const limit = Math.min(Math.max(Number(params.limit ?? 100), 1), 100);
        const result = this.updates
          .filter((u) => !allowed || allowed.length === 0 || Object.keys(u).some((k) => k !== 'update_id' && allowed.includes(k)))
          .slice(0, limit);
        return sendJson(res, 200, { ok: true, result });
      }
      case 'sendMessage': {
        if (!params.chat_id || !params.text) return this.#fail(res, 400, 'Bad Request: message text is empty');
        const chatId = Number(params.chat_id);
        const replyParameters = params.reply_parameters
          ? (JSON.parse(params.reply_parameters) as SentMessage['reply_parameters'])
          : null;
        const replyTo = params.reply_to_message_id ? Number(params.reply_to_message_id) : null;
        const messageId = this.#messageId(chatId);
        this.sent.push({
          chat_id: params.chat_id,
          text: params.text,
          reply_parameters: replyParameters,
          reply_to_message_id: replyTo,
          message_id: messageId,
        });
        const known = this.history
          .map(
            (u) =>
              Object.values(u).find((v) => typeof v === 'object' && v !== null && 'chat' in v) as { chat: TgChat } | undefined,
          )
          .find((msg) => msg?.chat.id === chatId)?.chat;
        return sendJson(res, 200, {
          ok: true,
          result: {
            message_id: messageId,
            from: { id: 123456, is_bot: true, first_name: 'Отклик', username: 'otklik_bot' },
            chat: known ?? { id: chatId, type: 'supergroup' },
            date: Math.floor(Date.now() / 1000),
            text: params.text,
          },
        });
      }
      default:
        return this.#fail(res, 404, 'Not Found: method not found');
    }
  }
}
