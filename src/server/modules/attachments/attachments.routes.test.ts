import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { ATTACHMENT_MAX_BYTES } from '../../../shared/limits.ts';
import { DOCX, ELF, EXE, JPEG, PDF, PNG, SHELL, TEXT } from './test-samples.ts';

type Uploaded = { id: number; fileName: string; contentType: string; size: number; sha256: string };
type Card = {
  id: number;
  attachments: Array<{ id: number; fileName: string; contentType: string; size: number; url: string }>;
};

describe('attachments: upload checked by content, attached at intake, downloaded with the case’s permissions', () => {
  let t: TestContext;
  let kem: number;
  let resident: Session;
  let resident2: Session;
  let kemOperator: Session;
  let belOperator: Session;

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    [resident, resident2, kemOperator, belOperator] = await Promise.all([
      login(t.app, 'resident@otklik.demo'),
      login(t.app, 'resident2@otklik.demo'),
      login(t.app, 'kem.operator@otklik.demo'),
      login(t.app, 'bel.operator@otklik.demo'),
    ]);
  });
  after(() => t.close());

  const upload = (
    session: Session | undefined,
    bytes: Buffer,
    type: string | undefined,
    name?: string,
    options: { csrf?: boolean } = {},
  ) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: {
        ...(session && as(session, options)),
        ...(type !== undefined && { 'content-type': type }),
        ...(name !== undefined && { 'x-file-name': encodeURIComponent(name) }),
      },
      payload: bytes,
    });
  const uploaded = async (session: Session, bytes: Buffer, type: string | undefined, name: string) => {
    const res = await upload(session, bytes, type, name);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Uploaded;
  };
  const submit = (session: Session, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: as(session), payload });
  const web = (attachmentIds: number[], extra: Record<string, unknown> = {}) => ({
    municipalityId: kem,
    channel: 'web',
    text: 'Во дворе дома 5 по ул. Весенней яма, фото прилагаю',
    attachmentIds,
    ...extra,
  });
  const download = (session: Session | undefined, id: number) =>
    t.app.inject({ url: `/api/v1/attachments/${id}`, ...(session && { headers: as(session, { csrf: false }) }) });
  const audits = (action: string, entityType: string, entityId: number) =>
    t.database.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'municipality_id', 'after'])
      .where('action', '=', action)
      .where('entity_type', '=', entityType)
      .where('entity_id', '=', String(entityId))
      .execute();

  test('real small files are accepted: type from the content, name kept (Cyrillic too), sha256, audit row', async () => {
    const png = await uploaded(resident, PNG, 'image/png', 'Яма у подъезда.png');
    assert.deepEqual(png, {
      id: png.id,
      fileName: 'Яма у подъезда.png',
      contentType: 'image/png',
      size: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex'),
    });
    const [audit] = await audits('attachment.upload', 'attachment', png.id);
    assert.equal(audit?.actor_user_id, resident.userId);
    assert.deepEqual(audit?.after, {
      fileName: 'Яма у подъезда.png',
      contentType: 'image/png',
      size: PNG.length,
      sha256: png.sha256,
    });

    assert.equal((await uploaded(resident, JPEG, 'image/jpeg', 'IMG_0001.JPG')).contentType, 'image/jpeg');
    assert.equal((await uploaded(resident, PDF, 'application/pdf', 'справка.pdf')).contentType, 'application/pdf');
    const docx = await uploaded(resident, DOCX, 'application/octet-stream', 'заявление.docx');
    assert.equal(docx.contentType, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const text = await uploaded(resident, TEXT, undefined, 'C:\\Users\\Иван\\заметка');
    assert.deepEqual([text.contentType, text.fileName], ['text/plain', 'заметка.txt'], 'no path, the extension added');
  });

  test('programs and disguised files are refused with a message that says why', async () => {
    const exe = await upload(resident, EXE, 'image/jpeg', 'photo.jpg');
    assert.equal(exe.statusCode, 415, exe.body);
    assert.equal(exe.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.match(exe.json().error.message, /Windows program.*not accepted/);
    assert.deepEqual(exe.json().error.details, [{ field: 'file', reason: 'executable' }]);

    const elf = await upload(resident, ELF, 'application/octet-stream', 'report.pdf');
    assert.equal(elf.statusCode, 415);
    assert.match(elf.json().error.message, /Linux program/);
    const sh = await upload(resident, SHELL, 'text/plain', 'notes.txt');
    assert.equal(sh.statusCode, 415);
    assert.match(sh.json().error.message, /script/);

    const png = await upload(resident, PNG, 'image/jpeg', 'photo.jpg');
    assert.equal(png.statusCode, 415);
    assert.match(png.json().error.message, /declared as image\/jpeg but its content is a PNG image/);
    const ext = await upload(resident, PDF, 'application/pdf', 'invoice.pdf.exe');
    assert.equal(ext.statusCode, 415);
    assert.match(ext.json().error.message, /ends in \.exe/);
    const zip = await upload(resident, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'application/zip', 'a.zip');
    assert.equal(zip.statusCode, 415);
    assert.match(zip.json().error.message, /accepted are JPEG, PNG/);

    const pending = await t.database.db
      .selectFrom('attachment')
      .select('file_name')
      .where('file_name', 'in', ['photo.jpg', 'report.pdf', 'notes.txt', 'invoice.pdf.exe', 'a.zip'])
      .execute();
    assert.deepEqual(pending, [], 'nothing refused was stored');
  });

  test('size: empty is 400, the limit itself is accepted, one byte more is 413 naming the limit', async () => {
    const empty = await upload(resident, Buffer.alloc(0), 'image/png', 'a.png');
    assert.equal(empty.statusCode, 400, empty.body);
    assert.equal(empty.json().error.code, 'EMPTY_BODY');
    const emptyUntyped = await upload(resident, Buffer.alloc(0), undefined, 'a.png');
    assert.equal(emptyUntyped.statusCode, 400, emptyUntyped.body);

    const big = Buffer.alloc(ATTACHMENT_MAX_BYTES + 1);
    JPEG.copy(big);
    const tooBig = await upload(resident, big, 'image/jpeg', 'big.jpg');
    assert.equal(tooBig.statusCode, 413, tooBig.body);
    assert.equal(tooBig.json().error.code, 'PAYLOAD_TOO_LARGE');
    assert.match(tooBig.json().error.message, /10 MB \(10485760 bytes\)/);

    const atLimit = await upload(resident2, big.subarray(0, ATTACHMENT_MAX_BYTES), 'image/jpeg', 'limit.jpg');
    assert.equal(atLimit.statusCode, 201, atLimit.body);
    assert.equal(atLimit.json().size, ATTACHMENT_MAX_BYTES);
  });

  test('a session is needed, and a cookie-authenticated upload needs the CSRF token like any write', async () => {
    const anonymous = await upload(undefined, PNG, 'image/png', 'a.png');
    assert.equal(anonymous.statusCode, 401, anonymous.body);
    assert.equal(anonymous.json().error.code, 'UNAUTHENTICATED');
    const noCsrf = await upload(resident, PNG, 'image/png', 'a.png', { csrf: false });
    assert.equal(noCsrf.statusCode, 403, noCsrf.body);
    assert.equal(noCsrf.json().error.code, 'CSRF_TOKEN_INVALID');
    const badName = await upload(resident, PNG, 'image/png', undefined);
    assert.equal(badName.statusCode, 201, 'the name is optional');
    assert.equal(badName.json().fileName, 'file.png');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as(resident), 'content-type': 'image/png', 'x-file-name': '%E0%A4%A.png' },
      payload: PNG,
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.details[0].field, 'X-File-Name');
  });

  test('a multipart form is refused with a message saying how to send the file', async () => {
    const res = await upload(
      resident,
      Buffer.from('--x\r\nContent-Disposition: form-data; name="f"\r\n\r\nabc\r\n--x--\r\n'),
      'multipart/form-data; boundary=x',
      'a.txt',
    );
    assert.equal(res.statusCode, 415, res.body);
    assert.match(res.json().error.message, /not a multipart form/);
  });

  test('at most 30 pending uploads per user (429), then submit first', async () => {
    const executor = await login(t.app, 'kem.executor@otklik.demo');
    for (let i = 0; i < 30; i++) await uploaded(executor, PNG, 'image/png', `скан ${i}.png`);
    const res = await upload(executor, PNG, 'image/png', 'ещё.png');
    assert.equal(res.statusCode, 429, res.body);
    assert.match(res.json().error.message, /30 uploaded files not yet attached/);
  });

  test('both routes are in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json();
    assert.ok(doc.paths['/api/v1/attachments']?.post, 'upload documented');
    assert.ok(doc.paths['/api/v1/attachments/{id}']?.get, 'download documented');
    const submitBody = doc.paths['/api/v1/cases'].post.requestBody.content['application/json'].schema;
    assert.equal(submitBody.properties.attachmentIds.maxItems, 10);
  });

  let caseId: number;
  let photo: Uploaded;
  let scan: Uploaded;

  test('intake with attachmentIds attaches them; the card lists them; JSON routes still parse JSON', async () => {
    photo = await uploaded(resident, JPEG, 'image/jpeg', 'Яма во дворе.jpg');
    scan = await uploaded(resident, PDF, 'application/pdf', 'акт.pdf');
    const res = await submit(resident, web([photo.id, scan.id]));
    assert.equal(res.statusCode, 201, res.body);
    const card = res.json() as Card;
    caseId = card.id;
    assert.deepEqual(card.attachments, [
      {
        id: photo.id,
        fileName: 'Яма во дворе.jpg',
        contentType: 'image/jpeg',
        size: JPEG.length,
        url: `/api/v1/attachments/${photo.id}`,
      },
      {
        id: scan.id,
        fileName: 'акт.pdf',
        contentType: 'application/pdf',
        size: PDF.length,
        url: `/api/v1/attachments/${scan.id}`,
      },
    ]);
    const again = (await t.app.inject({ url: `/api/v1/cases/${caseId}`, headers: as(kemOperator, { csrf: false }) })).json();
    assert.deepEqual(
      again.attachments.map((a: { id: number }) => a.id),
      [photo.id, scan.id],
    );
    const [link] = await audits('attachment.link', 'case', caseId);
    assert.deepEqual(link?.after, { attachmentIds: [photo.id, scan.id] });
    const none = await submit(resident, web([]));
    assert.equal(none.statusCode, 201);
    assert.deepEqual(none.json().attachments, []);
  });

  test('attachmentIds: someone else’s, already used, unknown, repeated or more than 10 → 400 on the field; nothing is kept', async () => {
    const others = await uploaded(resident2, PNG, 'image/png', 'чужое.png');
    const mine = await uploaded(resident, PNG, 'image/png', 'моё.png');
    const countCases = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('case')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await countCases();
    const cases: Array<[string, number[], RegExp]> = [
      ['someone else’s upload', [mine.id, others.id], /is not one of your uploads/],
      ['already on a case', [photo.id], /already attached to a case/],
      ['no such upload', [999999], /is not one of your uploads/],
      ['listed twice', [mine.id, mine.id], /listed twice/],
      ['more than 10', Array.from({ length: 11 }, (_, i) => i + 1), /at most 10/],
    ];
    for (const [name, ids, message] of cases) {
      const res = await submit(resident, web(ids));
      assert.equal(res.statusCode, 400, `${name}: ${res.body}`);
      assert.equal(res.json().error.details[0].field, 'attachmentIds', name);
      assert.match(res.json().error.message, message, name);
    }
    assert.equal(await countCases(), before, 'a refused intake leaves no case behind');
    const still = await t.database.db
      .selectFrom('attachment')
      .select('case_id')
      .where('id', '=', mine.id)
      .executeTakeFirstOrThrow();
    assert.equal(still.case_id, null, 'and my upload is still pending');

    // The operator attaches only their own uploads, not the resident's.
    const operatorScan = await uploaded(kemOperator, PDF, 'application/pdf', 'письмо.pdf');
    const letter = {
      municipalityId: kem,
      channel: 'letter',
      text: 'Письмо о ремонте крыши',
      lastName: 'Сидоров',
      postalAddress: 'г. Кемерово, ул. Весенняя, 5',
    };
    const stolen = await submit(kemOperator, { ...letter, attachmentIds: [mine.id] });
    assert.equal(stolen.statusCode, 400, stolen.body);
    const ok = await submit(kemOperator, { ...letter, attachmentIds: [operatorScan.id] });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.deepEqual(
      ok.json().attachments.map((a: { fileName: string }) => a.fileName),
      ['письмо.pdf'],
    );
  });

  test('a case holds at most 25 MB of files', async () => {
    const nine = Buffer.alloc(9 * 1024 * 1024);
    PDF.copy(nine);
    const ids: number[] = [];
    for (const n of [1, 2, 3]) ids.push((await uploaded(resident2, nine, 'application/pdf', `том ${n}.pdf`)).id);
    const res = await submit(resident2, web(ids));
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().error.message, /attachmentIds: the files of a case may take at most 25 MB/);
    const two = await submit(resident2, web(ids.slice(0, 2)));
    assert.equal(two.statusCode, 201, two.body);
  });

  test('download: the applicant yes; another municipality’s staff and other residents 404; the municipality’s operator yes, audited', async () => {
    const own = await download(resident, photo.id);
    assert.equal(own.statusCode, 200, own.body);
    assert.deepEqual(own.rawPayload, JPEG);
    assert.equal(own.headers['content-type'], 'image/jpeg');
    assert.equal(
      own.headers['content-disposition'],
      `attachment; filename="___ __ _____.jpg"; filename*=UTF-8''${encodeURIComponent('Яма во дворе.jpg')}`,
    );
    assert.equal(own.headers['x-content-type-options'], 'nosniff');
    assert.match(String(own.headers['cache-control']), /^private/);
    assert.match(String(own.headers['content-security-policy']), /sandbox/);
    assert.equal(
      (await audits('personal_data.read', 'attachment', photo.id)).length,
      0,
      'the applicant’s own read is not audited',
    );

    for (const [who, session] of [
      ['Белово operator', belOperator],
      ['another resident', resident2],
    ] as const) {
      const res = await download(session, photo.id);
      assert.equal(res.statusCode, 404, `${who}: ${res.body}`);
      assert.equal(res.json().error.code, 'NOT_FOUND');
    }
    assert.equal((await download(undefined, photo.id)).statusCode, 401);
    assert.equal((await download(resident, 999999)).statusCode, 404);

    const staff = await download(kemOperator, scan.id);
    assert.equal(staff.statusCode, 200, staff.body);
    assert.equal(staff.headers['content-type'], 'application/pdf');
    assert.deepEqual(staff.rawPayload, PDF);
    const [audit] = await audits('personal_data.read', 'attachment', scan.id);
    assert.equal(audit?.actor_user_id, kemOperator.userId);
    assert.equal(audit?.municipality_id, kem);
    assert.deepEqual(audit?.after, { caseId, applicantUserId: resident.userId, fields: ['attachment'] });
  });

  test('the uploader removes a pending upload; a file on a case stays (409); another’s is 404', async () => {
    const oops = await uploaded(resident, PNG, 'image/png', 'не то фото.png');
    const remove = (session: Session, id: number) =>
      t.app.inject({ method: 'DELETE', url: `/api/v1/attachments/${id}`, headers: as(session) });
    assert.equal((await remove(resident2, oops.id)).statusCode, 404);
    const res = await remove(resident, oops.id);
    assert.equal(res.statusCode, 204, res.body);
    assert.equal((await download(resident, oops.id)).statusCode, 404);
    const [audit] = await audits('attachment.delete', 'attachment', oops.id);
    assert.equal(audit?.actor_user_id, resident.userId);
    const onCase = await remove(resident, photo.id);
    assert.equal(onCase.statusCode, 409, onCase.body);
    assert.equal((await download(resident, photo.id)).statusCode, 200);
  });

  test('a pending upload: only its uploader downloads it; a text file comes back as UTF-8 text', async () => {
    const note = await uploaded(resident, TEXT, 'text/plain; charset=utf-8', 'заметка.txt');
    const own = await download(resident, note.id);
    assert.equal(own.statusCode, 200);
    assert.equal(own.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(own.body, TEXT.toString('utf8'));
    assert.equal((await download(kemOperator, note.id)).statusCode, 404, 'not on a case: staff do not see it');
  });

  test('after 24 hours a pending upload expires and the nightly job deletes it; attached files stay', async () => {
    const late = await uploaded(resident, PNG, 'image/png', 'поздно.png');
    t.clock.advance(24 * 3600_000 + 1000);
    const session = await login(t.app, 'resident@otklik.demo');
    const res = await submit(session, web([late.id]));
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().error.message, /expired; upload it again/);

    await t.app.jobs.drain(); // the schedule is set on the first round: its first run is the coming night
    t.clock.advance(24 * 3600_000);
    await t.app.jobs.drain();
    const left = await t.database.db.selectFrom('attachment').select(['id', 'case_id']).execute();
    assert.ok(left.length > 0 && left.every((a) => a.case_id !== null), JSON.stringify(left));
    assert.ok(left.some((a) => a.id === photo.id));
    const purge = await t.database.db.selectFrom('audit_log').select('after').where('action', '=', 'attachment.purge').execute();
    assert.equal(purge.length, 1);
  });
});
