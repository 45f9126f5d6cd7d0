import type { mapReports, nearbyReports, publicReport } from './commands/read-map.ts';

type NearbyRow = Awaited<ReturnType<typeof nearbyReports>>[number];

export const photoUrl = (reportId: number, attachmentId: number) => `/api/v1/map/reports/${reportId}/photos/${attachmentId}`;

/**
 * The markers' answer (MapReportsOut) as JSON text, its markers built as JSON by the query (map.repository.ts): with
 * 20,000 markers a Date, an object and a serialisation per marker cost Node more than the query itself.
 * `objects`: {items: [{id, number, lat, lon, categoryId, status, at}], truncated} — status 'open' | 'solved', at
 * received (open) or answered (solved), ISO 8601 UTC. `columns`: {id: […], number: […], lat, lon, categoryId,
 * solved (1 | 0), atMs (milliseconds since the epoch), truncated} — a marker is the same index in every list.
 */
export function presentMapReports(r: Awaited<ReturnType<typeof mapReports>>): string {
  if (r.layout === 'objects') return `{"items":[${r.items}],"truncated":${r.truncated}}`;
  const c = r.columns;
  const list = (values: string | null) => `[${values ?? ''}]`;
  return (
    `{"id":${list(c.id)},"number":${c.number ?? '[]'},"lat":${list(c.lat)},"lon":${list(c.lon)},` +
    `"categoryId":${list(c.category_id)},"solved":${list(c.solved)},"atMs":${list(c.at_ms)},"truncated":${r.truncated}}`
  );
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
