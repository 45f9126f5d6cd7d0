import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

type Notice = {
  id: number;
  caseId: number | null;
  caseNumber: string | null;
  kind: string;
  title: string;
  text: string;
  at: string;
  readAt: string | null;
};
type NoticeList = { items: Notice[]; unread: number };

const USERS = {
  resident: 'resident@otklik.demo',
  resident2: 'resident2@otklik.demo',
  operator: 'kem.operator@otklik.demo',
  executor: 'kem.executor@otklik.demo',
  head: 'kem.head@otklik.demo',
} as const;
type Who = keyof typeof USERS;

describe('notices: the applicant’s letters in the cabinet', () => {
  let t: TestContext;
  let kem: number;
  let improvement: number;
  let executorId: number;
  const sessions = new Map<Who, Session & { at: number }>();

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    t.clock.set('2026-04-30T03:00:00Z'); // 10:00 in Кемерово (+07)
    improvement = (
      await t.database.db
        .selectFrom('department')
        .select('id')
        .where('municipality_id', '=', kem)
        .where('name', '=', 'Управление благоустройства')
        .executeTakeFirstOrThrow()
    ).id;
    executorId = (
      await t.database.db.selectFrom('app_user').select('id').where('email', '=', USERS.executor).executeTakeFirstOrThrow()
    ).id;
  });
  after(() => t.close());

  /** A session valid at the clock's current time (the clock jumps past the sessions' lifetime). */
  async function session(who: Who): Promise<Session> {
    const now = t.clock.now().getTime();
    const s = sessions.get(who);
    if (s && now - s.at < 3600_000 && now >= s.at) return s;
    const fresh = Object.assign(await login(t.app, USERS[who]), { at: now });
    sessions.set(who, fresh);
    return fresh;
  }
  async function ok(who: Who, id: number, action: string, payload: Record<string, unknown> = {}) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/${action}`,
      headers: as(await session(who)),
      payload,
    });
    assert.equal(res.statusCode, 200, `${who} ${action}: ${res.body}`);
  }
  async function submit(text: string, extra: Record<string, unknown> = {}) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(await session('resident')),
      payload: { municipalityId: kem, channel: 'web', text, ...extra },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; number: string };
  }
  async function notices(who: Who, query = ''): Promise<NoticeList> {
    const res = await t.app.inject({ url: `/api/v1/notices${query}`, headers: as(await session(who), { csrf: false }) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as NoticeList;
  }
  const post = async (who: Who, url: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(await session(who)), payload: {} });

  test('intake and the approved answer each leave a notice with the letter’s text; newest first; unread counted', async () => {
    const before = await notices('resident');
    const c = await submit('Не убран снег у подъезда дома 5');
    const afterIntake = await notices('resident');
    assert.equal(afterIntake.unread, before.unread + 1);
    const registered = afterIntake.items[0];
    assert.equal(registered?.caseId, c.id);
    assert.equal(registered?.caseNumber, c.number);
    assert.equal(registered?.kind, 'case_registered');
    assert.equal(registered?.title, `Обращение ${c.number} зарегистрировано`);
    assert.match(registered?.text ?? '', /Срок ответа — по 29\.05\.2026 включительно/);
    assert.equal(registered?.at, '2026-04-30T10:00:00+07:00', 'in the municipality’s zone, like the case card');
    assert.equal(registered?.readAt, null);

    await ok('operator', c.id, 'assign', { departmentId: improvement, executorUserId: executorId });
    await ok('executor', c.id, 'start');
    await ok('executor', c.id, 'draft-answer', { text: 'Снег убран 2 мая.', result: 'supported' });
    assert.equal((await notices('resident')).unread, before.unread + 1, 'staff steps without a letter leave no notice');
    t.clock.set('2026-05-04T03:00:00Z');
    await ok('head', c.id, 'approve-answer');

    const list = await notices('resident');
    assert.equal(list.unread, before.unread + 2);
    assert.deepEqual(
      list.items.slice(0, 2).map((n) => [n.kind, n.caseId]),
      [
        ['case_answered', c.id],
        ['case_registered', c.id],
      ],
    );
    assert.equal(list.items[0]?.title, `Ответ на обращение ${c.number}`);
    assert.match(list.items[0]?.text ?? '', /поддержано[\s\S]*Снег убран 2 мая\./);
    // Letters about cases go to the applicant only.
    assert.equal((await notices('resident2')).items.filter((n) => n.caseId === c.id).length, 0);
    assert.equal((await notices('head')).items.filter((n) => n.caseId === c.id).length, 0);
  });

  test('an answer by post: no e-mail goes out, the cabinet still has the notice; an operator’s registration for a person without an account has none', async () => {
    t.clock.set('2026-05-05T03:00:00Z');
    const c = await submit('Прошу ответить письмом', { answerBy: 'post', postalAddress: 'Кемерово, ул. Весенняя, 5' });
    const mine = (await notices('resident')).items.filter((n) => n.caseId === c.id);
    assert.deepEqual(
      mine.map((n) => n.kind),
      ['case_registered'],
    );
    const letters = await t.database.db.selectFrom('job').select('payload').where('name', '=', 'mail.send').execute();
    assert.equal(letters.filter((j) => JSON.stringify(j.payload).includes(c.number)).length, 0, 'no e-mail for a post answer');

    const phoned = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(await session('operator')),
      payload: {
        municipalityId: kem,
        channel: 'phone',
        text: 'Звонок: яма на дороге',
        lastName: 'Звонков',
        firstName: 'Иван',
        email: 'caller@example.ru',
      },
    });
    assert.equal(phoned.statusCode, 201, phoned.body);
    const phonedId = (phoned.json() as { id: number }).id;
    const count = await t.database.db
      .selectFrom('notice')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('case_id', '=', phonedId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  test('another user can neither see nor mark a notice (404); marking is idempotent; read-all; paging', async () => {
    t.clock.set('2026-05-06T03:00:00Z');
    await submit('Первое');
    await submit('Второе');
    const list = await notices('resident');
    const [newest, older] = list.items;
    assert.ok(newest && older && newest.id > older.id);

    for (const who of ['resident2', 'head'] as const) {
      const res = await post(who, `/notices/${newest.id}/read`);
      assert.equal(res.statusCode, 404, `${who}: ${res.body}`);
      assert.equal((res.json() as { error: { code: string } }).error.code, 'NOT_FOUND');
      assert.ok(!(await notices(who)).items.some((n) => n.id === newest.id));
    }
    assert.equal((await post('resident', '/notices/999999/read')).statusCode, 404);
    assert.equal((await notices('resident')).unread, list.unread, 'nothing was marked by the others');

    const anonymous = await t.app.inject({ url: '/api/v1/notices' });
    assert.equal(anonymous.statusCode, 401);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: `/api/v1/notices/${newest.id}/read`,
      headers: as(await session('resident'), { csrf: false }),
      payload: {},
    });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/notices/${newest.id}/read`,
          headers: as(await session('resident')),
          payload: { x: 1 },
        })
      ).statusCode,
      400,
      'strict body',
    );

    t.clock.advance(60_000);
    const read = await post('resident', `/notices/${newest.id}/read`);
    assert.equal(read.statusCode, 200, read.body);
    const body = read.json() as { item: Notice; unread: number };
    assert.equal(body.item.readAt, '2026-05-06T10:01:00+07:00');
    assert.equal(body.unread, list.unread - 1);
    t.clock.advance(60_000);
    const again = (await post('resident', `/notices/${newest.id}/read`)).json() as { item: Notice; unread: number };
    assert.equal(again.item.readAt, '2026-05-06T10:01:00+07:00', 'reading twice keeps the first time');
    assert.equal(again.unread, list.unread - 1);

    const page = await notices('resident', `?limit=1&beforeId=${newest.id}`);
    assert.deepEqual(
      page.items.map((n) => n.id),
      [older.id],
    );
    assert.equal(
      (await t.app.inject({ url: '/api/v1/notices?limit=0', headers: as(await session('resident')) })).statusCode,
      400,
    );

    // resident2 has a notice of their own, which read-all by the resident must leave unread.
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(await session('resident2')),
      payload: { municipalityId: kem, channel: 'web', text: 'Чужое обращение' },
    });
    const othersUnread = (await notices('resident2')).unread;
    assert.ok(othersUnread > 0);

    const all = await post('resident', '/notices/read-all');
    assert.equal(all.statusCode, 200, all.body);
    assert.deepEqual(all.json(), { marked: list.unread - 1, unread: 0 });
    assert.equal((await notices('resident')).unread, 0);
    assert.ok((await notices('resident')).items.every((n) => n.readAt !== null));
    assert.equal((await notices('resident2')).unread, othersUnread);
    assert.deepEqual((await post('resident', '/notices/read-all')).json(), { marked: 0, unread: 0 });

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', 'in', ['notice.read', 'notice.read_all'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['notice.read', 'notice.read_all'],
      'one audit row per change, none for a repeat',
    );
  });
});
