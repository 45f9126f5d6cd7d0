import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from './connectors/webhook.ts';
import { insertSource } from './monitoring.repository.ts';

// The gazetteer's import (issue 6, item 4) through app.inject: all lines or none, one's own municipalities only,
// re-import updates; and a post pushed to the webhook afterwards is placed on the imported street by the app's
// pipeline (the wiring: the pipeline hangs on the webhook's storing transaction too).

const SECRET = 'partner-hmac-key';

describe('monitoring gazetteer import', () => {
  let t: TestContext;
  let kem: number;
  let moderator: Session;
  let belAdmin: Session;
  let resident: Session;

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    [moderator, belAdmin, resident] = (await Promise.all(
      ['kem.moderator@otklik.demo', 'bel.admin@otklik.demo', 'resident@otklik.demo'].map((e) => login(t.app, e)),
    )) as [Session, Session, Session];
  });
  after(() => t.close());

  const importCsv = (who: Session, csv: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/monitoring/gazetteer/import', headers: as(who), payload: { csv } });
  const list = async (who: Session) =>
    (await t.app.inject({ url: '/api/v1/monitoring/gazetteer', headers: as(who, { csrf: false }) })).json().items as Array<{
      name: string;
      aliases: string[];
      strict: boolean;
    }>;

  test('a moderator imports streets of their municipality; again: updated, not doubled; audited', async () => {
    const csv =
      'kind;name;municipality_slug;aliases;strict\nstreet;улица Шахтёров;kemerovo;\nstreet;проспект Шахтёров;kemerovo;пр-т Шахтёров\n';
    const res = await importCsv(moderator, csv);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { entries: 2, added: 2, updated: 0 });
    const again = await importCsv(moderator, 'улица;улица Шахтёров;kemerovo;ул. Шахтёров;нет');
    assert.deepEqual(again.json(), { entries: 1, added: 0, updated: 1 });
    const items = await list(moderator);
    assert.deepEqual(
      items.map((i) => [i.name, i.aliases]),
      [
        ['проспект Шахтёров', ['пр-т Шахтёров']],
        ['улица Шахтёров', ['ул. Шахтёров']],
      ],
    );
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('action', '=', 'monitoring_gazetteer.import')
      .orderBy('id')
      .execute();
    assert.equal(audit.length, 2);
    assert.equal((audit[0]!.after as { added: number }).added, 2);
  });

  test('all lines or none: every bad line named in Russian; another municipality’s line is an error; nothing stored', async () => {
    const res = await importCsv(
      moderator,
      'street;улица Новая;kemerovo;\nstreet;улица Новая;belovo;\nплощадь;Советов;kemerovo;\n',
    );
    assert.equal(res.statusCode, 400);
    const reasons = (res.json().error.details as Array<{ field: string; reason: string }>).map((d) => d.reason);
    assert.equal(reasons.length, 2);
    assert.match(reasons[0]!, /^Строка 2: муниципалитет «belovo» не найден; известны: kemerovo$/);
    assert.match(reasons[1]!, /^Строка 3: вид места «площадь» неизвестен/);
    assert.ok(!(await list(moderator)).some((i) => i.name === 'улица Новая'));
    assert.deepEqual(await list(belAdmin), [], 'Белово sees only its own (none)');
    assert.equal((await importCsv(resident, 'street;улица Новая;kemerovo;')).statusCode, 403);
  });

  test('the pipeline places a pushed post on the imported street (its next batch sees the new entries)', async () => {
    const source = await insertSource(t.database.db, {
      municipalityId: null,
      kind: 'webhook',
      name: 'Партнёр',
      config: {},
      secret: SECRET,
      replySecret: null,
      active: true,
      pollIntervalS: 300,
      createdBy: null,
      now: t.clock.now(),
    });
    const body = JSON.stringify({
      posts: [{ externalId: 'x1', text: 'На улице Шахтёров прорвало трубу', publishedAt: t.clock.now().toISOString() }],
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/monitoring/webhook/${source.id}`,
      headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(SECRET, body) },
      payload: body,
    });
    assert.equal(res.statusCode, 200, res.body);
    const stream = (
      await t.app.inject({ url: '/api/v1/monitoring/stream?status=all', headers: as(moderator, { csrf: false }) })
    ).json();
    const [item] = stream.items;
    assert.equal(item.status, 'unmatched');
    assert.equal(item.place.name, 'улица Шахтёров');
    assert.equal(item.place.text, 'улице Шахтёров');
    assert.equal(item.municipality.id, kem, 'a regional source’s post placed in Кемерово');
  });
});
