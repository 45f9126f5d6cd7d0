import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { distanceMeters } from '../../../core/geo/index.ts';
import { AppError, invalid, notFound } from '../../../core/http/errors.ts';
import { attachmentWithData, caseFiles } from '../../attachments/index.ts';
import {
  findReport,
  joinedCount,
  markerColumnsInBox,
  markerObjectsInBox,
  openReportsInBox,
  reportEvents,
} from '../map.repository.ts';
import {
  boxAround,
  MAP_REPORTS_LIMIT,
  type MarkerLayout,
  NEARBY_DEFAULT_M,
  NEARBY_LIMIT,
  NEARBY_MAX_M,
  PUBLIC_EVENTS,
  PUBLIC_PHOTO_TYPES,
  parseBbox,
  SOLVED_VISIBLE_DAYS,
  stateOf,
} from '../map-rules.ts';
import { stripPhotoMetadata } from '../strip-metadata.ts';

const DAY_MS = 86_400_000;

export interface MapQuery {
  bbox: string;
  categoryId?: number | undefined;
  status?: 'open' | 'solved' | undefined;
  municipalityId?: number | undefined;
  layout?: MarkerLayout | undefined;
}

/**
 * The public map's markers in a box: open reports and those solved in the last SOLVED_VISIBLE_DAYS days, at most
 * MAP_REPORTS_LIMIT (`truncated` when there are more), as JSON text built by the query in the asked layout.
 */
export async function mapReports(db: Db, now: Date, q: MapQuery) {
  const box = parseBbox(q.bbox);
  if (typeof box === 'string') throw invalid('bbox', box);
  const query = {
    box,
    solvedSince: solvedSince(now),
    state: q.status,
    categoryId: q.categoryId,
    municipalityId: q.municipalityId,
    limit: MAP_REPORTS_LIMIT,
  };
  if (q.layout === 'columns') {
    const columns = await markerColumnsInBox(db, query);
    return { layout: 'columns' as const, columns, truncated: columns.count > MAP_REPORTS_LIMIT };
  }
  const objects = await markerObjectsInBox(db, query);
  return { layout: 'objects' as const, items: objects.items ?? '', truncated: objects.count > MAP_REPORTS_LIMIT };
}

/** Solved reports answered at or after this instant are on the map. */
export const solvedSince = (now: Date) => new Date(now.getTime() - SOLVED_VISIBLE_DAYS * DAY_MS);

export interface NearbyQuery {
  lat: number;
  lon: number;
  categoryId: number;
  radius?: number | undefined;
}

/** "Already reported nearby" (signed in): open reports of the category within the radius, nearest first. */
export async function nearbyReports(db: Db, ctx: CommandContext, q: NearbyQuery) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to see the reports nearby');
  const radius = q.radius ?? NEARBY_DEFAULT_M;
  if (radius > NEARBY_MAX_M) throw invalid('radius', `at most ${NEARBY_MAX_M} metres`);
  const rows = await openReportsInBox(db, boxAround(q.lat, q.lon, radius), q.categoryId);
  return rows
    .map((r) => ({ ...r, distance: distanceMeters([q.lon, q.lat], [r.lon as number, r.lat as number]) }))
    .filter((r) => r.distance <= radius)
    .sort((a, b) => a.distance - b.distance || a.id - b.id)
    .slice(0, NEARBY_LIMIT);
}

/** The public page of a report: what, where, how it went (types and dates), before/after photos. Nothing personal. */
export async function publicReport(db: Db, id: number) {
  const r = await findReport(db, id);
  const state = r ? stateOf(r.status) : null;
  if (!r || !state) throw notFound('Report');
  const events = await reportEvents(db, id);
  const photos = await publicPhotos(db, r, events, state);
  return {
    report: r,
    state,
    events: events.filter((e) => PUBLIC_EVENTS.includes(e.type)).map((e) => ({ type: e.type, at: e.at })),
    photos,
    joined: await joinedCount(db, id),
  };
}

type Report = NonNullable<Awaited<ReturnType<typeof findReport>>>;
type Event = Awaited<ReturnType<typeof reportEvents>>[number];

/**
 * The two public files of a report: before — the first photo the resident attached themselves (an operator's scan
 * of a letter never is); after — the photo of the latest mark-fixed, while the report is solved.
 */
async function publicPhotos(db: Db, r: Report, events: Event[], state: 'open' | 'solved') {
  const files = (await caseFiles(db, r.id)).filter((f) => PUBLIC_PHOTO_TYPES.includes(f.content_type));
  const before =
    r.applicant_user_id === null ? undefined : (files.find((f) => f.uploaded_by === r.applicant_user_id)?.id ?? undefined);
  let after: number | undefined;
  if (state === 'solved') {
    const fixed = events.filter((e) => e.type === 'answered').at(-1);
    const data = (fixed?.data ?? {}) as { fixed?: boolean; afterPhotoId?: number };
    if (data.fixed && files.some((f) => f.id === data.afterPhotoId)) after = data.afterPhotoId;
  }
  return { before: before ?? null, after: after ?? null };
}

/** A public photo: only the report's before or after photo (anything else is 404), without its metadata. */
export async function publicPhoto(db: Db, reportId: number, attachmentId: number) {
  const { photos } = await publicReport(db, reportId);
  if (attachmentId !== photos.before && attachmentId !== photos.after) throw notFound('Photo');
  const row = await attachmentWithData(db, attachmentId);
  if (!row || row.case_id !== reportId) throw notFound('Photo');
  const bytes = Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength);
  return { contentType: row.content_type, bytes: stripPhotoMetadata(bytes, row.content_type) };
}
