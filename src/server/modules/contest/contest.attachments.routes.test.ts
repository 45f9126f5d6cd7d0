import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { ATTACHMENT_MAX_BYTES } from '../../../shared/limits.ts';
import { readPdf } from '../../core/documents/test-pdf.ts';
import { docxText, unzip } from '../../core/documents/test-zip.ts';
import { JPEG, PDF, PNG } from '../attachments/test-samples.ts';

// Issue 8 over HTTP: a contest application's files (0021: the application owns them, so the nightly purge of pending
// uploads leaves them alone; who may download them) and the federal-stage package of a recommended application
// (GET /contest-applications/{id}/federal-package.{docx,pdf}: 409 before the protocol's approval, then a document).

const USERS = {
  region: 'region.admin@otklik.demo',
  commission: 'commission@otklik.demo',
  kem: 'kem.admin@otklik.demo',
  bel: 'bel.admin@otklik.demo',
  kemHead: 'kem.head@otklik.demo',
  resident: 'resident@otklik.demo',
} as const;
type Who = keyof typeof USERS;
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const SECTIONS = {
  practice: 'Практика «Открытый диалог»',
  prerequisites: 'Потребность в обратной связи с жителями.',
  description: 'Приёмные в каждом микрорайоне и ответы в течение суток.',
  interactionForms: 'Сходы жителей, опросы, платформа обратной связи.',
  results: 'В 2025 году поступило 1000 обращений.',
};

interface FileOut {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
  url: string;
}
interface AppOut {
  id: number;
  status: string;
  attachmentIds: number[];
  attachments: FileOut[];
}

