import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { readPdf } from '../../core/documents/test-pdf.ts';
import { docxText, unzip } from '../../core/documents/test-zip.ts';
import { DEMO_NOMINATION } from './demo.ts';

// The seed (../shared/seed/000_f5f9a0931f448aea.txt): the 2020 Kuzbass regional stage — three applications in
// category I, none in category II, the compliance check, admission, the commission's votes, places 1–3, the top two
// recommended to the federal stage by 20 августа 2020 года, publication; the protocol generated from it.

const USERS = {
  region: 'region.admin@otklik.demo',
  commission: 'commission@otklik.demo',
  kem: 'kem.admin@otklik.demo',
  bel: 'bel.admin@otklik.demo',
  mar: 'mar.admin@otklik.demo',
  kal: 'kal.admin@otklik.demo',
  kemHead: 'kem.head@otklik.demo',
} as const;
type Who = keyof typeof USERS;

const SECTIONS = (practice: string) => ({
  practice,
  prerequisites: 'Потребность в модернизации «обратной связи» с жителями.',
  description: 'В работе администрации большая роль отводится получению «обратной связи» от жителей.',
  strengths: 'налажено эффективное взаимодействие с органами ТОС',
  weaknesses: 'недостаточно платформ',
  resourcesMaterial: 'финансовые, кадровые, информационные ресурсы',
  resourcesImmaterial: 'правовые ресурсы',
  results: 'В 2019 году поступило 11787 обращений, 7432 сообщения отработаны в срок.',
});

