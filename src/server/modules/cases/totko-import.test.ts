import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../../../test/support/processes.ts';
import { as, createTestContext, login, TEST_SECRET, type TestContext } from '../../../../test/support/test-app.ts';
import { systemContext } from '../../core/context.ts';
import { TOTKO_THEMES } from '../../core/db/migrations/0011_answer_templates.ts';
import { AppError } from '../../core/http/errors.ts';
import { importTotko, normalizeTotkoCode, parseTotkoCsv } from './commands/import-totko.ts';

const BOM = '\uFEFF';

describe('ТОТКО: parsing the CSV', () => {
  // [case, code as written, stored code or undefined = refused]
  const codes: Array<[string, string, string | undefined]> = [
    ['section', '0003', '0003'],
    ['question', '0003.0009.0097.0689', '0003.0009.0097.0689'],
    ['official full form of a тематика', '0003.0009.0000.0000', '0003.0009'],
    ['full form of a section', '0003.0000.0000.0000', '0003'],
    ['5th block (sub-question)', '0005.0005.0056.1164.0001', '0005.0005.0056.1164.0001'],
    ['zero block before a non-zero one', '0003.0000.0097', undefined],
    ['zero section', '0000', undefined],
    ['three digits', '003.0009', undefined],
    ['six blocks', '0001.0001.0001.0001.0001.0001', undefined],
    ['letters', '000A', undefined],
    ['trailing dot', '0003.', undefined],
  ];
  for (const [name, raw, expected] of codes) {
    test(`code: ${name}`, () => assert.equal(normalizeTotkoCode(raw), expected));
  }

  test('semicolons, a header, a BOM, CRLF, the full form and an optional parent', () => {
    const { rows, errors } = parseTotkoCsv(
      `${BOM}code;name;parent\r\n0003.0009.0097.0000.0000;Градостроительство и архитектура;0003.0009\r\n\r\n0003.0009.0097.9001;Тестовый вопрос;\r\n`,
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(
      rows.map((r) => [r.line, r.code, r.parentCode, r.level, r.name]),
      [
        [2, '0003.0009.0097', '0003.0009', 3, 'Градостроительство и архитектура'],
        [4, '0003.0009.0097.9001', '0003.0009.0097', 4, 'Тестовый вопрос'],
      ],
    );
  });

  test('commas with quoted names (a comma and a doubled quote inside), given as bytes with a BOM', () => {
    const bytes = Buffer.from(
      `${BOM}0003.0009.0097.9002,"Парковки, стоянки",0003.0009.0097\n"0003.0009.0097.9003","Программа ""Комфортная среда"""\n`,
      'utf8',
    );
    const { rows, errors } = parseTotkoCsv(bytes);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      rows.map((r) => [r.code, r.name]),
      [
        ['0003.0009.0097.9002', 'Парковки, стоянки'],
        ['0003.0009.0097.9003', 'Программа "Комфортная среда"'],
      ],
    );
  });

  test('children before parents in the file come out parents first', () => {
    const { rows } = parseTotkoCsv('0009.0001.0001;Тема\n0009.0001;Тематика\n0009;Раздел\n');
    assert.deepEqual(
      rows.map((r) => r.code),
      ['0009', '0009.0001', '0009.0001.0001'],
    );
  });

  // [case, file, expected errors as "line: part of the reason"]
  const bad: Array<[string, string, string[]]> = [
    ['a bad code', '0001;Раздел\n12.34;Плохой код\n', ['2:is not a ТОТКО code']],
    ['an empty name', '0001;Раздел\n0001.0001;\n', ['2:name of 0001.0001 is empty']],
    ['a wrong parent', '0001;Раздел\n0001.0001.0001;Тема;0002.0001\n', ['2:parent of 0001.0001.0001 is 0001.0001']],
    ['a section with a parent', '0001;Раздел;0002\n', ['1:is a section']],
    ['a duplicate code', '0001;Раздел\n0001.0000;Снова раздел\n', ['2:already on line 1']],
    ['too many fields (unquoted separator)', '0001,Государство, общество\n', ['1:"общество" is not a parent code']],
    ['four fields (unquoted separator)', '0001,Государство, общество, политика\n', ['1:found 4 field(s)']],
    ['one field only', '0001\n', ['1:found 1 field(s)']],
    ['an unclosed quote', '0001;"Раздел\n', ['1:quoted field is not closed']],
    ['an empty file', '\n\n', ['1:no lines to import']],
    [
      'several bad lines, all reported',
      '0001;Раздел\nx;Плохо\n0001.0001;Хорошо\ny;Плохо\n',
      ['2:not a ТОТКО code', '4:not a ТОТКО code'],
    ],
  ];
  for (const [name, file, expected] of bad) {
    test(`bad: ${name}`, () => {
      const { errors } = parseTotkoCsv(file);
      assert.equal(errors.length, expected.length, JSON.stringify(errors));
      expected.forEach((e, i) => {
        const [line, part] = [Number(e.split(':')[0]), e.slice(e.indexOf(':') + 1)];
        assert.equal(errors[i]?.line, line);
        assert.ok(errors[i]?.reason.includes(part), `${errors[i]?.reason} should include ${part}`);
      });
    });
  }

  test('a file that is not UTF-8 (Windows-1251 bytes) is refused with a hint', () => {
    assert.throws(
      () => parseTotkoCsv(Buffer.from([0x30, 0x30, 0x30, 0x31, 0x3b, 0xc3, 0xee, 0xf1, 0x0a])),
      (e: unknown) => e instanceof AppError && /not UTF-8/.test(e.message),
    );
  });
});