describe('contest applications: their files (linked, kept, read by the contest’s people only) and the federal package', () => {
  let t: TestContext;
  const sessions = new Map<Who, Session & { at: number }>();
  let regionId: number;
  let kem: number;
  let bel: number;
  let commissionUser: number;
  let contestId: number;
  let catI: number;
  let members: Array<{ id: number; userId: number | null }>;
  const app = { kem: 0, bel: 0 };
  let brochure: FileOut;
  let belFile: number;

  before(async () => {
    t = await createTestContext();
    t.clock.set('2026-03-02T06:00:00Z');
    regionId = (await t.database.db.selectFrom('region').select('id').executeTakeFirstOrThrow()).id;
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    commissionUser = (
      await t.database.db.selectFrom('app_user').select('id').where('email', '=', USERS.commission).executeTakeFirstOrThrow()
    ).id;
  });
  after(() => t.close());

  /** A session valid at the clock's current time (the purge test moves the clock by days). */
  async function session(who: Who) {
    const now = t.clock.now().getTime();
    let s = sessions.get(who);
    if (!s || now < s.at || now - s.at > 3600_000) {
      s = Object.assign(await login(t.app, USERS[who]), { at: now });
      sessions.set(who, s);
    }
    return s;
  }
  const call = async (who: Who | null, method: Method, url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      ...(who && { headers: as(await session(who), { csrf: method !== 'GET' }) }),
      ...(payload && { payload }),
    });
  async function ok(who: Who | null, method: Method, url: string, payload?: object, code = 200) {
    const res = await call(who, method, url, payload);
    assert.equal(res.statusCode, code, `${method} ${url}: ${res.body.slice(0, 500)}`);
    return res.json();
  }
  const upload = async (who: Who, bytes: Buffer, type: string, name: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as(await session(who)), 'content-type': type, 'x-file-name': encodeURIComponent(name) },
      payload: bytes,
    });
  async function uploaded(who: Who, bytes: Buffer, type: string, name: string): Promise<number> {
    const res = await upload(who, bytes, type, name);
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id;
  }
  const owner = async (id: number) =>
    t.database.db
      .selectFrom('attachment')
      .select(['case_id', 'contest_application_id', 'linked_at'])
      .where('id', '=', id)
      .executeTakeFirst();
  const read = (who: Who): Promise<AppOut> => ok(who, 'GET', `/contest-applications/${app.kem}`);

  test('setup: a contest open for applications, its commission', async () => {
    const created = await ok(
      'region',
      'POST',
      `/regions/${regionId}/contests`,
      {
        year: 2026,
        stage: 'regional',
        title: 'Лучшая муниципальная практика',
        nomination: 'Муниципальная экономическая политика и управление муниципальными финансами',
        applicationsFrom: '2026-03-01T00:00:00Z',
        applicationsTo: '2026-04-01T00:00:00Z',
        method: 'ranking',
        recommendTop: 1,
      },
      201,
    );
    contestId = created.contest.id;
    catI = created.categories.find((k: { code: string }) => k.code === 'I').id;
    const view = await ok('region', 'PUT', `/contests/${contestId}/commission`, {
      members: [
        { role: 'chair', lastName: 'Громов', firstName: 'Алексей', position: 'председатель', userId: commissionUser },
        { role: 'secretary', lastName: 'Левкович', firstName: 'Олеся', position: 'секретарь' },
      ],
    });
    members = view.commission;
  });

  test('an application saved with attachmentIds owns the files: listed with their links, linked in the database, audited', async () => {
    const pdf = await uploaded('kem', PDF, 'application/pdf', 'Буклет-презентация.pdf');
    const created: AppOut = await ok(
      'kem',
      'POST',
      `/contests/${contestId}/applications`,
      { municipalityId: kem, sections: SECTIONS, attachmentIds: [pdf] },
      201,
    );
    app.kem = created.id;
    assert.deepEqual(created.attachments, [
      {
        id: pdf,
        fileName: 'Буклет-презентация.pdf',
        contentType: 'application/pdf',
        size: PDF.length,
        url: `/api/v1/attachments/${pdf}`,
      },
    ]);
    assert.deepEqual(created.attachmentIds, [pdf]);
    brochure = created.attachments[0]!;
    const row = await owner(pdf);
    assert.equal(row?.contest_application_id, app.kem);
    assert.equal(row?.case_id, null);
    assert.ok(row?.linked_at);

    // A later save adds a photo and keeps the brochure; the list is the new attachmentIds.
    const photo = await uploaded('kem', JPEG, 'image/jpeg', 'Сход жителей.jpg');
    const patched: AppOut = await ok('kem', 'PATCH', `/contest-applications/${app.kem}`, { attachmentIds: [pdf, photo] });
    assert.deepEqual(
      patched.attachments.map((f) => f.fileName),
      ['Буклет-презентация.pdf', 'Сход жителей.jpg'],
    );
    // Dropped from the list: the file goes (it was the application's, nobody else's).
    const dropped: AppOut = await ok('kem', 'PATCH', `/contest-applications/${app.kem}`, { attachmentIds: [pdf] });
    assert.deepEqual(dropped.attachmentIds, [pdf]);
    assert.equal(await owner(photo), undefined);
    // A save without attachmentIds leaves the files alone.
    const other: AppOut = await ok('kem', 'PATCH', `/contest-applications/${app.kem}`, {
      applicantName: 'Кемеровский городской округ',
    });
    assert.deepEqual(other.attachmentIds, [pdf]);
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'attachment.link')
      .where('entity_type', '=', 'contest_application')
      .where('entity_id', '=', String(app.kem))
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audits.map((a) => a.after),
      [
        { attachmentIds: [pdf], linked: [pdf], removed: [] },
        { attachmentIds: [pdf, photo], linked: [photo], removed: [] },
        { attachmentIds: [pdf], linked: [], removed: [photo] },
      ],
    );
    // Belovo's application with its own file.
    belFile = await uploaded('bel', PNG, 'image/png', 'Белово.png');
    app.bel = (
      await ok(
        'bel',
        'POST',
        `/contests/${contestId}/applications`,
        { municipalityId: bel, sections: SECTIONS, attachmentIds: [belFile] },
        201,
      )
    ).id;
  });

  test('bad attachmentIds → 400 on the field naming why; the application and the files stay as they were', async () => {
    const before = await read('kem');
    const belPending = await uploaded('bel', PNG, 'image/png', 'чужое.png');
    const mine = await uploaded('kem', PNG, 'image/png', 'моё.png');
    // A file of the same uploader already on a case (the intake linked it).
    const onCase = await uploaded('kem', JPEG, 'image/jpeg', 'в обращении.jpg');
    const intake = await call('kem', 'POST', '/cases', {
      municipalityId: kem,
      channel: 'web',
      text: 'Во дворе дома 5 по ул. Весенней яма, фото прилагаю',
      attachmentIds: [onCase],
    });
    assert.equal(intake.statusCode, 201, intake.body);
    const cases: Array<[string, number[], RegExp]> = [
      ['someone else’s pending upload', [brochure.id, belPending], /attachment \d+ is not one of your uploads/],
      ['another application’s file', [belFile], /is not one of your uploads/],
      ['a file on a case', [onCase], /is already attached to a case/],
      ['no such upload', [999999], /is not one of your uploads/],
      ['listed twice', [mine, mine], /listed twice/],
      ['more than 10', Array.from({ length: 11 }, (_, i) => i + 1), /at most 10 files/],
    ];
    for (const [name, ids, message] of cases) {
      const res = await call('kem', 'PATCH', `/contest-applications/${app.kem}`, {
        sections: { practice: 'изменено' },
        attachmentIds: ids,
      });
      assert.equal(res.statusCode, 400, `${name}: ${res.body}`);
      assert.equal(res.json().error.details[0].field, 'attachmentIds', name);
      assert.match(res.json().error.message, message, name);
    }
    const afterwards = await read('kem');
    assert.deepEqual(afterwards, before, 'nothing changed: neither the sections nor the files');
    for (const id of [belPending, mine]) assert.equal((await owner(id))?.contest_application_id, null, 'still pending');
    assert.equal((await owner(belFile))?.contest_application_id, app.bel, 'still Belovo’s');

    // The same file cannot go to a case either once the application owns it.
    const steal = await call('kem', 'POST', '/cases', {
      municipalityId: kem,
      channel: 'web',
      text: 'Ещё одно обращение с буклетом',
      attachmentIds: [brochure.id],
    });
    assert.equal(steal.statusCode, 400, steal.body);
    assert.match(steal.json().error.message, /already attached to a contest application/);
    // Nor can it be deleted as a pending upload.
    const del = await call('kem', 'DELETE', `/attachments/${brochure.id}`);
    assert.equal(del.statusCode, 409, del.body);
    assert.match(del.json().error.message, /contest application/);

    // An oversize brochure is refused at upload with the limit named; the application is unchanged.
    const big = Buffer.alloc(ATTACHMENT_MAX_BYTES + 1);
    PDF.copy(big);
    const tooBig = await upload('kem', big, 'application/pdf', 'Буклет большой.pdf');
    assert.equal(tooBig.statusCode, 413, tooBig.body);
    assert.equal(tooBig.json().error.code, 'PAYLOAD_TOO_LARGE');
    assert.match(tooBig.json().error.message, /10 MB \(10485760 bytes\)/);
    assert.deepEqual(await read('kem'), before);
  });

  test('download: the municipality’s and the region’s administrators; the commission once admitted; nobody else', async () => {
    const get = async (who: Who | null, id = brochure.id) => call(who, 'GET', `/attachments/${id}`);
    const expect = async (matrix: Array<[Who | null, number]>, id = brochure.id, bytes = PDF) => {
      for (const [who, code] of matrix) {
        const res = await get(who, id);
        assert.equal(res.statusCode, code, `${who ?? 'anonymous'}: ${res.body.slice(0, 200)}`);
        if (code === 200) assert.deepEqual(res.rawPayload, bytes);
      }
    };
    await expect([
      ['kem', 200],
      ['region', 200],
      ['commission', 404], // the application is not admitted yet
      ['bel', 404],
      ['kemHead', 404], // staff of the municipality, but not its administrator
      ['resident', 404],
      [null, 401],
    ]);
    const res = await get('region');
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(String(res.headers['content-disposition']), /^attachment;/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    // Belovo's file: Belovo and the region, not Kemerovo.
    await expect(
      [
        ['bel', 200],
        ['region', 200],
        ['kem', 404],
      ],
      belFile,
      PNG,
    );

    for (const id of [app.kem, app.bel]) {
      await ok(id === app.kem ? 'kem' : 'bel', 'POST', `/contest-applications/${id}/submit`);
      await ok('region', 'POST', `/contest-applications/${id}/check`, { conforms: true });
      await ok('region', 'POST', `/contest-applications/${id}/admit`);
    }
    await expect([
      ['commission', 200],
      ['bel', 404],
      ['kemHead', 404],
    ]);
  });

  test('the federal package: 409 before approval, then DOCX and PDF of the recommended application for its readers', async () => {
    const pkg = (who: Who | null, id: number, format: 'docx' | 'pdf') =>
      call(who, 'GET', `/contest-applications/${id}/federal-package.${format}`);
    const early = await pkg('kem', app.kem, 'docx');
    assert.equal(early.statusCode, 409, early.body);
    assert.match(early.json().error.message, /once the protocol is approved/);

    await ok('region', 'PUT', `/contests/${contestId}/meeting/attendance`, { present: members.map((m) => m.id) });
    await ok('region', 'POST', `/contests/${contestId}/meeting/open`);
    await ok('commission', 'POST', `/contests/${contestId}/ballots`, { categoryId: catI, ranking: [app.kem, app.bel] }, 201);
    const paper = members.find((m) => m.userId === null)!.id;
    await ok(
      'region',
      'POST',
      `/contests/${contestId}/ballots`,
      { categoryId: catI, memberId: paper, ranking: [app.kem, app.bel] },
      201,
    );
    await ok('region', 'POST', `/contests/${contestId}/meeting/close`);
    await ok('region', 'PUT', `/contests/${contestId}/assignments`, {
      items: [
        {
          responsible: 'Департаменту внутренней политики совместно с Кемеровским городским округом',
          text: 'подготовить конкурсную заявку и представить её в федеральную конкурсную комиссию',
          dueOn: '2026-05-20',
        },
      ],
    });
    const decided = await pkg('region', app.kem, 'pdf');
    assert.equal(decided.statusCode, 409, 'the meeting is closed but the protocol is not approved yet');
    await ok('region', 'POST', `/contests/${contestId}/protocol/approve`, { number: '3', approvedOn: '2026-04-20' });

    const notRecommended = await pkg('bel', app.bel, 'docx');
    assert.equal(notRecommended.statusCode, 409, notRecommended.body);
    assert.match(notRecommended.json().error.message, /not recommended/);

    for (const [who, code] of [
      ['kem', 200],
      ['region', 200],
      ['commission', 200],
      ['bel', 404],
      ['kemHead', 404],
      ['resident', 404],
      [null, 401],
    ] as Array<[Who | null, number]>) {
      assert.equal((await pkg(who, app.kem, 'docx')).statusCode, code, `${who ?? 'anonymous'} docx`);
    }

    const docx = await pkg('kem', app.kem, 'docx');
    assert.equal(docx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.match(String(docx.headers['content-disposition']), /filename\*=UTF-8''/);
    const text = docxText(unzip(docx.rawPayload).get('word/document.xml')!.toString('utf8')).replace(/\u00a0/g, ' ');
    for (const phrase of [
      'Конкурсная заявка',
      'на участие в федеральном этапе Всероссийского конкурса «Лучшая муниципальная практика» 2026 года',
      'Кемеровский городской округ',
      'городской округ',
      'I категория – городские, муниципальные округа и городские поселения',
      'заняла 1 место',
      'протокол заседания региональной комиссии №3 от 20 апреля 2026 года',
      'Практика',
      'Предпосылки реализации практики',
      'Описание практики',
      'Приёмные в каждом микрорайоне и ответы в течение суток.',
      'Формы взаимодействия с жителями',
      'Сильные стороны практики',
      'Не заполнено.',
      'Результаты (с цифрами)',
      'Показатели не указаны.',
      '1. Буклет-презентация.pdf (PDF,',
      'в срок до 20 мая 2026 года',
    ]) {
      assert.ok(text.includes(phrase), `the package says «${phrase}»:\n${text}`);
    }

    const pdf = await pkg('commission', app.kem, 'pdf');
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const doc = readPdf(pdf.rawPayload);
    assert.ok(doc.pages >= 1, `pages: ${doc.pages}`);
    const all = Array.from({ length: doc.pages }, (_, i) => doc.text(i))
      .join('\n')
      .replace(/\s+/g, ' ');
    assert.match(all, /Конкурсная заявка/);
    assert.match(all, /Кемеровский городской округ/);
    assert.match(all, /Буклет-презентация\.pdf/);
  });

  test('after publication the files stay private; the files outlive the nightly purge of pending uploads', async () => {
    await ok('region', 'POST', `/contests/${contestId}/publish`);
    const pub = await ok(null, 'GET', `/public/contests/${contestId}`);
    assert.ok(!JSON.stringify(pub).includes('attachment'), 'the public results name no files');
    for (const [who, code] of [
      ['resident', 404],
      ['bel', 404],
      [null, 401],
      ['kem', 200],
    ] as Array<[Who | null, number]>) {
      assert.equal((await call(who, 'GET', `/attachments/${brochure.id}`)).statusCode, code, `${who ?? 'anonymous'}`);
    }

    const pending = await uploaded('kem', PNG, 'image/png', 'забытое.png');
    await t.app.jobs.drain(); // the schedule is set on the first round: its first run is the coming night
    t.clock.advance(2 * 24 * 3600_000);
    await t.app.jobs.drain();
    assert.equal(await owner(pending), undefined, 'the pending upload was purged');
    for (const id of [brochure.id, belFile]) assert.ok((await owner(id))?.contest_application_id, `file ${id} kept`);
    assert.deepEqual(
      (await read('kem')).attachments.map((f) => f.id),
      [brochure.id],
    );
    assert.equal((await call('region', 'GET', `/attachments/${brochure.id}`)).statusCode, 200);
    assert.equal((await call('kem', 'GET', `/contest-applications/${app.kem}/federal-package.pdf`)).statusCode, 200);
  });
});
