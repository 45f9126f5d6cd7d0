import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { type DatabaseHandle, openDatabase } from '../src/server/core/db/index.ts';
import { ROOT, type Run, runCli } from './support/processes.ts';
import { login, testConfig } from './support/test-app.ts';

/**
 * The real CLI in a child process, against a temp OTKLIK_DATA_DIR (PGlite) or, when DATABASE_URL is set, a
 * fresh database on that server. Cases that only make sense in the other mode are skipped with the reason.
 */

const root = ROOT;
const SECRET = 'cli-test-secret-cli-test-secret-0123456789';
const PASSWORD = 'Cli-test-Passw0rd-2026';

const run = runCli;

/** A failure is one line on stderr, "otklik: …", nothing on stdout, and the expected exit code. */
function assertFails(r: Run, code: number, pattern: RegExp) {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
  assert.match(lines[0]!, /^otklik: /);
  assert.match(lines[0]!, pattern);
}

function assertOk(r: Run, pattern?: RegExp) {
  assert.equal(r.code, 0, `exit code; stderr: ${r.stderr}`);
  if (pattern) assert.match(r.stdout, pattern);
}

const serverUrl = process.env.DATABASE_URL;
const onServer = Boolean(serverUrl);
const PGLITE_ONLY = onServer ? 'embedded (PGlite data dir) only; runs when DATABASE_URL is unset' : false;
const SERVER_ONLY = onServer ? false : 'PostgreSQL server only; runs when DATABASE_URL is set';

