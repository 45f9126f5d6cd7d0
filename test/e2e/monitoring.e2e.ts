import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../../src/server/modules/monitoring/index.ts';
import { FakeVk } from '../support/fake-vk.ts';
import { as, login, type Session } from '../support/test-app.ts';
import { assertNoProblems, type E2EServer, launchBrowser, openPage, settled, signIn, snap, startServer } from './support.ts';

/*
 * Issue 6 in the browser: a webhook source and two VK walls (fake VK API on a real HTTP server), a query written in
 * the queries page (a syntax error shown at its place, a test on recent posts), posts pushed through the signed
 * webhook and polled from VK, a moderator working the stream with the keyboard (accept, dismiss, bulk, replies —
 * by hand and published back to VK), the incident's card, and the administrator's page of sources with their health.
 */

const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
const QUERY = '(яма OR выбоина) AND (дорога OR улица OR двор)';
const WALL = -100;

interface Ids {
  kemerovo: number;
  webhook: number;
  vk: number;
  vkLimited: number;
  rss: number;
}

async function kemerovoId(server: E2EServer): Promise<number> {
  const res = await server.app.inject({ url: '/api/v1/municipalities' });
  const m = (res.json() as { items: Array<{ id: number; slug: string }> }).items.find((x) => x.slug === 'kemerovo');
  assert.ok(m, 'the demo has Кемерово');
  return m.id;
}

async function addSource(server: E2EServer, admin: Session, body: Record<string, unknown>): Promise<number> {
  const res = await server.app.inject({ method: 'POST', url: '/api/v1/monitoring/sources', headers: as(admin), payload: body });
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { id: number }).id;
}

