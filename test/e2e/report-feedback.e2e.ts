import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import mammoth from 'mammoth';
import type { Browser } from 'playwright-core';
import { readPdf } from '../../src/server/core/documents/test-pdf.ts';
import { DEMO_PASSWORD, type E2EServer, launchBrowser, SCREENSHOT_DIR, startServer } from './support.ts';

// Issue 7, item 4: the annual feedback report's DOCX, rendered as a person would see it. It is converted to HTML by
// mammoth (by its paragraph styles: Heading 1–3, Centered, Approval, TableText) and shown in Chromium on an A4-wide
// page: test-results/screenshots/report-feedback-docx.png. Where LibreOffice is installed (`soffice`; CI does not
// install it), the DOCX is also laid out by a word processor and its pages 1–2 rendered to
// report-feedback-docx-libreoffice{,-page2}.png.

function soffice(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['soffice', 'libreoffice']) if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

const STYLE_MAP = [
  "p[style-name='Centered'] => p.centered:fresh",
  "p[style-name='Approval'] => p.approval:fresh",
  "p[style-name='TableText'] => p.cell:fresh",
];

const PAGE_CSS = `
  body { margin: 0; background: #888; }
  .page { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 0 auto; padding: 20mm 15mm 20mm 30mm;
    background: #fff; font-family: 'Times New Roman', 'Liberation Serif', serif; font-size: 13pt; line-height: 1.15;
    color: #000; }
  h1 { font-size: 15pt; text-align: center; margin: 12pt 0 6pt; }
  h2 { font-size: 14pt; margin: 8pt 0 6pt; }
  p { margin: 0 0 6pt; text-align: justify; text-indent: 12.5mm; }
  p.centered { text-align: center; text-indent: 0; }
  p.approval { margin: 0 0 0 50%; text-align: left; text-indent: 0; }
  table { border-collapse: collapse; width: 100%; margin: 0 0 10pt; }
  td, th { border: 0.6pt solid #000; padding: 2pt 4pt; vertical-align: top; }
  p.cell { margin: 0; font-size: 11pt; text-indent: 0; text-align: left; }
  thead p.cell { font-weight: bold; text-align: center; }
  thead td, thead th { background: #eee; }
`;

