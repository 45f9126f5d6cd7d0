import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, invalid } from '../../../core/http/errors.ts';
import { findCategoryByServiceCode, listAttributesOf, OPEN_STATUSES } from '../../cases/index.ts';
import { findJurisdiction, listEvents, listServiceCategories, PUBLIC_REGIMES, queryRequests } from '../open311.repository.ts';

/** GeoReport v2 «Response Volume»: a span of 90 days or the first 1000 requests, whichever is smaller. */
export const MAX_SPAN_DAYS = 90;
export const MAX_ITEMS = 1000;
const DAY = 86_400_000;

/**
 * Paging: GeoReport v2's documented «Pagination» extension (open311.org GeoReport_v2/Extensions.md, issue #16:
 * `page` and `page_size`, the most widely implemented extension — Chicago, Boston, Toronto, Bloomington, San
 * Francisco). `page` counts from 1; `page_size` is 1…1000. Without them the answer is the spec's own default — the
 * first 1000 requests of the window — so a client that knows only the spec gets everything it expects; one that
 * wants less asks for a smaller page, and the next page is named in a `Link: <…>; rel="next"` header.
 */
export const MAX_PAGE_SIZE = MAX_ITEMS;
const WHOLE = /^\d{1,9}$/;

export interface Paging {
  page: number;
  size: number;
}

export function paging(pageRaw: string | undefined, sizeRaw: string | undefined): Paging {
  const read = (name: string, raw: string | undefined, fallback: number, max: number) => {
    const s = raw?.trim();
    if (!s) return fallback;
    const n = WHOLE.test(s) ? Number(s) : Number.NaN;
    if (!(n >= 1 && n <= max)) throw invalid(name, `"${s}" is not a whole number from 1 to ${max}`);
    return n;
  };
  return { page: read('page', pageRaw, 1, 999_999_999), size: read('page_size', sizeRaw, MAX_ITEMS, MAX_PAGE_SIZE) };
}

/**
 * The municipality a GET is about. This endpoint serves several jurisdictions, so `jurisdiction_id` is required
 * (400 when missing, 404 when unknown — GeoReport v2 «Possible Errors»): the OKTMO or the case-number prefix.
 */
export async function jurisdictionOf(db: Db, jurisdictionId: string | undefined) {
  const id = jurisdictionId?.trim();
  if (!id) throw invalid('jurisdiction_id', 'jurisdiction_id was not provided (the municipality’s OKTMO, e.g. 32701000)');
  const m = await findJurisdiction(db, id);
  if (!m) throw new AppError('NOT_FOUND', `jurisdiction_id "${id}" not found`);
  return m;
}

/** Public categories (messages, incidents) with their questions: `metadata` is true when there are any. */
export async function readServices(db: Db, municipalityId: number) {
  const cats = await listServiceCategories(db, municipalityId);
  const attrs = await listAttributesOf(
    db,
    cats.map((c) => c.id),
  );
  return cats.map((c) => ({ category: c, attributes: attrs.get(c.id) ?? [] }));
}

export async function readServiceDefinition(db: Db, municipalityId: number, code: string) {
  const c = await findCategoryByServiceCode(db, municipalityId, code);
  if (!c?.is_active || !(PUBLIC_REGIMES as readonly string[]).includes(c.regime))
    throw new AppError('NOT_FOUND', `service_code "${code}" not found`);
  const attrs = await listAttributesOf(db, [c.id]);
  return { category: c, attributes: attrs.get(c.id) ?? [] };
}

/** A W3C NOTE-datetime with its zone (GeoReport v2 «Date/time format»: the zone must be included). */
const W3 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
function instant(name: string, raw: string | undefined): Date | undefined {
  const s = raw?.trim();
  if (!s) return undefined;
  const ms = Date.parse(s);
  if (!W3.test(s) || Number.isNaN(ms))
    throw invalid(name, `"${s}" is not a w3 date-time with a time zone, e.g. 2026-03-02T00:00:00Z or 2026-03-02T07:00:00+07:00`);
  return new Date(ms);
}

