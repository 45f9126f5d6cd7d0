import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { FakeTelegram, type TgChat } from '../../../../../test/support/fake-telegram.ts';
import { HttpClient } from './http.ts';
import { messageUrl, parseTelegramConfig, type TelegramCursor, telegramConnector } from './telegram.ts';
import { ConfigError, type ConnectorEnv, ConnectorError, type FetchResult } from './types.ts';

// Against a fake Bot API speaking Telegram's formats (test/support/fake-telegram.ts): {"ok": true, "result"} and
// {"ok": false, "error_code", "description", "parameters": {"retry_after"}}; getUpdates confirms below its offset.

const NOW = new Date('2026-03-02T03:00:00Z');
const nowS = NOW.getTime() / 1000;
const GROUP: TgChat = { id: -1001234567890, type: 'supergroup', title: 'Белово онлайн', username: 'belovo_online' };
const PRIVATE_GROUP: TgChat = { id: -1009876543210, type: 'supergroup', title: 'ТСЖ Весна' };
const CHANNEL: TgChat = { id: -1005555555555, type: 'channel', title: 'Новости Мариинска', username: 'mariinsk_news' };

describe('Telegram settings', () => {
  test('defaults and chat ids', () => {
    assert.deepEqual(parseTelegramConfig(undefined), { apiUrl: 'https://api.telegram.org', chatIds: [] });
    assert.deepEqual(parseTelegramConfig({ chatIds: [-100123, '@Belovo_Online', -100123] }).chatIds, [-100123, '@belovo_online']);
  });
  const bad: Array<[unknown, string]> = [
    [{ chatIds: ['belovo'] }, 'chatIds.0'],
    [{ chatIds: [1.5] }, 'chatIds.0'],
    [{ chatIds: 'x' }, 'chatIds'],
    [{ apiUrl: 'file:///etc/passwd' }, 'apiUrl'],
    [{ token: 'x' }, 'token'],
  ];
  for (const [input, field] of bad) {
    test(`refuses config.${field}: ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseTelegramConfig(input),
        (e: unknown) => e instanceof ConfigError && e.field === field,
      );
    });
  }
  test('message links: public chats by username, private supergroups by t.me/c', () => {
    assert.equal(messageUrl(GROUP as never, 5), 'https://t.me/belovo_online/5');
    assert.equal(messageUrl(PRIVATE_GROUP as never, 5), 'https://t.me/c/9876543210/5');
    assert.equal(messageUrl({ id: 42, type: 'private' }, 5), null);
  });
});

describe('Telegram connector against a fake Bot API', () => {
  let tg: FakeTelegram;
  const env = (): ConnectorEnv => ({ http: new HttpClient({ timeoutMs: 5000 }), now: NOW });
  const source = (config: object = {}, secret: string | null = tg.token) => ({
    id: 1,
    config: parseTelegramConfig({ apiUrl: tg.apiUrl, ...config }),
    secret,
    replySecret: null,
  });
  const fetch = (cursor: TelegramCursor | null, config: object = {}) =>
    telegramConnector.fetch!(source(config), cursor, env()) as Promise<FetchResult<TelegramCursor>>;

  before(async () => {
    tg = await FakeTelegram.start();
  });
  after(() => tg.close());
  beforeEach(() => {
    tg.calls.length = 0;
    tg.updates.length = 0;
  });

  test('messages and channel posts become posts; the offset advances past the last update', async () => {
    const u1 = tg.post(GROUP, {
      text: 'На Советской нет света с утра',
      date: nowS - 300,
      from: { id: 9, is_bot: false, first_name: 'Пётр', last_name: 'Иванов', username: 'petr_i' },
    });
    tg.post(CHANNEL, { text: 'Отключение воды в Мариинске', date: nowS - 200 });
    tg.post(PRIVATE_GROUP, { caption: 'Фото ямы у дома 3', date: nowS - 100 });
    tg.queue({ my_chat_member: { chat: GROUP } }); // not in allowed_updates: never delivered
    const r = await fetch(null);
    assert.equal(r.error, undefined);
    assert.deepEqual(
      r.posts.map((p) => [p.externalId, p.url, p.authorHandle, p.authorName, p.text]),
      [
        [`${GROUP.id}_1`, 'https://t.me/belovo_online/1', 'petr_i', 'Пётр Иванов', 'На Советской нет света с утра'],
        [`${CHANNEL.id}_1`, 'https://t.me/mariinsk_news/1', 'mariinsk_news', 'Новости Мариинска', 'Отключение воды в Мариинске'],
        [`${PRIVATE_GROUP.id}_1`, 'https://t.me/c/9876543210/1', 'maria_k', 'Мария', 'Фото ямы у дома 3'],
      ],
    );
    assert.equal(r.posts[0]?.publishedAt.getTime(), (nowS - 300) * 1000);
    assert.equal(r.cursor.offset, u1.update_id + 3);
    const call = tg.callsOf('getUpdates')[0]!;
    assert.equal(call.params.offset, undefined, 'no offset before the first update');
    assert.equal(call.params.timeout, '0');
    assert.deepEqual(JSON.parse(call.params.allowed_updates!), [
      'message',
      'channel_post',
      'edited_message',
      'edited_channel_post',
    ]);

    const again = await fetch(r.cursor);
    assert.equal(again.posts.length, 0);
    assert.equal(tg.callsOf('getUpdates')[1]?.params.offset, String(r.cursor.offset));
    assert.equal(again.cursor.offset, r.cursor.offset, 'nothing new: the offset stays');
  });

  test('exactly one getUpdates a poll: unconfirmed updates come back if the poll was never stored', async () => {
    const u = tg.post(GROUP, { text: 'Мусор не вывозят неделю', date: nowS - 10 });
    const first = await fetch({ offset: u.update_id });
    assert.equal(first.posts.length, 1);
    assert.equal(tg.callsOf('getUpdates').length, 1);
    // The poller crashed before committing: it asks again with the old offset and gets the same update.
    const retry = await fetch({ offset: u.update_id });
    assert.deepEqual(
      retry.posts.map((p) => p.externalId),
      first.posts.map((p) => p.externalId),
    );
    // Committed: the next offset confirms it for good.
    await fetch(first.cursor);
    assert.equal(tg.updates.length, 0);
  });

  test('a full page reports more', async () => {
    for (let i = 0; i < 130; i++) tg.post(GROUP, { text: `сообщение ${i}`, date: nowS - 500 + i });
    const r = await fetch(null);
    assert.equal(r.posts.length, 100);
    assert.equal(r.more, true);
    const rest = await fetch(r.cursor);
    assert.equal(rest.posts.length, 30);
    assert.equal(rest.more, false);
  });

  test('a chat filter keeps the listed chats (by id or @username); replies point at their parent; an edit keeps the id', async () => {
    tg.post(GROUP, { text: 'в списке по username', date: nowS - 30 });
    tg.post(PRIVATE_GROUP, { text: 'в списке по id', date: nowS - 20, replyTo: 7 });
    tg.post({ id: -100777, type: 'supergroup', title: 'Чужой чат' }, { text: 'не в списке', date: nowS - 10 });
    tg.post(GROUP, { text: 'исправленный текст', date: nowS - 30, edit: { messageId: 1, editDate: nowS - 5 } });
    const r = await fetch(null, { chatIds: ['@belovo_online', PRIVATE_GROUP.id] });
    assert.deepEqual(
      r.posts.map((p) => [p.externalId, p.parentExternalId]),
      [
        [`${GROUP.id}_${r.posts[0]?.externalId.split('_')[1]}`, null],
        [`${PRIVATE_GROUP.id}_${r.posts[1]?.externalId.split('_')[1]}`, `${PRIVATE_GROUP.id}_7`],
        [`${GROUP.id}_1`, null],
      ],
    );
    assert.equal(r.cursor.offset, (tg.history.at(-1)?.update_id ?? 0) + 1, 'filtered-out updates are confirmed too');
  });

  test('429 is a rate limit carrying retry_after; the offset is not advanced', async () => {
    tg.post(GROUP, { text: 'x', date: nowS });
    tg.failNext('getUpdates', { code: 429, retryAfter: 7 });
    await assert.rejects(
      fetch({ offset: 5 }),
      (e: unknown) =>
        e instanceof ConnectorError &&
        e.kind === 'rate_limit' &&
        e.details.retryAfterMs === 7000 &&
        /429 «Too Many Requests: retry after 7»/.test(e.message),
    );
  });

  const failures: Array<[string, Parameters<FakeTelegram['failNext']>[1], string]> = [
    ['401 Unauthorized', { code: 401 }, 'auth'],
    ['409 Conflict (another getUpdates or a webhook)', { code: 409 }, 'api'],
    ['502 Bad Gateway as JSON', { code: 502 }, 'network'],
    [
      'an nginx HTML page',
      { raw: { status: 502, contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' } },
      'network',
    ],
    ['HTML with status 200', { raw: { status: 200, contentType: 'text/html', body: '<html>login</html>' } }, 'bad_response'],
    ['a result that is not a list', { raw: { body: '{"ok":true,"result":{"x":1}}' } }, 'bad_response'],
  ];
  for (const [name, failure, kind] of failures) {
    test(`${name} → ${kind}`, async () => {
      tg.failNext('getUpdates', failure);
      await assert.rejects(fetch(null), (e: unknown) => e instanceof ConnectorError && e.kind === kind);
    });
  }

  test('a wrong token is refused as auth, and the token never appears in the message', async () => {
    await assert.rejects(
      telegramConnector.fetch!(source({}, '999:wrong-token'), null, env()),
      (e: unknown) => e instanceof ConnectorError && e.kind === 'auth' && !e.message.includes('wrong-token'),
    );
  });

  test('an unreachable API is a network error naming the host only', async () => {
    const dead = { ...source(), config: parseTelegramConfig({ apiUrl: 'http://127.0.0.1:1' }) };
    await assert.rejects(
      telegramConnector.fetch!(dead, null, env()),
      (e: unknown) =>
        e instanceof ConnectorError && e.kind === 'network' && /127\.0\.0\.1:1/.test(e.message) && !e.message.includes(tg.token),
    );
  });

  test('malformed updates are skipped and counted; the offset still moves past them', async () => {
    const good = tg.post(GROUP, { text: 'нормальное сообщение', date: nowS - 1 });
    const broken = tg.queue({ message: { text: 'без чата', date: nowS } });
    const r = await fetch(null);
    assert.deepEqual(
      r.posts.map((p) => p.text),
      ['нормальное сообщение'],
    );
    assert.deepEqual(r.skipped, [
      { externalId: `update ${broken.update_id}`, reason: 'malformed Telegram message (no chat, message_id or date)' },
    ]);
    assert.equal(r.cursor.offset, broken.update_id + 1);
    assert.ok(good.update_id < broken.update_id);
  });

  test('a reply: sendMessage in the chat with reply_parameters naming the message', async () => {
    tg.post(GROUP, { text: 'Где автобус №5?', date: nowS - 60 });
    const r = await telegramConnector.publishReply!(
      source(),
      { externalId: `${GROUP.id}_1`, parentExternalId: null, raw: {} },
      'Автобус вышел на линию',
      env(),
    );
    const sent = tg.sent.at(-1)!;
    assert.equal(sent.chat_id, String(GROUP.id));
    assert.equal(sent.text, 'Автобус вышел на линию');
    assert.deepEqual(sent.reply_parameters, { message_id: 1, allow_sending_without_reply: true });
    assert.equal(r.externalId, `${GROUP.id}_${sent.message_id}`);
    assert.equal(r.url, `https://t.me/belovo_online/${sent.message_id}`);
  });
});
