import { Readable } from 'node:stream';
import type { Db } from '../../../core/db/index.ts';
import { invalid, notFound } from '../../../core/http/errors.ts';
import { dayFromCivil, timeZone } from '../../../core/time/index.ts';
import { findActiveMunicipalityBySlug, openDataPage } from '../exports.repository.ts';
import {
  OPEN_DATA_FIELDS,
  OPEN_DATA_VERSION,
  type OpenDataRow,
  openDataCsvHeader,
  openDataCsvLine,
  openDataRow,
} from '../open-data.ts';

/** Cases read per query: a page is a short index range; memory stays at one page whatever the year holds. */
export const OPEN_DATA_PAGE = 1000;
/** The first year open data is offered for. */
export const OPEN_DATA_FIRST_YEAR = 2000;

export interface OpenDataExport {
  municipality: { id: number; name: string; slug: string; oktmo: string; timeZone: string };
  year: number;
  /** The year is over in the municipality's zone: its data changes rarely (late answers), so it is cached longer. */
  closedYear: boolean;
  body: Readable;
}

/**
 * The municipality's local year (default: the current one there) → [start, end) instants; 400 for a year not begun
 * or before the first.
 */
function yearRange(zone: string, asked: number | undefined, now: Date) {
  const tz = timeZone(zone);
  const current = Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric' }).format(now));
  const year = asked ?? current;
  if (year < OPEN_DATA_FIRST_YEAR || year > current) {
    throw invalid('year', `open data is published for the years ${OPEN_DATA_FIRST_YEAR}–${current}`);
  }
  return {
    year,
    from: new Date(tz.startOfDay(dayFromCivil(year, 1, 1))),
    to: new Date(tz.startOfDay(dayFromCivil(year + 1, 1, 1))),
    closed: year < current,
  };
}

/** Every case of the year, page by page (keyset on the id), anonymised row by row. */
async function* rows(db: Db, municipalityId: number, zone: string, range: { from: Date; to: Date }, now: Date) {
  let afterId = 0;
  for (;;) {
    const page = await openDataPage(db, { municipalityId, ...range, afterId, limit: OPEN_DATA_PAGE });
    for (const c of page) yield openDataRow(c, zone, now);
    if (page.length < OPEN_DATA_PAGE) return;
    afterId = (page.at(-1) as { id: number }).id;
  }
}

/** Chunks of about 64 KiB rather than one write per row. */
async function* batched(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let buffer = '';
  for await (const line of lines) {
    buffer += line;
    if (buffer.length >= 65_536) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

async function* csv(source: AsyncIterable<OpenDataRow>) {
  yield openDataCsvHeader();
  for await (const row of source) yield openDataCsvLine(row);
}

async function* json(source: AsyncIterable<OpenDataRow>, head: Record<string, unknown>) {
  // The description first (fields, licence, period), then the cases as an array, one object per line.
  const opening = JSON.stringify(head, null, 1);
  yield `${opening.slice(0, -2)},\n "cases": [`;
  let first = true;
  for await (const row of source) {
    yield `${first ? '\n' : ',\n'}  ${JSON.stringify(row)}`;
    first = false;
  }
  yield `${first ? '' : '\n '}]\n}\n`;
}

/**
 * The open data of a municipality's year as a stream of CSV or JSON (public; 404 for an unknown or inactive
 * municipality, 400 for a year outside the offered range).
 */
export async function openDataExport(
  db: Db,
  slug: string,
  askedYear: number | undefined,
  format: 'csv' | 'json',
  now: Date,
  publicUrl: string,
): Promise<OpenDataExport> {
  const m = await findActiveMunicipalityBySlug(db, slug);
  if (!m) throw notFound('Municipality');
  const range = yearRange(m.time_zone, askedYear, now);
  const year = range.year;
  const source = rows(db, m.id, m.time_zone, { from: range.from, to: range.to }, now);
  const base = publicUrl.replace(/\/$/, '');
  const head = {
    version: OPEN_DATA_VERSION,
    title: `Обращения, сообщения и инциденты: ${m.name}, ${year} год`,
    municipality: { name: m.name, slug: m.slug, oktmo: m.oktmo, timeZone: m.time_zone },
    year,
    generatedAt: now.toISOString(),
    source: 'Отклик — платформа обратной связи муниципального образования',
    csv: `${base}/api/v1/open-data/${m.slug}/cases.csv?year=${year}`,
    note:
      'Без персональных данных: нет заявителей, их контактов и адресов, текста обращений и ответов; координаты округлены ' +
      'до 0,01° и есть только у сообщений и инцидентов на карте.',
    fields: OPEN_DATA_FIELDS,
  };
  const text = format === 'csv' ? csv(source) : json(source, head);
  return {
    municipality: { id: m.id, name: m.name, slug: m.slug, oktmo: m.oktmo, timeZone: m.time_zone },
    year,
    closedYear: range.closed,
    body: Readable.from(batched(text), { objectMode: false }),
  };
}
