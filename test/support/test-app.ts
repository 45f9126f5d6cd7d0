import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { FixedClock } from '../../src/server/core/clock.ts';
import type { Config } from '../../src/server/core/config.ts';
import type { DatabaseHandle } from '../../src/server/core/db/index.ts';
import type { Mailer, MailMessage } from '../../src/server/core/mail/mailer.ts';
import { DEMO_PASSWORD, type SeedResult, seedDemo } from '../../src/server/modules/demo/index.ts';
import { createTestDatabase } from './test-db.ts';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    dataDir: '/nonexistent',
    publicUrl: 'http://localhost:3000',
    smtpUrl: undefined,
    sessionSecret: TEST_SECRET,
    logLevel: 'silent',
    demo: false,
    ...overrides,
  };
}

/** Collects mail in memory for tests that do not exercise SMTP itself (the SMTP tests use a real server). */
export class MemoryMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }
  close(): void {}
  lastTo(to: string): MailMessage | undefined {
    return this.sent.filter((m) => m.to === to).at(-1);
  }
}

export interface TestContext {
  app: FastifyInstance;
  database: DatabaseHandle;
  clock: FixedClock;
  mailer: MemoryMailer;
  demo: SeedResult;
  close(): Promise<void>;
}

/** One database and one app per test file, seeded with the demo data. */
export async function createTestContext(options: { config?: Partial<Config>; mailer?: Mailer } = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const clock = new FixedClock('2026-03-02T03:00:00Z');
  const mailer = new MemoryMailer();
  const demo = await seedDemo(database.db, clock.now());
  // With an SMTP_URL in the config the app builds its real SMTP mailer; otherwise mail is kept in memory.
  const chosenMailer = options.mailer ?? (options.config?.smtpUrl ? undefined : mailer);
  const app = await buildApp({
    config: testConfig(options.config),
    database,
    clock,
    ...(chosenMailer && { mailer: chosenMailer }),
  });
  await app.ready();
  return {
    app,
    database,
    clock,
    mailer,
    demo,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
  userId: number;
}

export function sessionCookieOf(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (!first) throw new Error(`no Set-Cookie in response ${res.statusCode}: ${res.body}`);
  return first.split(';')[0] as string;
}

export async function login(app: FastifyInstance, email: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { csrfToken: string; user: { id: number } };
  return { cookie: sessionCookieOf(res), csrf: body.csrfToken, userId: body.user.id };
}

/** An authenticated request: the session cookie, plus the CSRF header on writes. */
export function as(session: Session, extra: { csrf?: boolean } = {}) {
  const headers: Record<string, string> = { cookie: session.cookie };
  if (extra.csrf !== false) headers['x-csrf-token'] = session.csrf;
  return headers;
}
