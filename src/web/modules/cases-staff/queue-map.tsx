import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../app/api.ts';
import { Alert, formatNumber, plural, QueryError } from '../../app/ui.tsx';
import { LeafletMap } from '../map/leaflet-map.tsx';
import { type Bbox, type Marker, useBoundaries, useMapConfig } from '../map/map.api.ts';
import { OPEN_STATUSES, OverdueBadge, StatusBadge } from './case-bits.tsx';
import { type Category, CHANNEL_NAMES, nameOf, type QueueFilter } from './cases-staff.api.ts';

// The queue on a map (issue 5 point 5): the queue's filters (they live in the address) as markers, GET /cases/map.

export interface QueueMarker {
  id: number;
  number: string;
  lat: number;
  lon: number;
  status: string;
  overdue: boolean;
  categoryId: number | null;
}

export interface QueueMapAnswer {
  items: QueueMarker[];
  truncated: boolean;
  withoutPoint: {
    count: number;
    items: Array<{
      id: number;
      number: string;
      status: string;
      overdue: boolean;
      categoryId: number | null;
      channel: string;
      address: string | null;
    }>;
  };
}

/** Markers in the box for the queue's filter; under ['cases', 'queue'], so a change of a case refreshes the map too. */
export function useQueueMap(bbox: Bbox | null, filter: QueueFilter) {
  return useQuery({
    queryKey: ['cases', 'queue', 'map', filter, bbox?.map((x) => x.toFixed(3)).join(',')],
    queryFn: ({ signal }) => api<QueueMapAnswer>('/cases/map', { query: { ...filter, bbox: bbox?.join(',') }, signal }),
    enabled: bbox !== null,
    placeholderData: (previous) => previous,
  });
}

const LIST_MAX = 30;

/** The map's markers: open cases orange, overdue red, the rest (answered, closed) green. */
const toMarker = (m: QueueMarker): Marker => ({
  id: m.id,
  number: m.number,
  lat: m.lat,
  lon: m.lon,
  categoryId: m.categoryId,
  status: OPEN_STATUSES.includes(m.status) ? 'open' : 'solved',
  at: '',
  overdue: m.overdue,
});

export function QueueMap({
  filter,
  municipalityId,
  categories,
}: {
  filter: QueueFilter;
  municipalityId: number | null;
  categories: Category[] | undefined;
}) {
  const navigate = useNavigate();
  const [view, setView] = useState<Bbox | null>(null);
  // As the public map: the loaded box is a little larger than the view and kept while the view stays inside it.
  const [box, setBox] = useState<Bbox | null>(null);
  const settledBox = useSettled(box, 250);
  const config = useMapConfig();
  const boundaries = useBoundaries(municipalityId ?? undefined);
  // Wait for the boundaries: the map fits the municipality before the markers are asked for.
  const ready = municipalityId === null || !boundaries.isPending;
  const answer = useQueueMap(ready ? settledBox : null, filter);
  const items = answer.data?.items;
  const truncated = answer.data?.truncated ?? false;
  const markers = useMemo(() => items?.map(toMarker), [items]);
  const inView = useMemo(() => (items && view ? items.filter((m) => within(m, view)) : []), [items, view]);
  const categoryName = (id: number | null) => categories?.find((c) => c.id === id)?.name ?? 'Без категории';
  const withoutPoint = answer.data?.withoutPoint;

  return (
    <>
      <div className="map-frame">
        <LeafletMap
          label="Обращения на карте"
          tileUrl={config.data?.tileUrl ?? null}
          attribution={config.data?.attribution ?? null}
          boundaries={boundaries.data}
          fitBoundaries={municipalityId !== null}
          markers={markers}
          onView={(bbox) => {
            setView(bbox);
            setBox((current) => (current && !truncated && contains(current, bbox) ? current : widen(bbox)));
          }}
          onMarker={(id) => navigate(`/staff/cases/${id}`)}
          className="map--staff"
        />
        <ul className="map-legend" aria-label="Обозначения">
          <li className="map-legend__item">
            <span className="map-legend__dot" /> на рассмотрении
          </li>
          <li className="map-legend__item">
            <span className="map-legend__dot" style={{ borderColor: '#7f1d1d', background: '#d92d20' }} /> просрочено
          </li>
          <li className="map-legend__item">
            <span className="map-legend__dot map-legend__dot--solved" /> рассмотрено
          </li>
          {!config.data?.tileUrl && <li className="map-legend__item map-legend__note">без подложки</li>}
        </ul>
      </div>

      {answer.error ? <QueryError error={answer.error} onRetry={() => answer.refetch()} /> : null}
      {truncated && (
        <Alert kind="info">
          Здесь слишком много обращений, показаны самые срочные. Приблизьте карту или уточните отбор, чтобы увидеть все.
        </Alert>
      )}

      <section className="map-list" aria-labelledby="queue-map-list-title">
        <h2 id="queue-map-list-title">
          В этой части карты: {formatNumber(inView.length)} {plural(inView.length, ['обращение', 'обращения', 'обращений'])}
        </h2>
        {inView.length > 0 && (
          <ul className="map-list__items">
            {inView.slice(0, LIST_MAX).map((m) => (
              <li key={m.id} className="map-list__item">
                <Link to={`/staff/cases/${m.id}`} className="map-list__link">
                  <span className="map-list__what">{m.number}</span>
                  <span className="map-list__meta">{categoryName(m.categoryId)}</span>
                </Link>
                <span>{m.overdue ? <OverdueBadge /> : <StatusBadge status={m.status} />}</span>
              </li>
            ))}
          </ul>
        )}
        {inView.length > LIST_MAX && <p className="muted">Показаны {LIST_MAX} самых срочных.</p>}
      </section>

      {withoutPoint && (
        <section className="map-list" aria-labelledby="queue-map-unplaced-title">
          <h2 id="queue-map-unplaced-title">Без адреса на карте: {formatNumber(withoutPoint.count)}</h2>
          {withoutPoint.count > 0 && (
            <p className="muted small">Обращения без отмеченной точки — например, письма, где указан только адрес.</p>
          )}
          {withoutPoint.items.length > 0 && (
            <ul className="map-list__items">
              {withoutPoint.items.map((c) => (
                <li key={c.id} className="map-list__item">
                  <Link to={`/staff/cases/${c.id}`} className="map-list__link">
                    <span className="map-list__what">{c.number}</span>
                    <span className="map-list__meta">
                      {categoryName(c.categoryId)} · {nameOf(CHANNEL_NAMES, c.channel)}
                      {c.address && ` · ${c.address}`}
                    </span>
                  </Link>
                  <span>{c.overdue ? <OverdueBadge /> : <StatusBadge status={c.status} />}</span>
                </li>
              ))}
            </ul>
          )}
          {withoutPoint.count > withoutPoint.items.length && (
            <p className="muted">Показаны {withoutPoint.items.length} самых срочных; остальные — в списке.</p>
          )}
        </section>
      )}
    </>
  );
}

function widen([w, s, e, n]: Bbox): Bbox {
  const dx = (e - w) * 0.25;
  const dy = (n - s) * 0.25;
  return [Math.max(-180, w - dx), Math.max(-90, s - dy), Math.min(180, e + dx), Math.min(90, n + dy)];
}

const contains = (outer: Bbox, inner: Bbox) =>
  inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];

const within = (m: QueueMarker, [w, s, e, n]: Bbox) => m.lon >= w && m.lon <= e && m.lat >= s && m.lat <= n;

/** `value` once it has not changed for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