/** Posts pushed to the webhook as an outside system does: the raw body signed with the source's HMAC key. */
async function push(server: E2EServer, sourceId: number, posts: Array<{ externalId: string; text: string; author: string }>) {
  const now = Date.now();
  const body = JSON.stringify({
    posts: posts.map((p, i) => ({
      externalId: p.externalId,
      text: p.text,
      authorHandle: p.author,
      url: `https://news.example/kemerovo/${p.externalId}`,
      publishedAt: new Date(now - (posts.length - i) * 60_000).toISOString(),
    })),
  });
  const res = await fetch(`${server.baseUrl}/api/v1/monitoring/webhook/${sourceId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(WEBHOOK_SECRET, body) },
    body,
  });
  const answer = await res.text();
  assert.equal(res.status, 200, answer);
  const out = JSON.parse(answer) as { stored: number };
  assert.equal(out.stored, posts.length);
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The post the keyboard is on. */
const currentPost = (page: Page) => page.locator('article.mon-post[aria-current="true"]');

/** Presses j or k — whichever way it is — until the post by this author has the keyboard's focus. */
async function moveTo(page: Page, author: string): Promise<Locator> {
  const posts = page.locator('article.mon-post');
  for (let i = 0; i < 30; i++) {
    const texts = await posts.allTextContents();
    const target = texts.findIndex((x) => x.includes(author));
    assert.ok(target >= 0, `no post of ${author} in the stream`);
    const cur = currentPost(page);
    const at = (await cur.count()) === 1 ? texts.indexOf((await cur.textContent()) ?? '') : -1;
    if (at === target) return cur;
    await page.keyboard.press(at < target ? 'j' : 'k');
  }
  throw new Error(`the keyboard never reached the post of ${author}`);
}

const postOf = (page: Page, author: string) => page.locator('article.mon-post').filter({ hasText: author });

describe('social-media monitoring pages', () => {
  let server: E2EServer;
  let browser: Browser;
  let vk: FakeVk;
  let vkLimited: FakeVk;
  const ids = {} as Ids;

  before(async () => {
    [server, browser, vk, vkLimited] = await Promise.all([startServer(), launchBrowser(), FakeVk.start(), FakeVk.start()]);
    ids.kemerovo = await kemerovoId(server);
    const admin = await login(server.app, 'kem.admin@otklik.demo');
    ids.webhook = await addSource(server, admin, {
      municipalityId: ids.kemerovo,
      kind: 'webhook',
      name: 'Новости Кемерова (вебхук)',
      secret: WEBHOOK_SECRET,
    });
    // A community wall with a token for replies: published back as wall.createComment.
    vk.groups.set(100, { name: 'Подслушано Кемерово', screen_name: 'podslushano_kem' });
    vk.profiles.set(501, { first_name: 'Ирина', last_name: 'Лосева', screen_name: 'irina_loseva' });
    ids.vk = await addSource(server, admin, {
      municipalityId: ids.kemerovo,
      kind: 'vk',
      name: 'Подслушано Кемерово',
      config: { apiUrl: vk.apiUrl, owners: [WALL], comments: false },
      secret: 'vk-service-token',
      replySecret: 'vk-community-token',
    });
    // Posts that came before any query: the query page tests against them.
    await push(server, ids.webhook, [
      {
        externalId: 'early-1',
        author: 'early_driver',
        text: 'На проспекте Ленина огромная выбоина на дороге, уже две машины пробили колёса.',
      },
      { externalId: 'early-2', author: 'concert_fan', text: 'Отличный концерт вчера был на набережной, спасибо!' },
    ]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await vk?.close();
    await vkLimited?.close();
  });

  test('queries: a syntax error at its place, a test on recent posts, saving', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'kem.moderator@otklik.demo');
    await page
      .getByRole('navigation', { name: 'Разделы рабочего места' })
      .getByRole('link', { name: 'Мониторинг соцсетей' })
      .click();
    await page.getByRole('heading', { name: 'Мониторинг соцсетей', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Мониторинг соцсетей' }).getByRole('link', { name: 'Запросы' }).click();
    await page.getByRole('heading', { name: 'Запросы мониторинга', level: 1 }).waitFor();
    // A moderator manages no sources: that tab is not there.
    assert.equal(
      await page.getByRole('navigation', { name: 'Мониторинг соцсетей' }).getByRole('link', { name: 'Источники' }).count(),
      0,
    );
    await settled(page);

    await page.getByRole('button', { name: 'Новый запрос' }).click();
    const editor = page.getByRole('region', { name: 'Новый запрос' });
    await editor.getByRole('complementary', { name: 'Как писать запрос' }).getByText('NEAR/3').waitFor();
    assert.equal(await editor.getByLabel('Муниципалитет').locator('option:checked').textContent(), 'Кемеровский городской округ');
    await editor.getByLabel('Название').fill('Ямы на дорогах');
    // «или» in lower case is refused: operators are capitals. The place is shown under the field.
    const wrong = '(яма или выбоина) AND (дорога OR улица OR двор)';
    await editor.getByLabel('Запрос', { exact: true }).fill(wrong);
    await editor.getByRole('button', { name: 'Проверить на последних публикациях' }).click();
    const syntax = editor.locator('.mon-syntax');
    await syntax.getByText('похоже на оператор').waitFor();
    // The caret stands under «или» (index 5): the marked character is its first letter.
    assert.equal(await syntax.locator('.mon-caret__at').textContent(), 'и');
    const caret = (await syntax.locator('.mon-caret').textContent()) ?? '';
    const [shown, marker] = caret.split('\n');
    assert.equal(shown, wrong);
    assert.equal(marker, `${' '.repeat(5)}^`);
    // The field keeps the text; the cursor is put at the place.
    assert.equal(await editor.getByLabel('Запрос', { exact: true }).evaluate((el: HTMLTextAreaElement) => el.selectionStart), 5);
    await snap(page, 'monitoring-query-error');

    // Saving the same text is refused the same way.
    await editor.getByRole('button', { name: 'Сохранить' }).click();
    await syntax.getByText('похоже на оператор').waitFor();

    await editor.getByLabel('Запрос', { exact: true }).fill(QUERY);
    // Editing the text takes the stale error away.
    assert.equal(await syntax.count(), 0);
    await editor.getByRole('button', { name: 'Проверить на последних публикациях' }).click();
    const results = editor.getByRole('region', { name: /^Проверка: совпало/ });
    await results.waitFor();
    await results.getByText('early_driver').waitFor();
    assert.equal(await results.getByText('концерт').count(), 0, 'the concert does not match');
    const marks = await results.locator('.mon-mark').allTextContents();
    assert.ok(marks.includes('выбоина') && marks.includes('дороге'), `highlighted: ${marks.join(', ')}`);
    await snap(page, 'monitoring-query-test');

    await editor.getByLabel(/^Категория по умолчанию/).selectOption({ label: 'Ямы на дорогах' });
    await editor.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('status').getByText('Запрос «Ямы на дорогах» добавлен.').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Ямы на дорогах' }).filter({ hasText: QUERY });
    await row.getByText('Действует').waitFor();
    await snap(page, 'monitoring-queries');
    assertNoProblems(t);
    await t.close();
  });

  test('the stream: accept with the keyboard, dismiss, bulk, replies by hand and back to VK, the incident', async () => {
    // New posts: a complaint, its copy, an advertisement that happens to match — through the webhook; a VK post.
    await push(server, ids.webhook, [
      {
        externalId: 'p1',
        author: 'vesna_12',
        text: 'В Кемерове на улице Весенней возле дома 12 огромная яма, машины объезжают её по встречке. Когда отремонтируют дорогу?',
      },
      {
        externalId: 'p2',
        author: 'olga_p',
        text: 'В Кемерове на улице Весенней возле дома 12 огромная яма — машины объезжают по встречке. Когда уже отремонтируют дорогу?',
      },
      {
        externalId: 'p3',
        author: 'shina_market',
        text: 'Зимние шины со скидкой 30 %: ни одна яма на дороге не страшна! Доставка по городу бесплатно.',
      },
    ]);
    const date = Math.floor(Date.now() / 1000) - 300;
    vk.addPost(WALL, {
      text: 'Во дворе дома 3 по улице Тухачевского яма размером с озеро, дети ходят по проезжей части',
      date,
      fromId: 501,
    });
    const admin = await login(server.app, 'kem.admin@otklik.demo');
    const poll = await server.app.inject({
      method: 'POST',
      url: `/api/v1/monitoring/sources/${ids.vk}/poll`,
      headers: as(admin),
    });
    assert.equal(poll.statusCode, 202, poll.body);
    const db = server.database.db;
    await waitFor('the VK post', async () => {
      const r = await db.selectFrom('monitoring_post').select('id').where('source_id', '=', ids.vk).execute();
      return r.length > 0;
    });

    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'kem.moderator@otklik.demo');
    await page.goto(`${server.baseUrl}/staff/monitoring`);
    await page.getByRole('heading', { name: 'Мониторинг соцсетей', level: 1 }).waitFor();
    await settled(page);
    const p1 = postOf(page, 'vesna_12');
    const p3 = postOf(page, 'shina_market');
    const v1 = postOf(page, 'Лосева');
    await p1.waitFor();
    // The copy is folded into the first one and counted.
    assert.equal(await postOf(page, 'olga_p').count(), 0);
    await p1.getByText('ещё 1 похожая').waitFor();
    // The query's words are marked in the text; the guess and the place are shown.
    const marks = await p1.locator('.mon-mark').allTextContents();
    assert.ok(marks.includes('улице') && marks.includes('яма') && marks.includes('дорогу'), marks.join(', '));
    await p1.getByText('Ямы на дорогах').first().waitFor();
    await p1.getByText('Кемеровский городской округ').waitFor();
    await p1.getByRole('link', { name: /Открыть в источнике/ }).waitFor();
    assert.equal(
      await p1.getByRole('link', { name: /Открыть в источнике/ }).getAttribute('href'),
      'https://news.example/kemerovo/p1',
    );
    await v1.getByText('Подслушано Кемерово').waitFor();
    assert.equal(await v1.getByRole('link', { name: /Открыть в ВКонтакте/ }).getAttribute('href'), 'https://vk.com/wall-100_1');
    // The keys are documented on the page.
    await page.getByText('Работа с клавиатуры').click();
    await page.locator('.mon-keys').getByText('принять: создать инцидент').waitFor();
    await snap(page, 'monitoring-stream');

    // A letter typed in a field is text, never a command.
    await page.getByLabel(/^Слова в тексте или автор/).fill('ad');
    assert.equal(await page.getByRole('region', { name: 'Принять как инцидент' }).count(), 0);
    assert.equal(await page.getByRole('region', { name: 'Отклонить как шум' }).count(), 0);
    await page.getByLabel(/^Слова в тексте или автор/).fill('');
    await page.getByRole('heading', { name: 'Мониторинг соцсетей', level: 1 }).click();

    // ? shows the keys.
    await page.keyboard.press('Shift+Slash');
    const dialog = page.getByRole('dialog', { name: 'Клавиши быстрого доступа' });
    await dialog.waitFor();
    await snap(page, 'monitoring-keys', { phone: false });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // j to the complaint, a to accept: the guessed category is there, Enter confirms.
    await moveTo(page, 'vesna_12');
    await page.keyboard.press('a');
    const accept = p1.getByRole('region', { name: 'Принять как инцидент' });
    await accept.waitFor();
    assert.equal(await accept.getByLabel('Категория').locator('option:checked').textContent(), 'Ямы на дорогах');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Создать инцидент');
    await snap(page, 'monitoring-accept');
    await page.keyboard.press('Enter');
    await p1.getByText(/^Инцидент КЕМ-\d{4}-\d{6}$/).waitFor();
    await p1.locator('.badge').getByText('Принята').waitFor();
    await page.getByText(/Инцидент КЕМ-\d{4}-\d{6} создан, первая реакция — до /).waitFor();
    const number = ((await p1.getByText(/^Инцидент КЕМ-/).textContent()) ?? '').replace('Инцидент ', '');
    // The keyboard stays on the post.
    assert.equal(await currentPost(page).getAttribute('data-post-id'), await p1.getAttribute('data-post-id'));

    // The advertisement: d, a reason, dismissed.
    await moveTo(page, 'shina_market');
    await page.keyboard.press('d');
    const dismiss = p3.getByRole('region', { name: 'Отклонить как шум' });
    await dismiss.getByLabel('Реклама или спам').check();
    await snap(page, 'monitoring-dismiss', { phone: false });
    await dismiss.getByRole('button', { name: 'Отклонить' }).click();
    await p3.getByText('Отклонена: Реклама или спам').waitFor();
    // A decided post takes no second decision.
    await page.keyboard.press('a');
    await page.getByText('Публикация уже отклонена.').first().waitFor();

    // The VK post: x selects it, accepted with the bulk bar.
    await moveTo(page, 'Лосева');
    await page.keyboard.press('x');
    const bulk = page.getByRole('region', { name: 'Выбранные публикации' });
    await bulk.getByText('Выбрано: 1').waitFor();
    await bulk.getByRole('button', { name: 'Принять выбранные' }).click();
    await bulk.getByRole('button', { name: 'Принять 1' }).click();
    await page.getByText('Принято: 1 публикация.').first().waitFor();
    await v1.getByText(/^Инцидент КЕМ-/).waitFor();

    // A reply on the VK post is published back to the wall as a comment from the community.
    await moveTo(page, 'Лосева');
    await page.keyboard.press('r');
    const vkReply = v1.getByRole('region', { name: 'Ответить автору' });
    await vkReply.getByText('будет опубликован автоматически — комментарием под публикацией во ВКонтакте').waitFor();
    const vkText = 'Здравствуйте, Ирина! Заявка передана в дорожную службу, яму засыплют до пятницы.';
    await page.keyboard.type(vkText);
    await vkReply.getByRole('button', { name: 'Опубликовать ответ' }).click();
    await v1.getByRole('region', { name: 'Ответ' }).getByText('Опубликован').waitFor();
    assert.equal(vk.createdComments.length, 1);
    const comment = vk.createdComments[0]!;
    assert.equal(comment.owner_id, WALL);
    assert.equal(comment.post_id, 1);
    assert.equal(comment.message, vkText);
    assert.equal(comment.access_token, 'vk-community-token');
    // wall.createComment's from_group is the id of the community it speaks for (dev.vk.com/ru/method/wall.createComment).
    assert.equal(comment.from_group, -WALL);
    const replyLink = v1.getByRole('link', { name: /Открыть ответ/ });
    assert.match((await replyLink.getAttribute('href')) ?? '', /^https:\/\/vk\.com\/wall-100_1\?reply=\d+/);

    // The webhook's post cannot be answered automatically: the reply is kept for publication by hand, then confirmed.
    await moveTo(page, 'vesna_12');
    await page.keyboard.press('r');
    const reply = p1.getByRole('region', { name: 'Ответить автору' });
    await reply.getByText('не публикует ответы сам').waitFor();
    await reply.getByLabel('Текст ответа').fill('Спасибо! Яму на Весенней, 12 отремонтируют в течение трёх дней.');
    await reply.getByRole('button', { name: 'Сохранить ответ' }).click();
    const state = p1.getByRole('region', { name: 'Ответ' });
    await state.getByText('Ждёт публикации вручную').waitFor();
    await snap(page, 'monitoring-reply-manual');
    await state.getByLabel(/^Ссылка на опубликованный ответ/).fill('https://news.example/kemerovo/p1#comment-7');
    await state.getByRole('button', { name: 'Отметить опубликованным' }).click();
    await state.getByText('Опубликован').waitFor();
    assert.equal(
      await state.getByRole('link', { name: /Открыть ответ/ }).getAttribute('href'),
      'https://news.example/kemerovo/p1#comment-7',
    );
    await snap(page, 'monitoring-stream-done');

    // «Показать ещё» is not there with one page; the filter of accepted posts shows both incidents.
    assert.equal(await page.getByRole('button', { name: 'Показать ещё' }).count(), 0);
    await page.getByLabel('Состояние').selectOption({ label: 'Принятые' });
    await page.getByRole('button', { name: 'Показать', exact: true }).click();
    await page.waitForURL(/status=accepted/);
    await settled(page);
    await p1.waitFor();
    await v1.waitFor();
    assert.equal(await p3.count(), 0);

    // The incident's card.
    await p1.getByRole('link', { name: 'Открыть инцидент' }).click();
    await page.getByRole('heading', { level: 1, name: `Обращение ${number}` }).waitFor();
    await settled(page);
    await page.getByText('Инцидент', { exact: true }).first().waitFor();
    await page.getByText('В Кемерове на улице Весенней возле дома 12 огромная яма', { exact: false }).first().waitFor();
    await snap(page, 'monitoring-incident', { phone: false });
    assertNoProblems(t);
    await t.close();
  });

  test('sources: health in colour and words, write-only secrets, poll now, deactivate, add', async () => {
    const admin = await login(server.app, 'kem.admin@otklik.demo');
    // A wall whose API answers «Rate limit reached» (VK error 29) to every read.
    vkLimited.failNext('wall.get', { code: 29 }, 1000);
    ids.vkLimited = await addSource(server, admin, {
      municipalityId: ids.kemerovo,
      kind: 'vk',
      name: 'Кемерово сегодня',
      config: { apiUrl: vkLimited.apiUrl, owners: [-200], comments: false },
      secret: 'vk-service-token',
    });
    // A feed on a port nobody listens on.
    ids.rss = await addSource(server, admin, {
      municipalityId: ids.kemerovo,
      kind: 'rss',
      name: 'Городская газета (RSS)',
      config: { url: 'http://127.0.0.1:9/feed.xml' },
    });
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'kem.admin@otklik.demo');
    await page
      .getByRole('navigation', { name: 'Разделы рабочего места' })
      .getByRole('link', { name: 'Источники мониторинга' })
      .click();
    await page.getByRole('heading', { name: 'Источники мониторинга', level: 1 }).waitFor();
    await settled(page);
    const card = (name: string) => page.getByRole('article', { name });

    // Poll the failing ones now and wait for the poller to record their failures.
    const db = server.database.db;
    for (const name of ['Кемерово сегодня', 'Городская газета (RSS)']) {
      await card(name)
        .getByRole('button', { name: /^Опросить сейчас/ })
        .click();
      await page.getByRole('status').getByText(`Опрос «${name}» поставлен в очередь`, { exact: false }).waitFor();
    }
    await waitFor('both failures recorded', async () => {
      const rows = await db
        .selectFrom('monitoring_source')
        .select(['id', 'consecutive_errors', 'consecutive_rate_limits'])
        .where('id', 'in', [ids.vkLimited, ids.rss])
        .execute();
      return rows.length === 2 && rows.every((r) => r.consecutive_errors + r.consecutive_rate_limits > 0);
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Источники мониторинга', level: 1 }).waitFor();
    await settled(page);

    await card('Новости Кемерова (вебхук)').locator('.mon-health--green').getByText('Работает').waitFor();
    await card('Новости Кемерова (вебхук)').getByText('/api/v1/monitoring/webhook/', { exact: false }).first().waitFor();
    await card('Подслушано Кемерово').locator('.mon-health--green').getByText('Работает').waitFor();
    await card('Подслушано Кемерово').getByText('ответы публикуются автоматически').waitFor();
    // Amber either way: "…, пауза до HH:MM" while the backoff runs, or the bare words once it has ended and the
    // next poll is due (the first backoff is one second, so a slow machine can reload the page after it).
    await card('Кемерово сегодня')
      .locator('.mon-health--amber')
      .getByText(/^Лимит запросов платформы/)
      .waitFor();
    await card('Кемерово сегодня').getByText('— лимит запросов', { exact: false }).waitFor();
    await card('Городская газета (RSS)')
      .locator('.mon-health--red')
      .getByText(/^Ошибка/)
      .waitFor();
    await card('Городская газета (RSS)').getByText('Последняя ошибка', { exact: false }).waitFor();
    await snap(page, 'monitoring-sources');

    // Secrets are write-only: set or not, and a field to replace them.
    await card('Подслушано Кемерово').getByRole('button', { name: 'Изменить источник «Подслушано Кемерово»' }).click();
    const edit = page.getByRole('region', { name: 'Источник «Подслушано Кемерово»' });
    await edit.getByText('Сервисный ключ доступа приложения ВКонтакте:').getByText('задан').waitFor();
    await edit.getByText('Ключ сообщества для ответов:').getByText('задан').waitFor();
    assert.equal(await edit.getByLabel(/^Заменить: новый сервисный ключ/).inputValue(), '');
    assert.equal(await edit.getByLabel('Стены сообществ').inputValue(), String(WALL));
    assert.ok(!(await page.content()).includes('vk-community-token'), 'the token never reaches the page');
    await snap(page, 'monitoring-source-edit');
    await edit.getByLabel('Поиск по всем записям (newsfeed.search)').fill('Кемерово яма');
    await edit.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('status').getByText('Источник «Подслушано Кемерово» сохранён.').waitFor();
    const saved = await db
      .selectFrom('monitoring_source')
      .select(['config', 'reply_secret'])
      .where('id', '=', ids.vk)
      .executeTakeFirstOrThrow();
    assert.deepEqual((saved.config as { queries: string[] }).queries, ['Кемерово яма']);
    assert.equal((saved.config as { apiUrl: string }).apiUrl, vk.apiUrl, 'settings the form does not show are kept');
    assert.equal(saved.reply_secret, 'vk-community-token', 'an untouched secret stays');

    // Deactivate the failing feed.
    await card('Городская газета (RSS)').getByRole('button', { name: 'Отключить источник «Городская газета (RSS)»' }).click();
    await page.getByRole('status').getByText('Источник «Городская газета (RSS)» отключён.').waitFor();
    await card('Городская газета (RSS)').locator('.mon-health--grey').getByText('Отключён').waitFor();

    // Add a feed: a wrong address is refused at its field, in Russian.
    await page.getByRole('button', { name: 'Добавить источник' }).click();
    const add = page.getByRole('region', { name: 'Новый источник' });
    await add.getByLabel('Платформа').selectOption({ label: 'RSS/Atom' });
    await add.getByLabel('Название').fill('Вести-Кузбасс');
    await add.getByLabel('Адрес ленты RSS или Atom').fill('ftp://vesti.example/rss');
    await add.getByRole('button', { name: 'Сохранить' }).click();
    await add.getByText('Нужен адрес, начинающийся с http:// или https://.').waitFor();
    await add.getByLabel('Адрес ленты RSS или Atom').fill('https://vesti.example/rss.xml');
    // Added switched off (nothing polls an address outside the test).
    await add.getByLabel(/^Включён/).uncheck();
    await add.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('status').getByText('Источник «Вести-Кузбасс» добавлен.').waitFor();
    await card('Вести-Кузбасс').locator('.mon-health--grey').getByText('Отключён').waitFor();
    assertNoProblems(t);
    await t.close();
  });
});