/** start_date / end_date: at most 90 days apart; a missing end is now (or start + 90 days), a missing start 90 days before the end. */
export function window(ctx: CommandContext, startRaw: string | undefined, endRaw: string | undefined): [Date, Date] {
  const start = instant('start_date', startRaw);
  const end = instant('end_date', endRaw);
  const e = end ?? (start ? new Date(Math.min(start.getTime() + MAX_SPAN_DAYS * DAY, ctx.now.getTime())) : ctx.now);
  const s = start ?? new Date(e.getTime() - MAX_SPAN_DAYS * DAY);
  if (s.getTime() > e.getTime()) throw invalid('end_date', 'end_date is before start_date');
  if (e.getTime() - s.getTime() > MAX_SPAN_DAYS * DAY)
    throw invalid('end_date', `start_date and end_date may not span more than ${MAX_SPAN_DAYS} days`);
  return [s, e];
}

const list = (raw: string | undefined) =>
  raw === undefined
    ? []
    : raw
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);

export interface RequestsQuery {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
  page?: string;
  page_size?: string;
}

/**
 * GeoReport v2 «GET Service Requests»: `service_request_id` (comma list) overrides every other filter (and paging);
 * otherwise `service_code` (comma list), the requested_datetime window and `status` (open, closed; comma list), a
 * page of them (`page`, `page_size`). `next`: the page after this one when there may be more.
 */
export async function readRequests(db: Db, ctx: CommandContext, municipalityId: number, q: RequestsQuery) {
  const base = { municipalityId, openStatuses: OPEN_STATUSES, limit: MAX_ITEMS };
  const ids = list(q.service_request_id);
  if (ids.length > 0) {
    if (ids.length > MAX_ITEMS) throw invalid('service_request_id', `at most ${MAX_ITEMS} ids`);
    return { rows: await queryRequests(db, { ...base, numbers: ids }), next: null };
  }
  const statuses = list(q.status).map((s) => s.toLowerCase());
  for (const s of statuses) if (s !== 'open' && s !== 'closed') throw invalid('status', `"${s}" is not open or closed`);
  const open = statuses.includes('open') === statuses.includes('closed') ? undefined : statuses.includes('open');
  const { page, size } = paging(q.page, q.page_size);
  const codes = list(q.service_code);
  let categoryIds: number[] | undefined;
  if (codes.length > 0) {
    categoryIds = [];
    for (const code of codes) {
      const c = await findCategoryByServiceCode(db, municipalityId, code);
      if (c) categoryIds.push(c.id);
    }
  }
  const [start, end] = window(ctx, q.start_date, q.end_date);
  // One more than the page: whether a next page exists, without counting the window.
  const rows = await queryRequests(db, {
    ...base,
    ...(categoryIds && { categoryIds }),
    start,
    end,
    ...(open !== undefined && { open }),
    limit: size + 1,
    offset: (page - 1) * size,
  });
  const more = rows.length > size;
  return { rows: more ? rows.slice(0, size) : rows, next: more ? { page: page + 1, size } : null };
}

export async function readRequest(db: Db, municipalityId: number, serviceRequestId: string) {
  const [row] = await queryRequests(db, {
    municipalityId,
    numbers: [serviceRequestId],
    openStatuses: OPEN_STATUSES,
    limit: 1,
  });
  if (!row) throw new AppError('NOT_FOUND', `service_request_id "${serviceRequestId}" not found`);
  return row;
}

/** FixMyStreet's `servicerequestupdates`: the public timeline events of the window, oldest first. */
export async function readUpdates(
  db: Db,
  ctx: CommandContext,
  municipalityId: number,
  q: { start_date?: string; end_date?: string },
) {
  const [start, end] = window(ctx, q.start_date, q.end_date);
  return listEvents(db, municipalityId, start, end, MAX_ITEMS);
}
