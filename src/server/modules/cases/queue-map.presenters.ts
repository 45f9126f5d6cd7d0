import type { QueueMap } from './queue-map.ts';

/** Compact markers (up to 20,000 per answer): the fields the map and its list need, nothing personal. */
export function presentQueueMap(m: QueueMap) {
  return {
    items: m.markers.map((r) => ({
      id: r.id,
      number: r.number,
      lat: r.lat as number,
      lon: r.lon as number,
      status: r.status,
      overdue: Boolean(r.overdue),
      categoryId: r.category_id,
    })),
    truncated: m.truncated,
    withoutPoint: {
      count: m.withoutPoint.count,
      items: m.withoutPoint.rows.map((r) => ({
        id: r.id,
        number: r.number,
        status: r.status,
        overdue: Boolean(r.overdue),
        categoryId: r.category_id,
        channel: r.channel,
        address: r.address,
      })),
    },
  };
}
