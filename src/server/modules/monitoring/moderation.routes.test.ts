import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeTelegram } from '../../../../test/support/fake-telegram.ts';
import { FakeVk } from '../../../../test/support/fake-vk.ts';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { enqueue } from '../../core/jobs/index.ts';
import { insertSource } from './monitoring.repository.ts';
import { POLL_JOB } from './poller.ts';

// The moderation workspace and replies (issue 6, items 6–7) through app.inject, on posts polled from the fake VK and
// Telegram by the app's own job and pipeline: the stream (fields, keyset paging, filters, scope), accept into an
// incident case through the intake (channel social, first-reaction deadline), dismiss, bulk, 409 on a handled post,
// replies published back (VK wall.createComment, Telegram sendMessage), failed and manual replies, and the first
// reaction recorded on the case with its lateness.

const OWNER = -2001;
const POTHOLE = 'Огромная яма на дороге у школы номер пять, машины бьют колёса каждый день';
const CHAT = { id: -1004444444444, type: 'supergroup' as const, title: 'Кузбасс онлайн', username: 'kuzbass_online' };

interface Item {
  id: number;
  status: string;
  source: { id: number; kind: string; name: string };
  url: string | null;
  authorHandle: string | null;
  text: string;
  municipality: { id: number; name: string } | null;
  place: { kind: string; name: string; text: string } | null;
  category: { id: number; name: string } | null;
  matchedQueries: Array<{ id: number; name: string; highlights: Array<{ from: number; to: number; term: string }> }>;
  duplicateCount: number;
  duplicateOf: number | null;
  caseId: number | null;
  caseNumber: string | null;
  dismissReason: string | null;
  canReply: boolean;
  reply: {
    status: string;
    text: string;
    externalId: string | null;
    url: string | null;
    error: string | null;
    repliedAt: string | null;
  } | null;
}

