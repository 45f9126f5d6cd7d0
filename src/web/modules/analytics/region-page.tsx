import { useId, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { EmptyState, Loading, QueryError, usePageTitle } from '../../app/ui.tsx';
import { useAdminMunicipalities } from '../tenancy/tenancy.api.ts';
import { drillPage, type Figure, type FigureKey, type RegionMunicipality, useRegion } from './analytics.api.ts';
import { AnalyticsTabs, AsOf, keepParams, PeriodPicker, useAnalyticsParams } from './bits.tsx';
import { Chart } from './chart.tsx';
import { onTimeOption } from './charts.ts';
import { formatCount, formatValue } from './format.ts';
import { formatPeriod } from './period.ts';
import { type SortDir, SortHeader, useNarrow } from './tables.tsx';

/** The region's columns, in order; each is a figure of RegionOut (the server's REGION_FIGURES). */
const COLUMNS: Array<{ key: FigureKey; title: string }> = [
  { key: 'received', title: 'Поступило' },
  { key: 'answered', title: 'Дан ответ' },
  { key: 'onTimeShare', title: 'Решено в срок' },
  { key: 'overdueNow', title: 'Просро\u00adчено сейчас' },
  { key: 'resolutionWorkHoursMean', title: 'До ответа, раб. ч' },
  { key: 'satisfaction', title: 'Удовлетво\u00adрённость' },
];

/** Received per 10,000 residents: municipalities of different sizes side by side. */
const PER_10K = 'per10k';

const figureOf = (m: RegionMunicipality, key: FigureKey): Figure | undefined => m.figures.find((f) => f.key === key);

function sortValue(m: RegionMunicipality, column: string): number | string | null {
  if (column === 'name') return m.name;
  if (column === 'population') return m.population;
  if (column === PER_10K) {
    const received = figureOf(m, 'received')?.value ?? null;
    return received === null || !m.population ? null : (received / m.population) * 10_000;
  }
  return figureOf(m, column as FigureKey)?.value ?? null;
}

/** The region dashboard (issue 7, item 2): municipalities side by side. /staff/analytics/region, regional roles. */
export function RegionPage() {
  usePageTitle('Аналитика: регион');
  const location = useLocation();
  const navigate = useNavigate();
  const narrow = useNarrow();
  const municipalities = useAdminMunicipalities();
  // The region's municipalities share a zone in practice; the first one's gives «today».
  const zone = municipalities.data?.[0]?.timeZone ?? (municipalities.isPending ? null : 'Europe/Moscow');
  const { params, preset, custom, range, update } = useAnalyticsParams(zone);
  const region = useRegion(range?.period ?? null);
  const [sort, setSort] = useState<{ column: string; dir: SortDir }>({ column: 'onTimeShare', dir: 'desc' });
  const sortFieldId = useId();
  const back = `${location.pathname}${location.search}`;

  const rows = useMemo(() => {
    const list = [...(region.data?.municipalities ?? [])];
    const sign = sort.dir === 'asc' ? 1 : -1;
    return list.sort((a, b) => {
      const x = sortValue(a, sort.column);
      const y = sortValue(b, sort.column);
      // No value (nothing decided, no population) goes last whichever the direction.
      if (x === null || y === null) return x === y ? a.name.localeCompare(b.name, 'ru') : x === null ? 1 : -1;
      const c = typeof x === 'string' ? x.localeCompare(String(y), 'ru') : x - (y as number);
      return c !== 0 ? sign * c : a.name.localeCompare(b.name, 'ru');
    });
  }, [region.data, sort]);
  const onSort = (column: string) =>
    setSort((s) => ({
      column,
      dir: s.column === column ? (s.dir === 'asc' ? 'desc' : 'asc') : column === 'name' ? 'asc' : 'desc',
    }));
  const dashboardOf = (id: number) => `/staff/analytics${keepParams(params, { m: String(id) })}`;
  const chart = useMemo(
    () =>
      onTimeOption(
        rows.map((m) => ({ label: m.shortName, share: figureOf(m, 'onTimeShare')?.value ?? null })),
        narrow ? 110 : 200,
      ),
    [rows, narrow],
  );
  const definitions = (rows[0]?.figures ?? []).filter((f) => COLUMNS.some((c) => c.key === f.key));

  return (
    <div className="analytics">
      <div className="page-head">
        <h1>Аналитика: муниципалитеты региона</h1>
      </div>
      <AnalyticsTabs params={params} />
      <section className="card analytics-filters" aria-label="Период">
        <PeriodPicker
          preset={preset}
          custom={custom}
          range={range}
          compared={false}
          onPreset={(p) => update({ period: p, ...(p === 'custom' ? {} : { from: null, to: null }) })}
          onCustom={(from, to) => update({ period: 'custom', from, to })}
        />
      </section>
      {region.isError && <QueryError error={region.error} onRetry={() => region.refetch()} />}
      {region.isPending && range && <Loading text="Считаем показатели…" />}
      {region.data && rows.length === 0 && <EmptyState title="В регионе нет муниципалитетов" />}
      {region.data && rows.length > 0 && (
        <div className={region.isPlaceholderData ? 'analytics-stale' : ''}>
          <p className="analytics-lead">
            Дела, поступившие {formatPeriod(region.data)}, — каждый муниципалитет в своём часовом поясе.
          </p>
          <AsOf at={region.data.asOf} />
          <section className="card analytics-section" aria-labelledby="region-chart-title">
            <h2 id="region-chart-title" className="card__title">
              Доля решённых в срок
            </h2>
            <p className="muted small">
              В порядке таблицы; красным — ниже 90 %. Щелчок по строке открывает показатели муниципалитета.
            </p>
            <Chart
              option={chart}
              height={Math.max(120, rows.length * (narrow ? 40 : 36) + 40)}
              label="Доля решённых в срок по муниципалитетам; числа — в таблице ниже."
              onPick={(i) => {
                const m = rows[i];
                if (m) navigate(dashboardOf(m.id));
              }}
            />
          </section>
          <section className="card analytics-section" aria-labelledby="region-table-title">
            <h2 id="region-table-title" className="card__title">
              Муниципалитеты рядом
            </h2>
            <p className="muted small analytics-sort-hint">Нажмите на заголовок столбца, чтобы упорядочить по нему.</p>
            {/* On a phone the table is a list of cards without headings: the order is chosen here. */}
            <div className="field analytics-sort-select">
              <label htmlFor={sortFieldId} className="field__label">
                Упорядочить
              </label>
              <select
                id={sortFieldId}
                className="input select"
                value={`${sort.column}:${sort.dir}`}
                onChange={(e) => {
                  const [column, dir] = e.target.value.split(':') as [string, SortDir];
                  setSort({ column, dir });
                }}
              >
                <option value="name:asc">по названию</option>
                {[
                  { key: 'received', title: 'Поступило' },
                  { key: PER_10K, title: 'На 10 тыс. жителей' },
                  ...COLUMNS.slice(1),
                ].map((c) => (
                  <option
                    key={c.key}
                    value={`${c.key}:${c.key === 'overdueNow' || c.key === 'resolutionWorkHoursMean' ? 'asc' : 'desc'}`}
                  >
                    {c.title.replace('\u00ad', '')}:{' '}
                    {c.key === 'overdueNow' || c.key === 'resolutionWorkHoursMean' ? 'меньше сначала' : 'больше сначала'}
                  </option>
                ))}
              </select>
            </div>
            <div className="table-scroll">
              <table className="table analytics-table analytics-region">
                <caption className="visually-hidden">Показатели муниципалитетов региона</caption>
                <thead>
                  <tr>
                    <SortHeader label="Муниципалитет" column="name" sort={sort} onSort={onSort} />
                    {COLUMNS.slice(0, 1).map((c) => (
                      <SortHeader key={c.key} label={c.title} column={c.key} sort={sort} onSort={onSort} className="num" />
                    ))}
                    <SortHeader label="На 10 тыс. жителей" column={PER_10K} sort={sort} onSort={onSort} className="num" />
                    {COLUMNS.slice(1).map((c) => (
                      <SortHeader key={c.key} label={c.title} column={c.key} sort={sort} onSort={onSort} className="num" />
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((m) => {
                    const per10k = sortValue(m, PER_10K) as number | null;
                    const cell = (c: { key: FigureKey; title: string }) => {
                      const f = figureOf(m, c.key);
                      return (
                        <td key={c.key} data-label={c.title} className="num" data-figure={c.key}>
                          {f ? (
                            f.unit === 'count' ? (
                              <Link to={drillPage(f.drill, { back })}>{formatValue(f.value, f.unit)}</Link>
                            ) : (
                              formatValue(f.value, f.unit)
                            )
                          ) : (
                            '—'
                          )}
                        </td>
                      );
                    };
                    return (
                      <tr key={m.id} data-municipality={m.id}>
                        <th scope="row" data-label="Муниципалитет">
                          <Link to={dashboardOf(m.id)} title={m.name}>
                            {m.shortName}
                          </Link>
                          {m.population !== null && <span className="table__sub">{formatCount(m.population)} жит.</span>}
                        </th>
                        {COLUMNS.slice(0, 1).map(cell)}
                        <td data-label="На 10 тыс. жителей" className="num">
                          {per10k === null ? '—' : per10k.toLocaleString('ru-RU', { maximumFractionDigits: 1 })}
                        </td>
                        {COLUMNS.slice(1).map(cell)}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
          {definitions.length > 0 && (
            <details className="card analytics-section analytics-definitions">
              <summary>Что означают показатели</summary>
              <dl>
                {definitions.map((f) => (
                  <div key={f.key}>
                    <dt>{f.label}</dt>
                    <dd>{f.definition}</dd>
                  </div>
                ))}
                <div>
                  <dt>На 10 тыс. жителей</dt>
                  <dd>
                    Поступило за период в расчёте на 10 000 жителей муниципалитета (по численности населения в справочнике).
                  </dd>
                </div>
              </dl>
            </details>
          )}
        </div>
      )}
    </div>
  );
}
