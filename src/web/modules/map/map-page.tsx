import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useChosenMunicipality } from '../../app/municipality-choice.ts';
import { Alert, Badge, formatNumber, plural, QueryError, SelectField, usePageTitle } from '../../app/ui.tsx';
import { useCategories } from '../cases-resident/cases.api.ts';
import { LeafletMap } from './leaflet-map.tsx';
import { type Bbox, type Marker, useBoundaries, useMapConfig, useMarkers, useMunicipalities } from './map.api.ts';
import { LIST_MAX, newest } from './markers.ts';
import { dateRu, STATE_NAMES } from './names.ts';

/**
 * The public map (issue 5): open reports and those solved in the last 30 days in the visible area, clustered in the
 * browser; filters by municipality, category and state; a list of the reports in view for those who do not use
 * the map itself. Works without tiles (no tile server configured or reachable): boundaries and markers still show.
 */
export function MapPage() {
  usePageTitle('Карта сообщений');
  const chosen = useChosenMunicipality();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const municipalityId = Number(params.get('m') ?? chosen?.id ?? '') || undefined;
  const categoryId = Number(params.get('category') ?? '') || undefined;
  const status = (['open', 'solved'] as const).find((s) => s === params.get('status'));
  const [view, setView] = useState<{ bbox: Bbox; zoom: number } | null>(null);
  // The box whose markers are loaded: a little larger than the view, kept while the view stays inside it (zooming
  // in or a small pan needs no request), and settled for a moment (fitting to boundaries moves the view twice).
  const [box, setBox] = useState<Bbox | null>(null);
  const settledBox = useSettled(box, 250);

  const config = useMapConfig();
  const municipalities = useMunicipalities();
  const categories = useCategories(municipalityId ?? null);
  const boundaries = useBoundaries(municipalityId);
  // With a municipality chosen, wait for its boundaries: the map fits them before the markers are asked for.
  const ready = municipalityId === undefined || !boundaries.isPending;
  const markers = useMarkers(ready ? settledBox : null, { municipalityId, categoryId, status });
  const truncated = markers.data?.truncated ?? false;
  const items = markers.data?.items;
  const inView = useMemo(() => (items && view ? items.filter((r) => within(r, view.bbox)) : []), [items, view]);
  const listed = useMemo(() => newest(inView), [inView]);
  const mapCategories = (categories.data ?? []).filter((c) => c.regime !== 'appeal');
  const categoryName = (id: number | null) => mapCategories.find((c) => c.id === id)?.name ?? 'Сообщение';

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key === 'm') next.delete('category');
    setParams(next, { replace: true });
  };

  return (
    <div className="container page map-page">
      <div className="map-page__head">
        <div>
          <h1>Карта сообщений</h1>
          <p className="lead">Ямы, неработающие фонари, мусор — сообщения жителей и что с ними сделано.</p>
        </div>
        <Link to="/cabinet/report" className="button button--large">
          Сообщить о проблеме
        </Link>
      </div>

      <form className="map-filters" aria-label="Фильтры карты" onSubmit={(e) => e.preventDefault()}>
        <SelectField id="map-m" label="Муниципалитет" value={String(municipalityId ?? '')} onValue={(v) => set('m', v)}>
          <option value="">Все муниципалитеты</option>
          {(municipalities.data ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="map-category"
          label="Тема"
          value={String(categoryId ?? '')}
          onValue={(v) => set('category', v)}
          disabled={!municipalityId}
          hint={municipalityId ? undefined : 'Сначала выберите муниципалитет'}
        >
          <option value="">Все темы</option>
          {mapCategories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField id="map-status" label="Состояние" value={status ?? ''} onValue={(v) => set('status', v)}>
          <option value="">В работе и решённые</option>
          <option value="open">В работе</option>
          <option value="solved">Решённые за 30 дней</option>
        </SelectField>
      </form>

      <div className="map-frame">
        <LeafletMap
          label="Карта сообщений жителей"
          tileUrl={config.data?.tileUrl ?? null}
          attribution={config.data?.attribution ?? null}
          boundaries={boundaries.data}
          fitBoundaries={municipalityId !== undefined}
          markers={items}
          onView={(bbox, zoom) => {
            setView({ bbox, zoom });
            setBox((current) => (current && !truncated && contains(current, bbox) ? current : widen(bbox)));
          }}
          onMarker={(id) => navigate(`/map/reports/${id}`)}
          className="map--public"
        />
        <ul className="map-legend" aria-label="Обозначения">
          <li className="map-legend__item">
            <span className="map-legend__dot map-legend__dot--open" /> в работе
          </li>
          <li className="map-legend__item">
            <span className="map-legend__dot map-legend__dot--solved" /> решено
          </li>
          {!config.data?.tileUrl && <li className="map-legend__item map-legend__note">без подложки</li>}
        </ul>
      </div>

      {markers.error ? <QueryError error={markers.error} onRetry={() => markers.refetch()} /> : null}
      {markers.data?.truncated && (
        <Alert kind="info">Здесь слишком много сообщений, показана часть. Приблизьте карту, чтобы увидеть все.</Alert>
      )}

      <section className="map-list" aria-labelledby="map-list-title">
        <h2 id="map-list-title">
          В этой части карты: {formatNumber(inView.length)} {plural(inView.length, ['сообщение', 'сообщения', 'сообщений'])}
        </h2>
        {inView.length > 0 && (
          <ul className="map-list__items">
            {listed.map((r) => (
              <li key={r.id} className="map-list__item">
                <Link to={`/map/reports/${r.id}`} className="map-list__link">
                  <span className="map-list__what">{categoryName(r.categoryId)}</span>
                  <span className="map-list__meta">
                    {r.number} · {dateRu(r.at)}
                  </span>
                </Link>
                <Badge kind={r.status === 'solved' ? 'success' : 'warning'}>{STATE_NAMES[r.status]}</Badge>
              </li>
            ))}
          </ul>
        )}
        {inView.length > LIST_MAX && <p className="muted">Показаны {LIST_MAX} самых новых.</p>}
      </section>
    </div>
  );
}

function widen([w, s, e, n]: Bbox): Bbox {
  const dx = (e - w) * 0.25;
  const dy = (n - s) * 0.25;
  return [Math.max(-180, w - dx), Math.max(-90, s - dy), Math.min(180, e + dx), Math.min(90, n + dy)];
}

const contains = (outer: Bbox, inner: Bbox) =>
  inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];

/** `value` once it has not changed for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

const within = (r: Marker, [w, s, e, n]: Bbox) => r.lon >= w && r.lon <= e && r.lat >= s && r.lat <= n;