/** Fresh databases on the server, dropped in after(). */
const createdDatabases: string[] = [];
async function adminQuery(sqlText: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}
async function freshDatabase(): Promise<string> {
  const name = `otklik_cli_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(`create database ${name}`);
  createdDatabases.push(name);
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

const tempDirs: string[] = [];
function tempDir(prefix = 'otklik-cli-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

describe(`otklik CLI (${onServer ? 'PostgreSQL server' : 'embedded PGlite'})`, () => {
  /** The environment that points the CLI at this file's database. */
  let env: Record<string, string | undefined>;
  let target: { dataDir?: string; databaseUrl?: string };

  before(async () => {
    if (onServer) {
      const databaseUrl = await freshDatabase();
      target = { databaseUrl };
      env = { DATABASE_URL: databaseUrl, SESSION_SECRET: SECRET };
    } else {
      const dataDir = tempDir();
      target = { dataDir };
      env = { OTKLIK_DATA_DIR: dataDir };
    }
  });

  after(async () => {
    for (const name of createdDatabases) await adminQuery(`drop database if exists ${name} with (force)`);
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the CLI's database in this process (the CLI has exited, so the data-dir lock is free). */
  async function open(where = target): Promise<DatabaseHandle> {
    return openDatabase({ databaseUrl: where.databaseUrl, dataDir: where.dataDir });
  }

  test('--help lists every command; an unknown command or option is refused with exit code 2', async () => {
    const help = await run(['--help'], env);
    assertOk(help);
    for (const c of ['serve', 'migrate', 'seed-demo', 'create-region', 'create-admin', 'create-user', 'backup', 'restore']) {
      assert.match(help.stdout, new RegExp(`^  ${c}\\b`, 'm'));
    }
    assertFails(await run(['frobnicate'], env), 2, /unknown command "frobnicate"; commands: serve, migrate/);
    assertFails(await run(['migrate', '--bogus'], env), 2, /Unknown option '--bogus'/);
    assertFails(await run(['migrate', 'extra'], env), 2, /Unexpected argument 'extra'/);
  });

  test('npx otklik (bin/otklik.mjs) runs the same CLI', async () => {
    const entry = [path.join(root, 'bin/otklik.mjs')];
    assertOk(await run(['--help'], env, { entry }), /create-admin/);
    assertFails(await run(['frobnicate'], env, { entry }), 2, /unknown command "frobnicate"/);
  });

  test('migrate applies the migrations, then finds the database up to date', async () => {
    assertOk(await run(['migrate'], env), /^applied: 0001_foundation/);
    assertOk(await run(['migrate'], env), /^the database is up to date$/m);
  });

  test('seed-demo loads the demo data once; a second run changes nothing', async () => {
    assertOk(await run(['seed-demo'], env), /^demo data loaded$/m);
    assertOk(await run(['seed-demo'], env), /^demo data already present; nothing changed$/m);
    const db = await open();
    try {
      const { n } = await db.db
        .selectFrom('municipality')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(n), 4);
    } finally {
      await db.close();
    }
  });

  test('create-admin makes a regional_admin who can log in', async () => {
    const r = await run(['create-admin', '--email', 'chief@example.ru', '--password', PASSWORD, '--last-name', 'Орлов'], env);
    assertOk(r, /^created regional_admin chief@example\.ru \(user id \d+\)$/m);
    const database = await open();
    const app = await buildApp({ config: testConfig(), database });
    try {
      const session = await login(app, 'chief@example.ru', PASSWORD);
      const me = await app.inject({ url: '/api/v1/me', headers: { cookie: session.cookie } });
      assert.equal(me.statusCode, 200);
      const user = me.json().user as { lastName?: string; roles: Array<{ role: string }> };
      assert.deepEqual(
        user.roles.map((x) => x.role),
        ['regional_admin'],
      );
    } finally {
      await app.close();
      await database.close();
    }
  });

  test('a fresh install without demo data: create-admin asks for a region; create-region, then create-admin works', async () => {
    const fresh = onServer ? { DATABASE_URL: await freshDatabase(), SESSION_SECRET: SECRET } : { OTKLIK_DATA_DIR: tempDir() };
    assertFails(
      await run(['create-admin', '--email', 'first@example.ru', '--password', PASSWORD], fresh),
      1,
      /no region exists yet; run otklik create-region/,
    );
    assertFails(
      await run(['create-region', '--name', 'Томская область', '--slug', 'tomsk', '--time-zone', 'Mars/Base'], fresh),
      1,
      /not an IANA time zone/,
    );
    assertFails(
      await run(['create-region', '--name', 'Томская область', '--slug', 'tomsk', '--iso-code', 'TOM'], fresh),
      1,
      /ISO 3166-2/,
    );
    assertOk(
      await run(
        ['create-region', '--name', 'Томская область', '--slug', 'tomsk', '--time-zone', 'Asia/Tomsk', '--iso-code', 'RU-TOM'],
        fresh,
      ),
      /region \d+ «Томская область» \(Asia\/Tomsk\) created/,
    );
    assertFails(await run(['create-region', '--name', 'Томская область', '--slug', 'tomsk'], fresh), 1, /already exists/);
    assertOk(
      await run(['create-admin', '--email', 'first@example.ru', '--password', PASSWORD], fresh),
      /created regional_admin first@example\.ru/,
    );
  });

  test('create-user makes a resident and a department operator, e-mail confirmed; --password - reads stdin', async () => {
    assertOk(await run(['create-user', '--email', 'resident.cli@example.ru', '--password', PASSWORD, '--role', 'resident'], env));
    const database = await open();
    let kem: { id: number };
    let dept: { id: number };
    try {
      kem = await database.db.selectFrom('municipality').select('id').where('slug', '=', 'kemerovo').executeTakeFirstOrThrow();
      dept = await database.db
        .selectFrom('department')
        .select('id')
        .where('municipality_id', '=', kem.id)
        .orderBy('id')
        .executeTakeFirstOrThrow();
    } finally {
      await database.close();
    }
    const op = await run(
      [
        'create-user',
        '--email',
        'op.cli@example.ru',
        '--password',
        '-',
        '--role',
        'operator',
        '--municipality',
        'kemerovo',
      ].concat(['--department', String(dept.id)]),
      env,
      { input: `${PASSWORD}\n` },
    );
    assertOk(
      op,
      new RegExp(
        `^created operator op\\.cli@example\\.ru \\(user id \\d+\\) in municipality ${kem.id}, department ${dept.id}$`,
        'm',
      ),
    );

    const check = await open();
    try {
      const rows = await check.db
        .selectFrom('app_user')
        .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
        .select([
          'app_user.email',
          'app_user.email_confirmed_at',
          'user_role.role',
          'user_role.municipality_id',
          'user_role.department_id',
        ])
        .where('app_user.email', 'in', ['resident.cli@example.ru', 'op.cli@example.ru'])
        .orderBy('app_user.email')
        .execute();
      assert.equal(rows.length, 2);
      assert.ok(rows.every((r) => r.email_confirmed_at !== null));
      assert.deepEqual(
        rows.map((r) => [r.email, r.role, r.municipality_id, r.department_id]),
        [
          ['op.cli@example.ru', 'operator', kem.id, dept.id],
          ['resident.cli@example.ru', 'resident', null, null],
        ],
      );
      const app = await buildApp({ config: testConfig(), database: check });
      try {
        await login(app, 'op.cli@example.ru', PASSWORD);
      } finally {
        await app.close();
      }
    } finally {
      await check.close();
    }
  });

  test('create-user refuses bad input with one line each, and creates nobody', async (t) => {
    const countUsers = async () => {
      const db = await open();
      try {
        const { n } = await db.db
          .selectFrom('app_user')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        return Number(n);
      } finally {
        await db.close();
      }
    };
    const before = await countUsers();
    const base = ['create-user', '--email', 'new.user@example.ru', '--password', PASSWORD];
    // Usage mistakes are caught before the database is opened (exit code 2), so they can run side by side.
    const usage: Array<[string, string[], RegExp]> = [
      ['missing --email', ['create-user', '--password', PASSWORD, '--role', 'resident'], /missing required option --email/],
      [
        'missing --password',
        ['create-user', '--email', 'a@example.ru', '--role', 'resident'],
        /missing required option --password/,
      ],
      ['missing --role', base, /missing required option --role/],
      [
        '--password without a value',
        ['create-user', '--email', 'a@example.ru', '--role', 'resident', '--password'],
        /--password/,
      ],
      ['bad role', [...base, '--role', 'mayor'], /--role: unknown role "mayor"; one of resident, operator/],
      ['unknown option', [...base, '--role', 'resident', '--colour', 'red'], /Unknown option '--colour'/],
      [
        'not an e-mail',
        ['create-user', '--email', 'nobody', '--password', PASSWORD, '--role', 'resident'],
        /--email: "nobody" is not an e-mail address/,
      ],
      ['resident in a municipality', [...base, '--role', 'resident', '--municipality', '1'], /do not apply to the role resident/],
      [
        'department without municipality',
        [...base, '--role', 'operator', '--department', '1'],
        /--department needs --municipality/,
      ],
      [
        'bad department id',
        [...base, '--role', 'operator', '--municipality', '1', '--department', 'x'],
        /--department: expected a department id/,
      ],
      ['create-admin without --password', ['create-admin', '--email', 'a@example.ru'], /missing required option --password/],
    ];
    const results = await Promise.all(usage.map(([, args]) => run(args, env)));
    for (const [i, [name, , pattern]] of usage.entries()) {
      await t.test(name, () => assertFails(results[i]!, 2, pattern));
    }
    // These need the database.
    const refused: Array<[string, string[], number, RegExp]> = [
      [
        'unknown municipality id',
        [...base, '--role', 'operator', '--municipality', '99999'],
        1,
        /--municipality: no municipality with id 99999/,
      ],
      [
        'unknown municipality slug',
        [...base, '--role', 'operator', '--municipality', 'atlantis'],
        2,
        /no municipality with id or slug "atlantis"/,
      ],
      [
        'municipal role without municipality',
        [...base, '--role', 'operator'],
        1,
        /--municipality: is required for the role operator/,
      ],
      [
        'regional role with a municipality',
        [...base, '--role', 'commission_member', '--municipality', '1'],
        1,
        /--role: commission_member is a regional role/,
      ],
      [
        'department of another municipality',
        [...base, '--role', 'operator', '--municipality', 'belovo', '--department', '1'],
        1,
        /--department: is not a department of this municipality/,
      ],
      [
        'duplicate e-mail',
        ['create-user', '--email', 'chief@example.ru', '--password', PASSWORD, '--role', 'resident'],
        1,
        /an account with the e-mail chief@example\.ru already exists/,
      ],
      [
        'duplicate e-mail (create-admin)',
        ['create-admin', '--email', 'chief@example.ru', '--password', PASSWORD],
        1,
        /already exists/,
      ],
      [
        'short password',
        ['create-user', '--email', 'new.user@example.ru', '--password', 'short', '--role', 'resident'],
        1,
        /--password: must be at least \d+ characters/,
      ],
      [
        'common password',
        ['create-user', '--email', 'new.user@example.ru', '--password', 'password123', '--role', 'resident'],
        1,
        /--password: is too common/,
      ],
      [
        'password with the e-mail in it',
        ['create-user', '--email', 'new.user@example.ru', '--password', 'new.user-2026!', '--role', 'resident'],
        1,
        /--password: must not contain your name or e-mail/,
      ],
    ];
    // The embedded data dir admits one process at a time; a server takes them all at once.
    const outcomes: Run[] = [];
    if (onServer) outcomes.push(...(await Promise.all(refused.map(([, args]) => run(args, env)))));
    else for (const [, args] of refused) outcomes.push(await run(args, env));
    for (const [i, [name, , code, pattern]] of refused.entries()) {
      await t.test(name, () => assertFails(outcomes[i]!, code, pattern));
    }
    assert.equal(await countUsers(), before, 'no account was created by a refused command');
  });

  test('a bad setting is one line naming the variable', async () => {
    assertFails(await run(['migrate'], { ...env, LOG_LEVEL: 'loud' }), 1, /invalid setting LOG_LEVEL: expected one of/);
    assertFails(
      await run(['migrate'], { ...env, DATABASE_URL: 'mysql://root@127.0.0.1/otklik' }),
      1,
      /invalid setting DATABASE_URL/,
    );
  });

  test('an unreachable DATABASE_URL is one line naming the server', async () => {
    const r = await run(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/otklik', SESSION_SECRET: SECRET });
    assertFails(r, 1, /cannot connect to the database server at 127\.0\.0\.1:1\/otklik: connect ECONNREFUSED/);
  });

  test('embedded backup → restore into a new data dir keeps the data', { skip: PGLITE_ONLY }, async () => {
    const dir = tempDir('otklik-backup-');
    const file = path.join(dir, 'otklik.tar.gz');
    assertOk(await run(['backup', '--out', file], env), /^backup written: .*otklik\.tar\.gz \(\d+ bytes, PGlite data dir/);
    assert.deepEqual([...readFileSync(file).subarray(0, 2)], [0x1f, 0x8b], 'a gzip file');
    assertFails(await run(['backup', '--out', file], env), 1, /already exists; choose another name or pass --force/);
    assertFails(await run(['backup'], env), 2, /missing required option --out/);

    const restored = path.join(dir, 'restored');
    assertOk(
      await run(['restore', '--in', file], { OTKLIK_DATA_DIR: restored }),
      /^restored .* into .*restored\/pg \(\d+ migrations\)$/m,
    );
    const db = await open({ dataDir: restored });
    try {
      const admin = await db.db.selectFrom('app_user').select('email').where('email', '=', 'chief@example.ru').executeTakeFirst();
      assert.ok(admin, 'the admin created before the backup is in the restored data dir');
      const app = await buildApp({ config: testConfig(), database: db });
      await login(app, 'chief@example.ru', PASSWORD);
      await app.close();
    } finally {
      await db.close();
    }

    // Restoring over a database needs --force, and then moves the old one aside rather than deleting it.
    assertFails(await run(['restore', '--in', file], { OTKLIK_DATA_DIR: restored }), 1, /already holds a database; .* --force/);
    assertOk(
      await run(['restore', '--in', file, '--force'], { OTKLIK_DATA_DIR: restored }),
      /the previous database was moved to/,
    );
    const aside = readdirSync(restored).filter((f) => f.startsWith('pg.before-restore-'));
    assert.equal(aside.length, 1);
    assert.ok(existsSync(path.join(restored, aside[0]!, 'PG_VERSION')));
    assert.ok(!readdirSync(restored).some((f) => f.startsWith('pg.restoring-')), 'no staging dir left behind');

    const fake = path.join(dir, 'server.dump');
    writeFileSync(fake, 'PGDMP\x01\x0e\x00 not really');
    assertFails(
      await run(['restore', '--in', fake], { OTKLIK_DATA_DIR: path.join(dir, 'x') }),
      1,
      /is a pg_dump archive .* DATABASE_URL/,
    );
    const junk = path.join(dir, 'junk.bin');
    writeFileSync(junk, 'hello');
    assertFails(await run(['restore', '--in', junk], { OTKLIK_DATA_DIR: path.join(dir, 'x') }), 1, /is not an Otklik backup/);
    assertFails(
      await run(['restore', '--in', path.join(dir, 'missing.tar.gz')], { OTKLIK_DATA_DIR: path.join(dir, 'x') }),
      1,
      /no such file/,
    );
  });

  test('server backup (pg_dump) → restore (pg_restore) into a fresh database keeps the data', { skip: SERVER_ONLY }, async () => {
    const dir = tempDir('otklik-backup-');
    const file = path.join(dir, 'otklik.dump');
    assertOk(
      await run(['backup', '--out', file], env),
      /^backup written: .*otklik\.dump \(\d+ bytes, pg_dump custom-format archive\)$/m,
    );
    assert.equal(readFileSync(file).subarray(0, 5).toString('latin1'), 'PGDMP');

    const second = await freshDatabase();
    const secondEnv = { DATABASE_URL: second, SESSION_SECRET: SECRET };
    assertOk(await run(['restore', '--in', file], secondEnv), /^restored .* into 127\.0\.0\.1:5432\/otklik_cli_/m);
    const db = await open({ databaseUrl: second });
    try {
      const admin = await db.db.selectFrom('app_user').select('email').where('email', '=', 'chief@example.ru').executeTakeFirst();
      assert.ok(admin, 'the admin created before the backup is in the restored database');
      const app = await buildApp({ config: testConfig(), database: db });
      await login(app, 'chief@example.ru', PASSWORD);
      await app.close();
    } finally {
      await db.close();
    }
    assertFails(await run(['restore', '--in', file], secondEnv), 1, /already has \d+ tables; .* --force/);
    assertOk(await run(['restore', '--in', file, '--force'], secondEnv), /replaced \d+ existing tables/);

    const tarball = path.join(dir, 'embedded.tar.gz');
    writeFileSync(tarball, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]));
    assertFails(await run(['restore', '--in', tarball], secondEnv), 1, /is an embedded \(PGlite\) data-dir backup/);
  });

  test('server backup without pg_dump on PATH says which package to install', { skip: SERVER_ONLY }, async () => {
    const emptyBin = tempDir('otklik-nobin-');
    const r = await run(['backup', '--out', path.join(emptyBin, 'x.dump')], { ...env, PATH: emptyBin });
    assertFails(r, 1, /pg_dump was not found on PATH; install the PostgreSQL client tools \(.*postgresql-client\)/);
  });
});
