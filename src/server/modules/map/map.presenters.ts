import type { mapReports, nearbyReports, publicReport } from './commands/read-map.ts';
import { stateOf } from './map-rules.ts';

type MapRow = Awaited<ReturnType<typeof mapReports>>['rows'][number];
type NearbyRow = Awaited<ReturnType<typeof nearbyReports>>[number];

export const photoUrl = (reportId: number, attachmentId: number) => `/api/v1/map/reports/${reportId}/photos/${attachmentId}`;

export function presentMapReport(r: MapRow) {
  const status = stateOf(r.status) ?? 'open';
  return {
    id: r.id,
    number: r.number,
    lat: r.lat as number,
    lon: r.lon as number,
    categoryId: r.category_id,
    status,
    at: (status === 'solved' && r.answered_at ? r.answered_at : r.received_at).toISOString(),
  };
}

export function presentNearby(r: NearbyRow) {
  return {
    id: r.id,
    number: r.number,
    lat: r.lat as number,
    lon: r.lon as number,
    categoryId: r.category_id,
    address: r.address,
    receivedAt: r.received_at.toISOString(),
    distance: Math.round(r.distance),
  };
}

export function presentReport(x: Awaited<ReturnType<typeof publicReport>>) {
  const r = x.report;
  return {
    id: r.id,
    number: r.number,
    regime: r.regime,
    municipalityId: r.municipality_id,
    municipalityName: r.municipality_name,
    categoryId: r.category_id,
    categoryName: r.category_name,
    status: x.state,
    address: r.address,
    lat: r.lat as number,
    lon: r.lon as number,
    receivedAt: r.received_at.toISOString(),
    answeredAt: x.state === 'solved' && r.answered_at ? r.answered_at.toISOString() : null,
    joined: x.joined,
    timeline: x.events.map((e) => ({ type: e.type, at: e.at.toISOString() })),
    photos: {
      before: x.photos.before === null ? null : photoUrl(r.id, x.photos.before),
      after: x.photos.after === null ? null : photoUrl(r.id, x.photos.after),
    },
  };
}