describe('ТОТКО: the data and the import', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  const count = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('totko')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const node = (code: string) => t.database.db.selectFrom('totko').selectAll().where('code', '=', code).executeTakeFirst();

  test('the migration ships the §3.2 темы and вопросы, each under its parent', async () => {
    for (const code of ['0001.0001.0015.0043', '0003.0009.0097.0694', '0005.0005.0056.1161', '0002.0013.0139.0329']) {
      const row = await node(code);
      assert.ok(row, code);
      assert.equal(row.parent_code, code.split('.').slice(0, -1).join('.'));
      assert.equal(row.level, 4);
    }
    const rows = await t.database.db.selectFrom('totko').select('code').execute();
    const codes = new Set(rows.map((r) => r.code));
    for (const [code] of TOTKO_THEMES) assert.ok(codes.has(code), code);
    assert.equal((await node('0003.0009.0097'))?.name, 'Градостроительство и архитектура');
  });

  test('a good file: counts of added, updated and unchanged; names updated; one audit row', async () => {
    const before = await count();
    const file = [
      'code;name;parent',
      '0003.0009.0097.0000;Градостроительство и архитектура;0003.0009.0000.0000', // unchanged
      '0003.0009.0097.0694;Уборка территорий от снега, листьев и мусора;0003.0009.0097', // renamed
      '0003.0009.0097.0694.0001;Уборка снега во дворах', // new 5th level
      '0006;Тестовый раздел', // new section
      '0006.0031;Тестовая тематика;0006',
    ].join('\n');
    const r = await importTotko(t.database.db, systemContext(t.clock.now()), file, { system: true });
    assert.deepEqual(r, { total: 5, added: 3, updated: 1, unchanged: 1 });
    assert.equal(await count(), before + 3);
    assert.equal((await node('0003.0009.0097.0694'))?.name, 'Уборка территорий от снега, листьев и мусора');
    assert.deepEqual(await node('0006.0031'), { code: '0006.0031', parent_code: '0006', level: 2, name: 'Тестовая тематика' });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'totko.import')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual((audit.after as { updatedCodes: string[] }).updatedCodes, ['0003.0009.0097.0694']);
    // The same file again changes nothing.
    assert.deepEqual(await importTotko(t.database.db, systemContext(t.clock.now()), file, { system: true }), {
      total: 5,
      added: 0,
      updated: 0,
      unchanged: 5,
    });
  });

  test('a bad line: nothing is imported and the message names the line', async () => {
    const before = await count();
    const file = '0007;Ещё раздел\n0007.0001;Тематика\n0007.01;Сломанный код\n';
    await assert.rejects(
      importTotko(t.database.db, systemContext(t.clock.now()), file, { system: true }),
      (e: unknown) =>
        e instanceof AppError &&
        e.code === 'VALIDATION_FAILED' &&
        e.message.includes('line 3:') &&
        e.message.includes('nothing was imported') &&
        e.details?.[0]?.field === 'line 3',
    );
    assert.equal(await count(), before);
    assert.equal(await node('0007'), undefined);
  });

  test('a parent neither in the file nor in the database: nothing imported (checked in the transaction)', async () => {
    const before = await count();
    const file = '0008;Раздел восемь\n0003.0009.0555.0001;Вопрос без темы\n';
    await assert.rejects(
      importTotko(t.database.db, systemContext(t.clock.now()), file, { system: true }),
      (e: unknown) => e instanceof AppError && e.message.includes('line 2: the parent 0003.0009.0555'),
    );
    assert.equal(await count(), before);
    assert.equal(await node('0008'), undefined);
  });

  test('POST /admin/totko/import: regional admin with text/csv; a municipal admin gets 403; a bad file 400', async () => {
    const region = await login(t.app, 'region.admin@otklik.demo');
    const kemAdmin = await login(t.app, 'kem.admin@otklik.demo');
    const csv = `${BOM}0009,Раздел девять\n0009.0001,"Тематика, с запятой",0009\n`;
    const post = (s: typeof region, body: string, type = 'text/csv; charset=utf-8') =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/totko/import',
        headers: { ...as(s), 'content-type': type },
        payload: Buffer.from(body, 'utf8'),
      });
    assert.equal((await post(kemAdmin, csv)).statusCode, 403);
    assert.equal(await node('0009'), undefined);
    const ok = await post(region, csv);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { total: 2, added: 2, updated: 0, unchanged: 0 });
    assert.equal((await node('0009.0001'))?.name, 'Тематика, с запятой');
    const bad = await post(region, '0010;Раздел\nплохо;строка\n');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /line 2/);
    assert.equal(await node('0010'), undefined);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/totko/import',
      headers: { ...as(region, { csrf: false }), 'content-type': 'text/csv' },
      payload: csv,
    });
    assert.equal(noCsrf.statusCode, 403);
  });

  test('otklik import-totko FILE: counts on success; a bad file lists the line and imports nothing (exit 1)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otklik-totko-'));
    const postgres = t.database.kind === 'postgres';
    try {
      // On PostgreSQL the CLI works on the test's database. On PGlite it would migrate a fresh embedded data dir
      // (most of a minute on a busy machine), so there only the refusals run, which need no database: the import
      // itself is the same importTotko tested above.
      const env = postgres
        ? { DATABASE_URL: (t.database as { url?: string }).url, SESSION_SECRET: TEST_SECRET }
        : { OTKLIK_DATA_DIR: path.join(dir, 'data') };
      if (postgres) {
        const good = path.join(dir, 'good.csv');
        writeFileSync(good, `${BOM}код;наименование;родитель\r\n0011;Раздел CLI;\r\n0011.0001;Тематика CLI;0011\r\n`);
        const run = await runCli(['import-totko', good], env);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /2 lines, 2 added, 0 updated, 0 unchanged/);
        assert.equal((await node('0011.0001'))?.name, 'Тематика CLI');
      }
      const badFile = path.join(dir, 'bad.csv');
      writeFileSync(badFile, '0012;Раздел\n0012.0001;Тематика\n0012.0001.01;Плохо\n');
      const failed = await runCli(['import-totko', badFile], env);
      assert.equal(failed.code, 1, failed.stderr);
      assert.match(failed.stderr, /line 3: "0012\.0001\.01" is not a ТОТКО code/);
      assert.match(failed.stderr, /nothing was imported/);
      assert.equal(await node('0012'), undefined);
      const usage = await runCli(['import-totko'], env);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /give one CSV file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