describe('monitoring moderation API', () => {
  let t: TestContext;
  let vk: FakeVk;
  let tg: FakeTelegram;
  let kem: number;
  let bel: number;
  let potholes: number;
  let moderator: Session;
  let region: Session;
  let belAdmin: Session;
  let operator: Session;
  let resident: Session;
  let vkSource: number;
  let tgSource: number;
  const byText = new Map<string, number>();

  const nowS = () => Math.floor(t.clock.now().getTime() / 1000);
  const post = (who: Session, url: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(who), payload });
  const get = (who: Session, url: string) => t.app.inject({ url: `/api/v1${url}`, headers: as(who, { csrf: false }) });
  const stream = async (who: Session, query = '') => {
    const res = await get(who, `/monitoring/stream${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { items: Item[]; nextCursor: string | null };
  };
  /** The post with this text, or the only one starting with it. */
  const id = (prefix: string) => {
    const exact = byText.get(prefix);
    if (exact !== undefined) return exact;
    const found = [...byText].filter(([text]) => text.startsWith(prefix));
    if (found.length !== 1) throw new Error(`${found.length} posts «${prefix}…»`);
    return found[0]![1];
  };
  async function poll() {
    await enqueue(t.database.db, POLL_JOB, {}, { now: t.clock.now() });
    await t.app.jobs.drain();
    const rows = await t.database.db.selectFrom('monitoring_post').select(['id', 'text']).execute();
    for (const r of rows) byText.set(r.text, Number(r.id));
  }
  const events = (caseId: number) =>
    t.database.db.selectFrom('case_event').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  const caseRow = (caseId: number) =>
    t.database.db.selectFrom('case').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
  const audits = (postId: number) =>
    t.database.db
      .selectFrom('audit_log')
      .select(['action', 'after', 'actor_user_id'])
      .where('entity_type', '=', 'monitoring_post')
      .where('entity_id', '=', String(postId))
      .orderBy('id')
      .execute();

  before(async () => {
    t = await createTestContext();
    [vk, tg] = await Promise.all([FakeVk.start(), FakeTelegram.start()]);
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    potholes = (
      await t.database.db
        .selectFrom('category')
        .select('id')
        .where('municipality_id', '=', kem)
        .where('name', '=', 'Ямы на дорогах')
        .executeTakeFirstOrThrow()
    ).id;
    [moderator, region, belAdmin, operator, resident] = (await Promise.all(
      [
        'kem.moderator@otklik.demo',
        'region.admin@otklik.demo',
        'bel.admin@otklik.demo',
        'kem.operator@otklik.demo',
        'resident@otklik.demo',
      ].map((e) => login(t.app, e)),
    )) as [Session, Session, Session, Session, Session];
    const q = async (who: Session, body: object) => assert.equal((await post(who, '/monitoring/queries', body)).statusCode, 201);
    await q(moderator, { municipalityId: kem, name: 'Ямы', text: 'яма OR ямы', defaultCategoryId: potholes });
    await q(moderator, { municipalityId: kem, name: 'Фонари', text: 'фонарь OR фонари' });
    await q(region, { municipalityId: null, name: 'Пожары', text: 'пожар' });
    const source = (
      municipalityId: number | null,
      kind: 'vk' | 'telegram',
      config: object,
      secret: string,
      replySecret: string | null,
    ) =>
      insertSource(t.database.db, {
        municipalityId,
        kind,
        name: kind === 'vk' ? 'Мэрия Кемерова ВКонтакте' : 'Кузбасс онлайн',
        config,
        secret,
        replySecret,
        active: true,
        pollIntervalS: 60,
        createdBy: null,
        now: t.clock.now(),
      });
    vkSource = (
      await source(
        kem,
        'vk',
        { apiUrl: vk.apiUrl, owners: [OWNER], comments: false, requestsPerSecond: 1000 },
        'vk-service-token',
        'vk-community-token',
      )
    ).id;
    tgSource = (await source(null, 'telegram', { apiUrl: tg.apiUrl, chatIds: [CHAT.id] }, tg.token, null)).id;

    const texts = [
      POTHOLE,
      `${POTHOLE}!!!`,
      'Не горит фонарь у подъезда на Весенней',
      'Концерт на набережной прошёл отлично',
      'В Белове яма на дороге возле рынка',
      'Ямы во дворе, не пройти ни пешком ни на машине',
    ];
    for (const [i, text] of texts.entries()) vk.addPost(OWNER, { text, date: nowS() - 600 + i * 10, fromId: 100 + i });
    tg.post(CHAT, { text: 'Пожар в частном доме, дым видно издалека', date: nowS() - 300 });
    tg.post(CHAT, { text: 'Ещё один пожар у гаражей, пожарные уже едут', date: nowS() - 200 });
    await poll();
  });
  after(async () => {
    await t.close();
    await Promise.all([vk.close(), tg.close()]);
  });

  test('the stream: matched group heads of one’s municipality and the regional queue, with everything a moderator needs', async () => {
    const { items, nextCursor } = await stream(moderator);
    assert.equal(nextCursor, null);
    const texts = items.map((i) => i.text).sort();
    assert.deepEqual(
      texts,
      [
        'Ещё один пожар у гаражей, пожарные уже едут',
        'Не горит фонарь у подъезда на Весенней',
        'Огромная яма на дороге у школы номер пять, машины бьют колёса каждый день',
        'Пожар в частном доме, дым видно издалека',
        'Ямы во дворе, не пройти ни пешком ни на машине',
      ],
      'no duplicate, no unmatched post, nothing of Белово',
    );
    const pothole = items.find((i) => i.id === id(POTHOLE))!;
    assert.equal(pothole.status, 'matched');
    assert.deepEqual(pothole.source, { id: vkSource, kind: 'vk', name: 'Мэрия Кемерова ВКонтакте' });
    assert.match(pothole.url!, new RegExp(`^https://vk\\.com/wall${OWNER}_\\d+$`));
    assert.equal(pothole.municipality?.id, kem);
    assert.equal(pothole.category?.name, 'Ямы на дорогах');
    assert.equal(pothole.duplicateCount, 1, 'the copy with «!!!» is counted, not shown');
    assert.equal(pothole.matchedQueries.length, 1);
    assert.equal(pothole.matchedQueries[0]?.name, 'Ямы');
    assert.deepEqual(
      pothole.matchedQueries[0]?.highlights.map((h) => pothole.text.slice(h.from, h.to)),
      ['яма'],
    );
    assert.equal(pothole.canReply, true);
    assert.equal(pothole.reply, null);
    const fire = items.find((i) => i.id === id('Пожар в частном'))!;
    assert.equal(fire.municipality, null, 'the regional queue');
    assert.equal(fire.source.kind, 'telegram');
    assert.equal(fire.authorHandle, 'maria_k');
    assert.equal(fire.canReply, true);
    // Newest first: all were fetched at once, so by id.
    assert.deepEqual(
      items.map((i) => i.id),
      [...items.map((i) => i.id)].sort((a, b) => b - a),
    );
    const dup = await get(moderator, `/monitoring/posts/${pothole.id}`);
    assert.deepEqual(dup.json().duplicates, [id(`${POTHOLE}!!!`)]);
  });

  test('keyset paging visits every item once; filters; a bad cursor is 400', async () => {
    const seen: number[] = [];
    let cursor: string | null = '';
    for (let pages = 0; cursor !== null; pages++) {
      assert.ok(pages < 10);
      const page = await stream(moderator, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    }
    assert.equal(seen.length, 5);
    assert.equal(new Set(seen).size, 5);
    assert.equal((await stream(moderator, `?municipalityId=${kem}`)).items.length, 3);
    assert.deepEqual(
      (await stream(moderator, '?regional=true')).items.map((i) => i.source.kind),
      ['telegram', 'telegram'],
    );
    assert.deepEqual(
      (await stream(moderator, `?q=${encodeURIComponent('фонарь')}`)).items.map((i) => i.id),
      [id('Не горит фонарь')],
    );
    assert.deepEqual(
      (await stream(moderator, '?status=unmatched')).items.map((i) => i.text),
      ['Концерт на набережной прошёл отлично'],
    );
    assert.equal((await stream(moderator, `?sourceId=${tgSource}`)).items.length, 2);
    assert.equal((await get(moderator, '/monitoring/stream?cursor=garbage')).statusCode, 400);
  });

  test('scope: Белово’s post is Белово’s; residents and operators have no stream', async () => {
    const belPost = id('В Белове');
    assert.equal((await get(moderator, `/monitoring/posts/${belPost}`)).statusCode, 404);
    const belItems = (await stream(belAdmin)).items;
    assert.ok(belItems.some((i) => i.id === belPost && i.municipality?.id === bel && i.place?.name === 'Белово'));
    assert.equal((await get(moderator, `/monitoring/stream?municipalityId=${bel}`)).statusCode, 403);
    assert.equal((await get(resident, '/monitoring/stream')).statusCode, 403);
    assert.equal((await get(operator, '/monitoring/stream')).statusCode, 403);
    assert.equal((await post(moderator, `/monitoring/posts/${belPost}/accept`, {})).statusCode, 404);
  });

  let potholeCase: number;

  test('accept: an incident case through the intake (channel social, the post’s link, the guess as category, 24 h)', async () => {
    const pid = id(POTHOLE);
    t.clock.advance(5 * 60_000);
    const res = await post(moderator, `/monitoring/posts/${pid}/accept`, {});
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    potholeCase = body.case.id;
    assert.match(body.case.number, /^КЕМ-2026-\d{6}$/);
    assert.equal(body.case.dueKind, 'first_reaction');
    const fetched = new Date(body.post.fetchedAt).getTime();
    assert.equal(
      new Date(body.case.dueAt).getTime(),
      fetched + 24 * 3600_000,
      'the first reaction is due 24 h after the post arrived',
    );
    assert.equal(body.post.status, 'accepted');
    assert.equal(body.post.caseId, potholeCase);
    assert.equal(body.post.caseNumber, body.case.number);
    const c = await caseRow(potholeCase);
    assert.equal(c.channel, 'social');
    assert.equal(c.regime, 'incident');
    assert.equal(c.category_id, potholes);
    assert.equal(c.media_url, body.post.url, 'the case links the post');
    assert.equal(c.text, body.post.text);
    assert.equal(c.received_at.getTime(), fetched);
    assert.equal(c.answer_by, null, 'answered in the thread, not by letter');
    const [a] = await audits(pid);
    assert.equal(a?.action, 'monitoring_post.accept');
    assert.equal(a?.actor_user_id, moderator.userId);
    // Handled: a second accept, a dismiss are 409; the stream of accepted posts shows it.
    assert.equal((await post(moderator, `/monitoring/posts/${pid}/accept`, {})).statusCode, 409);
    assert.equal((await post(moderator, `/monitoring/posts/${pid}/dismiss`, { reason: 'шум' })).statusCode, 409);
    const accepted = (await stream(moderator, '?status=accepted')).items;
    assert.deepEqual(
      accepted.map((i) => [i.id, i.caseNumber]),
      [[pid, body.case.number]],
    );
  });

  test('dismiss with a reason; then it is handled (409); the reason is required', async () => {
    const pid = id('Концерт');
    assert.equal((await post(moderator, `/monitoring/posts/${pid}/dismiss`, { reason: '' })).statusCode, 400);
    const res = await post(moderator, `/monitoring/posts/${pid}/dismiss`, { reason: 'Не про городское хозяйство' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().post.status, 'dismissed');
    assert.equal(res.json().post.dismissReason, 'Не про городское хозяйство');
    assert.equal(res.json().case, null);
    assert.equal((await post(moderator, `/monitoring/posts/${pid}/accept`, {})).statusCode, 409);
    assert.equal((await audits(pid))[0]?.action, 'monitoring_post.dismiss');
  });

  test('the regional queue: accepted into a chosen municipality; dismissed only by the region’s administrators', async () => {
    const fire = id('Пожар в частном');
    const missing = await post(moderator, `/monitoring/posts/${fire}/accept`, {});
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error.details[0].field, 'municipalityId');
    assert.equal((await post(moderator, `/monitoring/posts/${fire}/accept`, { municipalityId: bel })).statusCode, 403);
    assert.equal(
      (await post(moderator, `/monitoring/posts/${id('Ещё один пожар')}/dismiss`, { reason: 'дубль' })).statusCode,
      403,
    );
    const res = await post(moderator, `/monitoring/posts/${fire}/accept`, {
      municipalityId: kem,
      text: 'Пожар в частном доме (Telegram)',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().post.municipality.id, kem);
    assert.equal((await caseRow(res.json().case.id)).text, 'Пожар в частном доме (Telegram)');
    const dismissed = await post(region, `/monitoring/posts/${id('Ещё один пожар')}/dismiss`, { reason: 'Учения' });
    assert.equal(dismissed.statusCode, 200, dismissed.body);
  });

  test('bulk: each post has its own outcome', async () => {
    const lamp = id('Не горит фонарь');
    const res = await post(moderator, '/monitoring/posts/bulk', { ids: [lamp, id(POTHOLE), 99_999], action: 'accept' });
    assert.equal(res.statusCode, 200, res.body);
    const [a, b, c] = res.json().results;
    assert.equal(a.ok, true);
    assert.match(a.caseNumber, /^КЕМ-/);
    assert.deepEqual([b.ok, b.error.code], [false, 'CONFLICT']);
    assert.deepEqual([c.ok, c.error.code], [false, 'NOT_FOUND']);
    assert.equal((await post(moderator, '/monitoring/posts/bulk', { ids: [lamp], action: 'dismiss' })).statusCode, 400);
    const lampCase = await caseRow(a.caseId);
    assert.equal(lampCase.category_id, null, 'the query has no default category');
  });

  test('reply on VK: wall.createComment with the community token; the time is the incident’s first reaction, in time', async () => {
    const pid = id(POTHOLE);
    const res = await post(moderator, `/monitoring/posts/${pid}/reply`, { text: 'Спасибо, передали в дорожную службу.' });
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json() as Item;
    assert.equal(r.reply?.status, 'published');
    assert.equal(r.reply?.repliedAt, t.clock.now().toISOString());
    const [comment] = vk.createdComments;
    const postId = Number(/wall-?\d+_(\d+)/.exec(r.url!)![1]);
    assert.deepEqual(
      {
        owner: comment?.owner_id,
        post: comment?.post_id,
        message: comment?.message,
        token: comment?.access_token,
        group: comment?.from_group,
        replyTo: comment?.reply_to_comment,
      },
      {
        owner: OWNER,
        post: postId,
        message: 'Спасибо, передали в дорожную службу.',
        token: 'vk-community-token',
        group: -OWNER,
        replyTo: null,
      },
    );
    assert.equal(r.reply?.externalId, `${OWNER}_${postId}_${comment?.comment_id}`);
    assert.equal(r.reply?.url, `https://vk.com/wall${OWNER}_${postId}?reply=${comment?.comment_id}`);
    const ev = (await events(potholeCase)).find((e) => e.type === 'first_reaction')!;
    assert.equal(ev.at.toISOString(), t.clock.now().toISOString());
    assert.equal(ev.late, false);
    assert.equal(ev.actor_user_id, moderator.userId);
    const c = await caseRow(potholeCase);
    assert.equal(
      ev.deadline_at?.toISOString(),
      new Date((c.deadlines as Array<{ kind: string; dueAt: string }>)[0]!.dueAt).toISOString(),
    );
    assert.equal(c.due_at, null, 'no deadline after the first reaction');
    assert.equal((await post(moderator, `/monitoring/posts/${pid}/reply`, { text: 'ещё' })).statusCode, 409);
    assert.equal((await audits(pid)).at(-1)?.action, 'monitoring_post.reply');
  });

  test('a refused publication is failed with VK’s error; sending again publishes it', async () => {
    const pid = id('Не горит фонарь');
    vk.failNext('wall.createComment', { code: 212 });
    const failed = (await post(moderator, `/monitoring/posts/${pid}/reply`, { text: 'Заявка принята' })).json() as Item;
    assert.equal(failed.reply?.status, 'failed');
    assert.match(failed.reply?.error ?? '', /212/);
    const ok = (await post(moderator, `/monitoring/posts/${pid}/reply`, { text: 'Заявка принята' })).json() as Item;
    assert.equal(ok.reply?.status, 'published');
  });

  test('a manual reply waits for its confirmation; the confirmed time is the first reaction, here late', async () => {
    const pid = id('Ямы во дворе');
    const accepted = (await post(moderator, `/monitoring/posts/${pid}/accept`, {})).json();
    t.clock.advance(25 * 3600_000);
    moderator = await login(t.app, 'kem.moderator@otklik.demo'); // the session idled out meanwhile
    const r = (
      await post(moderator, `/monitoring/posts/${pid}/reply`, { text: 'Проверим на этой неделе', manual: true })
    ).json() as Item;
    assert.equal(r.reply?.status, 'manual');
    assert.equal(r.reply?.repliedAt, null);
    assert.ok(!(await events(accepted.case.id)).some((e) => e.type === 'first_reaction'), 'not yet');
    assert.equal((await post(moderator, `/monitoring/posts/${pid}/reply`, { text: 'x' })).statusCode, 409);
    const future = new Date(t.clock.now().getTime() + 60_000).toISOString();
    assert.equal((await post(moderator, `/monitoring/posts/${pid}/reply/confirm`, { publishedAt: future })).statusCode, 400);
    const confirmed = await post(moderator, `/monitoring/posts/${pid}/reply/confirm`, {
      url: 'https://vk.com/wall-2001_6?reply=99',
    });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.equal(confirmed.json().reply.status, 'published');
    assert.equal(confirmed.json().reply.url, 'https://vk.com/wall-2001_6?reply=99');
    const ev = (await events(accepted.case.id)).find((e) => e.type === 'first_reaction')!;
    assert.equal(ev.late, true, 'more than 24 h after the post arrived');
    assert.equal((await post(moderator, `/monitoring/posts/${pid}/reply/confirm`, {})).statusCode, 409);
    assert.equal((await audits(pid)).at(-1)?.action, 'monitoring_post.reply_confirm');
  });

  test('reply on Telegram: sendMessage in reply to the message', async () => {
    const pid = id('Пожар в частном');
    const r = (await post(moderator, `/monitoring/posts/${pid}/reply`, { text: 'Информация передана в МЧС' })).json() as Item;
    assert.equal(r.reply?.status, 'published');
    const sent = tg.sent.at(-1)!;
    assert.equal(sent.chat_id, String(CHAT.id));
    assert.equal(sent.text, 'Информация передана в МЧС');
    const messageId = Number(/_(\d+)$/.exec((await get(moderator, `/monitoring/posts/${pid}`)).json().externalId)![1]);
    assert.equal(sent.reply_parameters?.message_id, messageId);
    assert.equal(r.reply?.url, `https://t.me/${CHAT.username}/${sent.message_id}`);
  });

  test('a reply before accepting: the accepted incident takes the reply’s time as its first reaction', async () => {
    vk.addPost(OWNER, { text: 'Яма на въезде во двор, асфальт провалился', date: nowS() - 30 });
    t.clock.advance(120_000);
    await poll();
    const pid = id('Яма на въезде');
    const repliedAt = t.clock.now().toISOString();
    assert.equal(
      ((await post(moderator, `/monitoring/posts/${pid}/reply`, { text: 'Смотрим' })).json() as Item).reply?.status,
      'published',
    );
    t.clock.advance(3600_000);
    const accepted = (await post(moderator, `/monitoring/posts/${pid}/accept`, {})).json();
    const ev = (await events(accepted.case.id)).find((e) => e.type === 'first_reaction')!;
    assert.equal(ev.at.toISOString(), repliedAt);
    assert.equal(ev.late, false);
  });
});
