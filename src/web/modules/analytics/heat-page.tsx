import { useId, useMemo, useState } from 'react';
import { EmptyState, Loading, plural, QueryError, usePageTitle } from '../../app/ui.tsx';
import { useCategories } from '../cases-staff/cases-staff.api.ts';
import { useBoundaries, useMapConfig } from '../map/map.api.ts';
import { useHeat } from './analytics.api.ts';
import { AnalyticsTabs, MunicipalitySelect, PeriodPicker, useAnalyticsMunicipality, useAnalyticsParams } from './bits.tsx';
import { formatCount } from './format.ts';
import { HeatMap } from './heat-map.tsx';
import { classColor, heatClasses } from './heat-scale.ts';
import { formatPeriod } from './period.ts';

const TOP_CELLS = 10;

const coord = (x: number) => x.toLocaleString('ru-RU', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

/** The heat map of problems (issue 7, item 3): /staff/analytics/heat — cases with a point, by category and period. */
export function HeatPage() {
  usePageTitle('Карта проблем');
  const categoryFieldId = useId();
  const municipality = useAnalyticsMunicipality();
  const zone = municipality.chosen?.timeZone ?? null;
  const { params, preset, custom, range, update } = useAnalyticsParams(zone);
  const categoryParam = Number(params.get('category'));
  const categoryId = Number.isInteger(categoryParam) && categoryParam > 0 ? categoryParam : null;
  const municipalityId = municipality.chosen?.id ?? null;
  const categories = useCategories(municipalityId);
  const config = useMapConfig();
  const boundaries = useBoundaries(municipalityId ?? undefined);
  const heat = useHeat(municipalityId, range?.period ?? null, categoryId);
  const data = heat.data;
  const classes = useMemo(() => heatClasses(data?.points.reduce((m, p) => Math.max(m, p[2]), 0) ?? 0), [data]);
  const top = useMemo(() => [...(data?.points ?? [])].sort((a, b) => b[2] - a[2]).slice(0, TOP_CELLS), [data]);
  const [fitSignal, setFitSignal] = useState(0);
  // A cell is a square in degrees: on the ground as tall as 1° of latitude makes, narrower by cos(latitude).
  const cellSize = useMemo(() => {
    if (!data || data.points.length === 0) return null;
    const lat = data.points.reduce((s, p) => s + p[0], 0) / data.points.length;
    const metres = (deg: number) => Math.round((deg * 111_320) / 10) * 10;
    return { tall: metres(data.cellDegrees), wide: metres(data.cellDegrees * Math.cos((lat * Math.PI) / 180)) };
  }, [data]);

  if (municipality.loading) return <Loading />;
  if (municipality.error) return <QueryError error={municipality.error} />;
  if (!municipality.chosen) {
    return (
      <>
        <h1>Карта проблем</h1>
        <EmptyState title="Нет муниципалитета">
          <p>Карту видят руководители и администраторы муниципалитета.</p>
        </EmptyState>
      </>
    );
  }
  return (
    <div className="analytics">
      <div className="page-head">
        <h1>Карта проблем: {municipality.chosen.shortName}</h1>
      </div>
      <AnalyticsTabs params={params} />
      <section className="card analytics-filters" aria-label="Период, муниципалитет и рубрика">
        <div className="analytics-filters__row">
          <MunicipalitySelect
            list={municipality.list}
            chosen={municipality.chosen}
            onChoose={(id) => update({ m: String(id), category: null })}
          />
          <div className="field analytics-municipality">
            <label htmlFor={categoryFieldId} className="field__label">
              Рубрика
            </label>
            <select
              id={categoryFieldId}
              className="input select"
              value={categoryId ?? ''}
              onChange={(e) => update({ category: e.target.value })}
            >
              <option value="">Все рубрики</option>
              {categories.data?.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <PeriodPicker
          preset={preset}
          custom={custom}
          range={range}
          compared={false}
          onPreset={(p) => update({ period: p, ...(p === 'custom' ? {} : { from: null, to: null }) })}
          onCustom={(from, to) => update({ period: 'custom', from, to })}
        />
      </section>

      {heat.isError && <QueryError error={heat.error} onRetry={() => heat.refetch()} />}
      <p className="analytics-lead" aria-live="polite">
        {data && range ? (
          <>
            <strong data-heat-total={data.total}>
              {formatCount(data.total)} {plural(data.total, ['дело', 'дела', 'дел'])}
            </strong>{' '}
            с точкой на карте, поступивших {formatPeriod(range.period)}
            {cellSize && (
              <>
                {' '}
                · ячейка сетки ≈ {formatCount(cellSize.tall)} × {formatCount(cellSize.wide)} м
              </>
            )}
          </>
        ) : (
          range && 'Загружаем…'
        )}
      </p>
      {data && data.total > 0 && (
        <div className="actions analytics-heat__actions">
          <button type="button" className="button button--small button--secondary" onClick={() => setFitSignal((n) => n + 1)}>
            Приблизить к делам на карте
          </button>
          <span className="muted small">Мелкие ячейки видны кружками: чем больше дел, тем крупнее и темнее.</span>
        </div>
      )}
      <div className="map-frame analytics-heat">
        <HeatMap
          heat={data}
          tileUrl={config.data?.tileUrl ?? null}
          attribution={config.data?.attribution ?? null}
          boundaries={boundaries.data}
          fitSignal={fitSignal}
          label="Карта проблем: ячейки тем темнее, чем больше в них дел"
        />
        <div className="map-legend analytics-heat__legend">
          <span className="analytics-heat__legend-title">Дел в ячейке:</span>
          {classes.length === 0 && <span className="muted">нет</span>}
          <ul className="analytics-heat__classes">
            {classes.map((upper, i) => {
              const lower = i === 0 ? 1 : (classes[i - 1] as number) + 1;
              const { fill, stroke } = classColor(i, classes.length);
              return (
                <li key={upper} className="map-legend__item">
                  <span className="analytics-heat__swatch" style={{ background: fill, borderColor: stroke }} aria-hidden="true" />
                  {lower === upper ? formatCount(upper) : `${formatCount(lower)}–${formatCount(upper)}`}
                </li>
              );
            })}
          </ul>
          {!config.data?.tileUrl && <span className="map-legend__note">без подложки</span>}
        </div>
      </div>

      {data && top.length > 0 && (
        <section className="card analytics-section" aria-labelledby="heat-top-title">
          <h2 id="heat-top-title" className="card__title">
            Ячейки, где больше всего дел
          </h2>
          <div className="table-scroll">
            <table className="table analytics-table">
              <caption className="visually-hidden">Ячейки карты с наибольшим числом дел</caption>
              <thead>
                <tr>
                  <th scope="col">Центр ячейки (широта, долгота)</th>
                  <th scope="col" className="num">
                    Дел
                  </th>
                </tr>
              </thead>
              <tbody>
                {top.map(([lat, lon, count]) => (
                  <tr key={`${lat},${lon}`}>
                    <th scope="row" data-label="Центр ячейки">
                      {coord(lat)}, {coord(lon)}
                    </th>
                    <td data-label="Дел" className="num">
                      {formatCount(count)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {data && data.total === 0 && (
        <EmptyState icon="map" title="На карте пусто">
          <p>За этот период{categoryId ? ' в этой рубрике' : ''} не поступало дел с отмеченным местом.</p>
        </EmptyState>
      )}
    </div>
  );
}