describe('contest «Лучшая муниципальная практика» over HTTP: the seed end to end', () => {
  let t: TestContext;
  const sessions = new Map<Who, Session & { at: number }>();
  let regionId: number;
  let contestId: number;
  const app: Record<'kem' | 'bel' | 'mar', number> = { kem: 0, bel: 0, mar: 0 };
  let catI: number;
  let catII: number;
  let members: Array<{ id: number; lastName: string; userId: number | null }>;

  before(async () => {
    t = await createTestContext();
    t.clock.set('2020-06-01T03:00:00Z');
    regionId = (await t.database.db.selectFrom('region').select('id').executeTakeFirstOrThrow()).id;
  });
  after(() => t.close());

  /** A session valid at the clock's current time (the tests move the clock by weeks). */
  async function session(who: Who) {
    const now = t.clock.now().getTime();
    let s = sessions.get(who);
    if (!s || now < s.at || now - s.at > 3600_000) {
      s = Object.assign(await login(t.app, USERS[who]), { at: now });
      sessions.set(who, s);
    }
    return s;
  }
  async function call(who: Who, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) {
    return t.app.inject({ method, url: `/api/v1${url}`, headers: as(await session(who)), ...(payload && { payload }) });
  }
  async function ok(who: Who, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object, code = 200) {
    const res = await call(who, method, url, payload);
    assert.equal(res.statusCode, code, `${method} ${url}: ${res.body}`);
    return res.json();
  }
  const audits = async (action: string) =>
    (await t.database.db.selectFrom('audit_log').select('id').where('action', '=', action).execute()).length;

  test('setup by the region; a municipality may not set up', async () => {
    const body = {
      year: 2020,
      stage: 'regional',
      title: 'Лучшая муниципальная практика',
      nomination: DEMO_NOMINATION,
      organizer: 'департамент внутренней политики Губернатора Кемеровской области – Кузбасса',
      regulation:
        'Положению о региональном этапе Всероссийского конкурса «Лучшая муниципальная практика», утвержденному постановлением Коллегии Администрации Кемеровской области от 12.05.2017 № 208',
      applicationsFrom: '2020-06-01T00:00:00Z',
      applicationsTo: '2020-07-01T00:00:00Z',
      resubmitTo: '2020-07-08T00:00:00Z',
      meetingAt: '2020-07-17T03:00:00Z',
      method: 'ranking',
      recommendTop: 2,
    };
    assert.equal((await call('kem', 'POST', `/regions/${regionId}/contests`, body)).statusCode, 403);
    const created = await ok('region', 'POST', `/regions/${regionId}/contests`, body, 201);
    contestId = created.contest.id;
    const cats = created.categories as Array<{ id: number; code: string; municipalityTypes: string[] }>;
    catI = cats.find((k) => k.code === 'I')!.id;
    catII = cats.find((k) => k.code === 'II')!.id;
    assert.deepEqual(cats.find((k) => k.code === 'II')!.municipalityTypes, ['rural_settlement']);
    const gromov = (
      await t.database.db.selectFrom('app_user').select('id').where('email', '=', USERS.commission).executeTakeFirstOrThrow()
    ).id;
    const kemAdmin = (
      await t.database.db.selectFrom('app_user').select('id').where('email', '=', USERS.kem).executeTakeFirstOrThrow()
    ).id;
    const commission = [
      {
        role: 'chair',
        lastName: 'Венгер',
        firstName: 'Константин',
        middleName: 'Геннадьевич',
        position:
          'заместитель Губернатора Кемеровской области – Кузбасса (по экономическому развитию), председатель региональной комиссии',
      },
      {
        role: 'deputy_chair',
        lastName: 'Турбаба',
        firstName: 'Ольга',
        middleName: 'Владиславовна',
        position: 'заместитель Губернатора Кемеровской области – Кузбасса (по внутренней политике)',
      },
      {
        role: 'secretary',
        lastName: 'Левкович',
        firstName: 'Олеся',
        middleName: 'Анатольевна',
        position: 'начальник департамента внутренней политики Губернатора Кемеровской области – Кузбасса',
      },
      {
        role: 'member',
        lastName: 'Громов',
        firstName: 'Алексей',
        middleName: 'Викторович',
        position: 'член комиссии',
        userId: gromov,
      },
    ];
    // A person without the commission member's role cannot sit on it with their account.
    const bad = await call('region', 'PUT', `/contests/${contestId}/commission`, {
      members: [...commission.slice(0, 3), { ...commission[3], userId: kemAdmin }],
    });
    assert.equal(bad.statusCode, 400, bad.body);
    const withCommission = await ok('region', 'PUT', `/contests/${contestId}/commission`, { members: commission });
    members = withCommission.commission;
    assert.equal(members.length, 4);
  });

  test('applications: drafts, scope, submission, compliance check with a return and resubmission, admission', async () => {
    const municipalities = t.demo.municipalities;
    for (const [who, key, name] of [
      ['kem', 'kemerovo', undefined],
      ['bel', 'belovo', undefined],
      ['mar', 'mariinsk', 'Мариинское городское поселение Мариинского муниципального района'],
    ] as const) {
      const a = await ok(
        who,
        'POST',
        `/contests/${contestId}/applications`,
        {
          municipalityId: municipalities[key],
          ...(name && { applicantName: name }),
          sections: SECTIONS(`практика ${key}`),
        },
        201,
      );
      assert.equal(a.status, 'draft');
      assert.equal(a.categoryId, catI);
      app[who] = a.id;
    }
    // Another municipality's administrator does not see it; nor may they apply on its behalf.
    assert.equal((await call('bel', 'GET', `/contest-applications/${app.kem}`)).statusCode, 404);
    assert.equal((await call('bel', 'PATCH', `/contest-applications/${app.kem}`, { applicantName: 'x' })).statusCode, 404);
    const list = await ok('bel', 'GET', `/contests/${contestId}/applications`);
    assert.deepEqual(
      list.items.map((a: { id: number }) => a.id),
      [app.bel],
    );
    // A submission missing required sections is refused with the fields named.
    const draft = await ok(
      'kal',
      'POST',
      `/contests/${contestId}/applications`,
      { municipalityId: municipalities.kalininskoe },
      201,
    );
    assert.equal(draft.categoryId, catII);
    const incomplete = await call('kal', 'POST', `/contest-applications/${draft.id}/submit`);
    assert.equal(incomplete.statusCode, 400);
    assert.match(incomplete.body, /sections\.practice/);

    for (const who of ['kem', 'bel', 'mar'] as const) {
      assert.equal((await ok(who, 'POST', `/contest-applications/${app[who]}/submit`)).status, 'submitted');
    }
    // Wrong role → 403, wrong state → 409.
    assert.equal((await call('kem', 'POST', `/contest-applications/${app.kem}/check`, { conforms: true })).statusCode, 403);
    assert.equal((await call('region', 'POST', `/contest-applications/${app.kem}/admit`)).statusCode, 409);
    assert.equal((await call('kem', 'PATCH', `/contest-applications/${app.kem}`, { applicantName: 'x' })).statusCode, 409);
    // Returning needs remarks; then the municipality corrects and resubmits.
    assert.equal((await call('region', 'POST', `/contest-applications/${app.bel}/check`, { conforms: false })).statusCode, 400);
    const returned = await ok('region', 'POST', `/contest-applications/${app.bel}/check`, {
      conforms: false,
      remarks: 'Не приложена презентация',
    });
    assert.equal(returned.status, 'returned');
    await ok('bel', 'PATCH', `/contest-applications/${app.bel}`, {
      sections: { results: 'Создано 14 ТОС, 4655 жителей в границах ТОС.' },
    });
    assert.equal((await ok('bel', 'POST', `/contest-applications/${app.bel}/submit`)).status, 'submitted');
    assert.equal(await audits('contest.application.resubmit'), 1);

    // The meeting cannot open while applications wait for the check.
    assert.equal((await call('region', 'POST', `/contests/${contestId}/meeting/open`)).statusCode, 409);
    for (const who of ['kem', 'bel', 'mar'] as const) {
      await ok('region', 'POST', `/contest-applications/${app[who]}/check`, { conforms: true });
      assert.equal((await ok('region', 'POST', `/contest-applications/${app[who]}/admit`)).status, 'admitted');
    }
    assert.equal(await audits('contest.application.admit'), 3);
  });

  test('after the deadline: no new application, no submission; nothing changes', async () => {
    t.clock.set('2020-07-10T03:00:00Z');
    const late = await call('kal', 'GET', `/contests/${contestId}/applications`);
    const kalDraft = (late.json().items as Array<{ id: number }>)[0]!.id;
    await ok('kal', 'PATCH', `/contest-applications/${kalDraft}`, { sections: SECTIONS('практика') });
    const res = await call('kal', 'POST', `/contest-applications/${kalDraft}/submit`);
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /Приём заявок завершён/);
    assert.equal((await ok('kal', 'GET', `/contest-applications/${kalDraft}`)).status, 'draft');
  });

  test('the meeting: quorum, ballots once each by members only, the tally', async () => {
    t.clock.set('2020-07-17T03:00:00Z');
    const byName = (n: string) => members.find((m) => m.lastName === n)!.id;
    // Two of four present is no quorum (more than half is needed).
    await ok('region', 'PUT', `/contests/${contestId}/meeting/attendance`, { present: [byName('Венгер'), byName('Громов')] });
    const noQuorum = await call('region', 'POST', `/contests/${contestId}/meeting/open`);
    assert.equal(noQuorum.statusCode, 409);
    assert.match(noQuorum.body, /кворума/);
    await ok('region', 'PUT', `/contests/${contestId}/meeting/attendance`, { present: members.map((m) => m.id) });
    assert.equal(
      (
        await call('commission', 'POST', `/contests/${contestId}/ballots`, {
          categoryId: catI,
          ranking: [app.kem, app.bel, app.mar],
        })
      ).statusCode,
      409,
    ); // not open yet
    await ok('region', 'POST', `/contests/${contestId}/meeting/open`);

    // A municipal administrator does not vote; a vote for a non-admitted application is refused.
    assert.equal(
      (await call('kem', 'POST', `/contests/${contestId}/ballots`, { categoryId: catI, ranking: [app.kem, app.bel, app.mar] }))
        .statusCode,
      403,
    );
    const kalId = (
      await t.database.db.selectFrom('contest_application').select('id').where('status', '=', 'draft').executeTakeFirstOrThrow()
    ).id;
    const notAdmitted = await call('commission', 'POST', `/contests/${contestId}/ballots`, {
      categoryId: catI,
      ranking: [app.kem, app.bel, kalId],
    });
    assert.equal(notAdmitted.statusCode, 400);
    assert.match(notAdmitted.body, /not admitted/);
    assert.equal(
      (await call('commission', 'POST', `/contests/${contestId}/ballots`, { categoryId: catII, ranking: [] })).statusCode,
      409,
    );

    await ok(
      'commission',
      'POST',
      `/contests/${contestId}/ballots`,
      { categoryId: catI, ranking: [app.kem, app.bel, app.mar] },
      201,
    );
    const again = await call('commission', 'POST', `/contests/${contestId}/ballots`, {
      categoryId: catI,
      ranking: [app.mar, app.bel, app.kem],
    });
    assert.equal(again.statusCode, 409);
    // The administrator records paper ballots only for members without an account.
    assert.equal(
      (
        await call('region', 'POST', `/contests/${contestId}/ballots`, {
          categoryId: catI,
          memberId: byName('Громов'),
          ranking: [app.kem, app.bel, app.mar],
        })
      ).statusCode,
      403,
    );
    for (const [name, ranking] of [
      ['Венгер', [app.kem, app.mar, app.bel]],
      ['Турбаба', [app.bel, app.kem, app.mar]],
      ['Левкович', [app.kem, app.bel, app.mar]],
    ] as const) {
      await ok('region', 'POST', `/contests/${contestId}/ballots`, { categoryId: catI, memberId: byName(name), ranking }, 201);
    }
    const view = await ok('region', 'GET', `/contests/${contestId}`);
    const tI = view.tally.find((x: { categoryId: number }) => x.categoryId === catI);
    assert.deepEqual(
      tI.rows.map((r: { applicationId: number; score: number; place: number }) => [r.applicationId, r.score, r.place]),
      [
        [app.kem, 5, 1],
        [app.bel, 8, 2],
        [app.mar, 11, 3],
      ],
    );
    const tII = view.tally.find((x: { categoryId: number }) => x.categoryId === catII);
    assert.equal(tII.empty, true);
    assert.match(tII.note, /заявок не поступило/);
    // The votes table refuses changes.
    await assert.rejects(
      t.database.db.updateTable('contest_vote').set({ rank: 1 }).where('contest_id', '=', contestId).execute(),
    );
  });

  test('decisions, approval, publication; the protocol states each decision', async () => {
    const pub = await call('region', 'GET', `/public/contests/${contestId}`);
    assert.equal(pub.statusCode, 404);
    await ok('region', 'POST', `/contests/${contestId}/meeting/close`);
    await ok('region', 'PUT', `/contests/${contestId}/assignments`, {
      items: [
        {
          responsible:
            'Департаменту внутренней политики Губернатора Кемеровской области – Кузбасса (Левкович О.А.) совместно с Кемеровским городским округом (Середюк И.В.) и Беловским городским округом (Курносов А.В.)',
          text: 'подготовить конкурсные заявки и представить их в федеральную конкурсную комиссию',
          dueOn: '2020-08-20',
        },
      ],
    });
    assert.equal(
      (await call('commission', 'POST', `/contests/${contestId}/protocol/approve`, { number: '1', approvedOn: '2020-07-17' }))
        .statusCode,
      403,
    );
    await ok('region', 'POST', `/contests/${contestId}/protocol/approve`, { number: '1', approvedOn: '2020-07-17' });
    // Nothing changes after approval.
    assert.equal((await call('region', 'PUT', `/contests/${contestId}/assignments`, { items: [] })).statusCode, 409);
    assert.equal(
      (
        await call('commission', 'POST', `/contests/${contestId}/ballots`, {
          categoryId: catI,
          ranking: [app.kem, app.bel, app.mar],
        })
      ).statusCode,
      409,
    );

    const docx = await call('region', 'GET', `/contests/${contestId}/protocol.docx`);
    assert.equal(docx.statusCode, 200, docx.body);
    const text = docxText(unzip(docx.rawPayload).get('word/document.xml')!.toString('utf8')).replace(/\u00a0/g, ' ');
    for (const phrase of [
      'УТВЕРЖДАЮ',
      'К.Г. Венгер',
      '«17» июля 2020 года',
      'Протокол №1',
      'Повестка заседания',
      'Председатель',
      'Доложили',
      'поступило 3 заявки',
      'Заявок не поступило.',
      'Характеристика конкурсных заявок',
      'Решили',
      'Кемеровский городской округ – 1 место',
      'Беловский городской округ – 2 место',
      'Мариинское городское поселение Мариинского муниципального района – 3 место',
      'места не распределялись ввиду отсутствия заявок',
      'Кемеровский городской округ и Беловский городской округ',
      'в срок до 20 августа 2020 года',
    ]) {
      assert.ok(text.includes(phrase), `the protocol says «${phrase}»`);
    }
    const pdf = await call('region', 'GET', `/contests/${contestId}/protocol.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const read = readPdf(pdf.rawPayload);
    assert.ok(read.pages >= 2, `pages: ${read.pages}`);
    assert.match(read.text(0).replace(/\s+/g, ' '), /УТВЕРЖДАЮ/);
    assert.equal((await call('kem', 'GET', `/contests/${contestId}/protocol.docx`)).statusCode, 403);

    await ok('region', 'POST', `/contests/${contestId}/publish`);
    const results = (await t.app.inject({ url: `/api/v1/public/contests/${contestId}` })).json();
    const I = results.categories.find((k: { code: string }) => k.code === 'I');
    assert.deepEqual(
      I.winners.map((w: { place: number; applicantName: string; recommended: boolean }) => [
        w.place,
        w.applicantName,
        w.recommended,
      ]),
      [
        [1, 'Кемеровский городской округ', true],
        [2, 'Беловский городской округ', true],
        [3, 'Мариинское городское поселение Мариинского муниципального района', false],
      ],
    );
    assert.match(results.categories.find((k: { code: string }) => k.code === 'II').note, /места не распределялись/);
    const all = (await t.app.inject({ url: '/api/v1/public/contests' })).json();
    assert.equal(all.items.length, 1);
    for (const a of [
      'contest.create',
      'contest.meeting_open',
      'contest.vote',
      'contest.meeting_close',
      'contest.protocol_approve',
      'contest.publish',
    ]) {
      assert.ok((await audits(a)) >= 1, a);
    }
  });
});
