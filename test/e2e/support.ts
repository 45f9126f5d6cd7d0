import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { buildApp, DEFAULT_WEB_ROOT } from '../../src/server/app.ts';
import type { DatabaseHandle } from '../../src/server/core/db/index.ts';
import { DEMO_PASSWORD, seedDemo } from '../../src/server/modules/demo/index.ts';
import { MemoryMailer, testConfig } from '../support/test-app.ts';
import { createTestDatabase } from '../support/test-db.ts';

export { DEMO_PASSWORD };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOT_DIR = path.join(root, 'test-results', 'screenshots');

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** The address the server writes into its letters; tests open the same path and query on the real port. */
const PUBLIC_URL = 'http://localhost:3000';

export interface E2EServer {
  app: FastifyInstance;
  database: DatabaseHandle;
  mailer: MemoryMailer;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real server in this process: a fresh seeded database, the built web app, mail kept in memory. */
export async function startServer(): Promise<E2EServer> {
  if (!existsSync(path.join(DEFAULT_WEB_ROOT, 'index.html'))) {
    throw new Error(`No built web app in ${DEFAULT_WEB_ROOT}: run \`npm run build:web\` (npm run test:e2e does it first)`);
  }
  const database = await createTestDatabase();
  // The real clock: the browser keeps cookies by their real expiry date.
  await seedDemo(database.db, new Date());
  const mailer = new MemoryMailer();
  const app = await buildApp({ config: testConfig({ publicUrl: PUBLIC_URL }), database, mailer });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address');
  return {
    app,
    database,
    mailer,
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/**
 * The link from the last letter to `to`, moved onto the test server (the letter carries PUBLIC_URL). Letters go
 * out through the job queue, which the listening server polls, so this waits a few seconds for one to arrive.
 */
export async function linkFromMail(server: E2EServer, to: string, pathname: string, after = 0): Promise<string> {
  const deadline = Date.now() + 10_000;
  let mail = server.mailer.sent
    .slice(after)
    .filter((m) => m.to === to)
    .at(-1);
  while (!mail && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    mail = server.mailer.sent
      .slice(after)
      .filter((m) => m.to === to)
      .at(-1);
  }
  assert.ok(mail, `no letter was sent to ${to}`);
  const match = mail.text.match(/https?:\/\/\S+/);
  assert.ok(match, `the letter to ${to} has no link:\n${mail.text}`);
  const link = new URL(match[0]);
  assert.equal(link.origin, PUBLIC_URL, 'the letter links to the configured public address');
  assert.equal(link.pathname, pathname);
  return new URL(`${link.pathname}${link.search}`, server.baseUrl).toString();
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions and 5xx answers seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * A fresh browser context (its own cookies and storage) with one page. Everything that goes wrong in the
 * page is collected; an API answering 4xx is not a problem by itself — the UI shows those to the person,
 * and the tests check that it does — but the browser still logs them, so those lines are left out.
 * With `strict`, they count too: a page that should need no refused request (a visitor's home page) proves it.
 * `timezoneId` puts the browser in another zone (a colleague in Moscow looking at a Kuzbass municipality).
 */
export async function openPage(
  browser: Browser,
  server: E2EServer,
  viewport = DESKTOP,
  options: { strict?: boolean; timezoneId?: string } = {},
): Promise<TestPage> {
  const context = await browser.newContext({ viewport, locale: 'ru-RU', timezoneId: options.timezoneId ?? 'Asia/Novokuznetsk' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location().url ?? '';
    const apiClientError = !options.strict && /status of 4\d\d/.test(msg.text()) && url.startsWith(`${server.baseUrl}/api/`);
    if (!apiClientError) problems.push(`console error: ${msg.text()} (${url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('response', (res) => {
    if (res.status() >= (options.strict ? 400 : 500))
      problems.push(`HTTP ${res.status()} ${res.request().method()} ${res.url()}`);
  });
  // 152-ФЗ / 23-ФЗ: the page loads nothing from anywhere but its own server (no CDN, fonts, analytics).
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(`${server.baseUrl}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      problems.push(`request to another origin: ${url}`);
    }
  });
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText ?? '';
    // A request cut short by a navigation is not a failure of the page.
    if (!failure.includes('ERR_ABORTED')) problems.push(`request failed: ${req.method()} ${req.url()} ${failure}`);
  });
  return { context, page, problems, close: () => context.close() };
}

export function assertNoProblems(t: TestPage): void {
  assert.deepEqual(t.problems, [], `problems on the page:\n${t.problems.join('\n')}`);
}

/** Waits until no loading indicator is left on the page. */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('.loading').first().waitFor({ state: 'detached', timeout: 10_000 });
  await page.evaluate(() => document.fonts.ready);
}

/**
 * Full-page screenshots at the desktop and the phone width (`<name>-desktop.png`, `<name>-phone.png`), and a
 * check that the phone layout does not scroll sideways. Leaves the page at its original size.
 */
export async function snap(page: Page, name: string, options: { phone?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  // No hover effects from the last click, and the page from its top.
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await settled(page);
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-desktop.png`), fullPage: true });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `${name}: the desktop layout is ${wide}px wider than the window`);
  if (options.phone !== false) {
    await page.setViewportSize(PHONE);
    await settled(page);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-phone.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: the phone layout is ${overflow}px wider than the screen`);
  }
  await page.setViewportSize(original);
}

export async function signIn(page: Page, server: E2EServer, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Выйти' }).click();
  await page.getByRole('link', { name: 'Войти' }).first().waitFor();
}

// Map pages (map.e2e.ts, map-staff.e2e.ts): photos to upload and taps at a geographic point.

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A real PNG of one colour with a stripe (the server sniffs the content). */
export function pngImage(rgb: [number, number, number], width = 160, height = 120): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set(Math.abs(y - height / 2) < 8 ? [40, 40, 40] : rgb, 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const merc = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));

/** Taps the map at a geographic point: the map element publishes its view (data-bounds, Web Mercator). */
export async function tapMapAt(page: Page, selector: string, at: { lat: number; lon: number }) {
  const map = page.locator(selector);
  const bounds = (await map.getAttribute('data-bounds'))?.split(',').map(Number);
  assert.ok(bounds?.length === 4, 'the map publishes its view');
  const [w, s, e, n] = bounds as [number, number, number, number];
  const box = await map.boundingBox();
  assert.ok(box);
  const x = ((at.lon - w) / (e - w)) * box.width;
  const y = ((merc(n) - merc(at.lat)) / (merc(n) - merc(s))) * box.height;
  assert.ok(x > 0 && x < box.width && y > 0 && y < box.height, 'the point is in view');
  await map.click({ position: { x, y } });
}
