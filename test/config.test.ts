import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../src/server/core/config.ts';

const SECRET = 'config-test-secret-config-test-secret-01';
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'otklik-config-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('loadConfig refuses bad values with a ConfigError naming the variable', () => {
  // [what, env, variable, the message also says]
  const cases: Array<[string, Record<string, string>, string, RegExp]> = [
    ['PORT not a number', { PORT: 'abc' }, 'PORT', /integer from 1 to 65535, got "abc"/],
    ['PORT too large', { PORT: '70000' }, 'PORT', /got "70000"/],
    ['PORT zero', { PORT: '0' }, 'PORT', /got "0"/],
    ['PORT negative', { PORT: '-1' }, 'PORT', /got "-1"/],
    ['PORT fractional', { PORT: '80.5' }, 'PORT', /got "80.5"/],
    [
      'DATABASE_URL of another database',
      { DATABASE_URL: 'mysql://root@127.0.0.1/otklik' },
      'DATABASE_URL',
      /postgres: or postgresql: URL, got "mysql:"/,
    ],
    ['DATABASE_URL not a URL', { DATABASE_URL: 'localhost:5432/otklik' }, 'DATABASE_URL', /./],
    ['PUBLIC_URL ftp', { PUBLIC_URL: 'ftp://otklik.example' }, 'PUBLIC_URL', /http: or https: URL, got "ftp:"/],
    ['PUBLIC_URL not a URL', { PUBLIC_URL: 'otklik.example' }, 'PUBLIC_URL', /not a valid URL/],
    ['SMTP_URL nonsense', { SMTP_URL: 'nonsense' }, 'SMTP_URL', /not a valid URL: "nonsense"/],
    ['SMTP_URL http', { SMTP_URL: 'http://mail.example' }, 'SMTP_URL', /smtp: or smtps: URL/],
    [
      'LOG_LEVEL unknown',
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL',
      /one of fatal, error, warn, info, debug, trace, silent, got "loud"/,
    ],
    ['SESSION_SECRET short', { SESSION_SECRET: 'too-short' }, 'SESSION_SECRET', /at least 32 characters, got 9/],
    [
      'SESSION_SECRET missing with DATABASE_URL',
      { DATABASE_URL: 'postgres://otklik@db.example/otklik' },
      'SESSION_SECRET',
      /required when DATABASE_URL is set/,
    ],
  ];
  for (const [what, env, variable, pattern] of cases) {
    test(`${what}: ${JSON.stringify(env)} → ${variable}`, () => {
      const dataDir = tempDir();
      assert.throws(
        () => loadConfig({ OTKLIK_DATA_DIR: dataDir, ...env }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError, `a ConfigError, got ${error}`);
          assert.equal(error.variable, variable);
          assert.ok(error.message.startsWith(`${variable}: `), error.message);
          assert.match(error.message, pattern);
          assert.ok(!error.message.includes('\n'), 'one line');
          return true;
        },
      );
    });
  }

  test('a password in a bad URL is not echoed', () => {
    for (const [variable, value] of [
      ['DATABASE_URL', 'mysql://otklik:hunter2-secret@db.example/otklik'],
      ['DATABASE_URL', 'postgres://otklik:hunter2-secret@db.example:notaport/otklik'],
      ['SMTP_URL', 'smtp://mailer:hunter2-secret@mail.example:port'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [variable]: value, SESSION_SECRET: SECRET }),
        (e: unknown) => e instanceof ConfigError && e.variable === variable && !e.message.includes('hunter2'),
        `${variable}=${value}`,
      );
    }
  });
});

describe('loadConfig defaults and accepted values', () => {
  test('defaults: port 3000 on all interfaces, embedded PGlite in ./data, info logs, no SMTP', () => {
    const config = loadConfig({ SESSION_SECRET: SECRET });
    assert.deepEqual(config, {
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      dataDir: path.resolve('./data'),
      publicUrl: 'http://localhost:3000',
      smtpUrl: undefined,
      sessionSecret: SECRET,
      logLevel: 'info',
      demo: false,
    });
    assert.equal(loadConfig({ SESSION_SECRET: SECRET }, { demo: true }).demo, true);
  });

  test('empty strings count as unset', () => {
    const dataDir = tempDir();
    const config = loadConfig({
      OTKLIK_DATA_DIR: dataDir,
      PORT: '',
      DATABASE_URL: '',
      PUBLIC_URL: '',
      SMTP_URL: '',
      LOG_LEVEL: '',
      SESSION_SECRET: '',
    });
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.logLevel, 'info');
  });

  test('accepted values are kept; PUBLIC_URL loses its trailing slash and follows PORT when unset', () => {
    const dataDir = tempDir();
    const config = loadConfig({
      OTKLIK_DATA_DIR: dataDir,
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://otklik:pw@db.example:5433/otklik',
      PUBLIC_URL: 'https://otklik.example.ru/',
      SMTP_URL: 'smtps://mailer:pw@mail.example:465',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: SECRET,
    });
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, 'postgresql://otklik:pw@db.example:5433/otklik');
    assert.equal(config.publicUrl, 'https://otklik.example.ru');
    assert.equal(config.smtpUrl, 'smtps://mailer:pw@mail.example:465');
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.dataDir, dataDir);
    assert.equal(loadConfig({ OTKLIK_DATA_DIR: dataDir, PORT: '8080' }).publicUrl, 'http://localhost:8080');
    for (const port of ['1', '65535']) assert.equal(loadConfig({ OTKLIK_DATA_DIR: dataDir, PORT: port }).port, Number(port));
  });

  test('SESSION_SECRET unset in embedded mode: generated once, kept in the data dir (0600), the same on the next load', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const first = loadConfig({ OTKLIK_DATA_DIR: dataDir });
    assert.ok(first.sessionSecret.length >= 32);
    const file = path.join(dataDir, 'session-secret');
    assert.ok(existsSync(file));
    assert.equal(readFileSync(file, 'utf8').trim(), first.sessionSecret);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const second = loadConfig({ OTKLIK_DATA_DIR: dataDir });
    assert.equal(second.sessionSecret, first.sessionSecret);

    const other = loadConfig({ OTKLIK_DATA_DIR: tempDir() });
    assert.notEqual(other.sessionSecret, first.sessionSecret, 'each data dir gets its own');
    assert.equal(
      loadConfig({ OTKLIK_DATA_DIR: dataDir, SESSION_SECRET: SECRET }).sessionSecret,
      SECRET,
      'an explicit secret wins',
    );
  });

  test('an explicit SESSION_SECRET writes nothing to the data dir', () => {
    const dataDir = tempDir();
    loadConfig({ OTKLIK_DATA_DIR: dataDir, SESSION_SECRET: SECRET });
    assert.ok(!existsSync(path.join(dataDir, 'session-secret')));
  });
});

test('otklik serve with PORT=abc exits non-zero with one line naming PORT', async () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: 'abc', OTKLIK_DATA_DIR: tempDir() };
  for (const k of ['DATABASE_URL', 'SESSION_SECRET', 'NODE_TEST_CONTEXT', 'LOG_LEVEL', 'PUBLIC_URL', 'SMTP_URL']) delete env[k];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/server/cli.ts'), 'serve', '--demo'], {
    cwd: root,
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.notEqual(code, 0);
  assert.equal(stdout, '');
  assert.equal(stderr, 'otklik: invalid setting PORT: expected an integer from 1 to 65535, got "abc"\n');
});