describe('the annual feedback report as DOCX', () => {
  let server: E2EServer;
  let browser: Browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(email: string) {
    const res = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    assert.equal(res.status, 200);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return { cookie, 'x-csrf-token': csrfToken };
  }

  test('renders as an official document: the approval block, the title, the tables', async () => {
    const kem = (
      await server.database.db.selectFrom('municipality').select('id').where('slug', '=', 'kemerovo').executeTakeFirstOrThrow()
    ).id;
    // A few cases this year, so the tables have rows.
    const resident = await signIn('resident@otklik.demo');
    const operator = await signIn('kem.operator@otklik.demo');
    const cats = await server.database.db
      .selectFrom('category')
      .select(['id', 'name'])
      .where('municipality_id', '=', kem)
      .execute();
    for (const [who, payload] of [
      [
        resident,
        {
          channel: 'web',
          categoryId: cats.find((c) => c.name === 'Ямы на дорогах')!.id,
          text: 'Яма',
          lat: 55.3547,
          lon: 86.0873,
        },
      ],
      [resident, { channel: 'web', categoryId: cats.find((c) => c.name === 'Благоустройство дворов')!.id, text: 'Качели' }],
      [operator, { channel: 'phone', regime: 'incident', text: 'Упало дерево', lastName: 'Сидоров' }],
    ] as const) {
      const res = await fetch(`${server.baseUrl}/api/v1/cases`, {
        method: 'POST',
        headers: { ...who, 'content-type': 'application/json' },
        body: JSON.stringify({ municipalityId: kem, ...payload }),
      });
      assert.equal(res.status, 201, await res.text());
    }
    const head = await signIn('kem.head@otklik.demo');
    const year = new Date().getUTCFullYear();
    const res = await fetch(`${server.baseUrl}/api/v1/reports/municipalities/${kem}/feedback-${year}.docx`, {
      headers: { cookie: head.cookie },
    });
    assert.equal(res.status, 200, await res.clone().text());
    const docx = Buffer.from(await res.arrayBuffer());
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const png = path.join(SCREENSHOT_DIR, 'report-feedback-docx.png');

    const { value: html } = await mammoth.convertToHtml({ buffer: docx }, { styleMap: STYLE_MAP });
    assert.match(html, /<p class="approval"><strong>УТВЕРЖДАЮ<\/strong><\/p>/);
    assert.match(html, /<h1>ОТЧЁТ\sОБ\sОБРАТНОЙ\sСВЯЗИ\sС\sЖИТЕЛЯМИ\sЗА\s\d{4}\sГОД<\/h1>/);
    assert.ok((html.match(/<table>/g) ?? []).length >= 6, 'the tables');
    // One header row per table: the body rows are ordinary rows.
    assert.equal((html.match(/<thead>/g) ?? []).length, (html.match(/<table>/g) ?? []).length);
    assert.ok(html.includes('<td><p class="cell">Поступило</p></td>'), 'a figure in a body row');
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 }, deviceScaleFactor: 1.5 });
    try {
      await page.setContent(`<!doctype html><html lang="ru"><head><meta charset="utf-8"><style>${PAGE_CSS}</style></head>
        <body><div class="page">${html}</div></body></html>`);
      await page.evaluate(() => document.fonts.ready);
      // No text wider than its page (nothing runs off the paper).
      const overflow = await page.evaluate(() => {
        const p = document.querySelector('.page') as HTMLElement;
        return p.scrollWidth - p.clientWidth;
      });
      assert.ok(overflow <= 0, `the content is ${overflow}px wider than the page`);
      // The first A4 page's height (297 mm at 96 dpi), and the whole document.
      const box = (await page.locator('.page').boundingBox())!;
      await page.screenshot({ path: png, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 1123) } });
      await page.locator('.page').screenshot({ path: path.join(SCREENSHOT_DIR, 'report-feedback-docx-full.png') });
    } finally {
      await page.close();
    }

    const office = soffice();
    if (office) {
      const dir = mkdtempSync(path.join(tmpdir(), 'otklik-docx-'));
      try {
        writeFileSync(path.join(dir, 'report.docx'), docx);
        execFileSync(
          office,
          [
            '--headless',
            `-env:UserInstallation=file://${dir}/profile`,
            '--convert-to',
            'pdf',
            '--outdir',
            dir,
            path.join(dir, 'report.docx'),
          ],
          {
            stdio: 'ignore',
            timeout: 120_000,
          },
        );
        const pdf = readPdf(readFileSync(path.join(dir, 'report.pdf')));
        const first = pdf.text(0).replace(/\u00a0/g, ' ');
        assert.ok(first.includes('УТВЕРЖДАЮ') && first.includes(`ОТЧЁТ ОБ ОБРАТНОЙ СВЯЗИ С ЖИТЕЛЯМИ ЗА ${year} ГОД`), first);
        assert.ok(pdf.pages >= 3);
        const [w, h] = pdf.sizes[0]!;
        assert.ok(Math.abs(w - 595.3) < 2 && Math.abs(h - 841.9) < 2, 'A4 in the word processor too');
        const stamp = pdf.lines(0).find((l) => l.text.includes('УТВЕРЖДАЮ'));
        assert.ok(stamp && stamp.x > w / 2, 'the approval block in the right half');
        writeFileSync(path.join(SCREENSHOT_DIR, 'report-feedback-docx-libreoffice.png'), pdf.png(0, 1.5));
        writeFileSync(path.join(SCREENSHOT_DIR, 'report-feedback-docx-libreoffice-page2.png'), pdf.png(1, 1.5));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
