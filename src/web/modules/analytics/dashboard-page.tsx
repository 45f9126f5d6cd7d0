import { useMemo, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useMe } from '../../app/session.tsx';
import { EmptyState, Loading, plural, QueryError, usePageTitle } from '../../app/ui.tsx';
import { formatDue } from '../cases-staff/case-bits.tsx';
import { type BreakdownRow, drillPage, type Figure, type FigureKey, type Summary, useSummary } from './analytics.api.ts';
import {
  About,
  AnalyticsTabs,
  AsOf,
  ChangeText,
  FigureTile,
  keepParams,
  MunicipalitySelect,
  mayOpenCases,
  PeriodPicker,
  useAnalyticsMunicipality,
  useAnalyticsParams,
} from './bits.tsx';
import { Chart } from './chart.tsx';
import { breakdownOption, onTimeOption, trendOption } from './charts.ts';
import { ExportLinks } from './exports.tsx';
import { formatCount, formatValue } from './format.ts';
import { formatMonth, formatPeriod } from './period.ts';
import { BreakdownTable, shareText, useNarrow } from './tables.tsx';

/** The tiles at the top, in this order; every other figure is in the table «Все показатели». */
const KEY_FIGURES: FigureKey[] = [
  'received',
  'answered',
  'onTimeShare',
  'overdueNow',
  'reactionHoursMedian',
  'resolutionWorkHoursMean',
  'satisfaction',
  'reopenRate',
];

const DIMENSIONS = [
  { key: 'byChannel', title: 'Каналы', dimension: 'Канал' },
  { key: 'byCategory', title: 'Рубрики', dimension: 'Рубрика' },
  { key: 'byRegime', title: 'Порядок', dimension: 'Порядок рассмотрения' },
  { key: 'byDistrict', title: 'Районы', dimension: 'Район' },
] as const;
type DimensionKey = (typeof DIMENSIONS)[number]['key'];

/** The head of a municipality's dashboard (issue 7, item 2): /staff/analytics. */
export function AnalyticsDashboardPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const { me } = useMe();
  const municipality = useAnalyticsMunicipality();
  const zone = municipality.chosen?.timeZone ?? null;
  const { params, preset, custom, range, update } = useAnalyticsParams(zone);
  const summary = useSummary(
    municipality.chosen?.id ?? null,
    range?.period ?? null,
    range ? { compareFrom: range.compare.from, compareTo: range.compare.to } : {},
  );
  usePageTitle(municipality.chosen ? `Аналитика: ${municipality.chosen.shortName}` : 'Аналитика');
  const back = `${location.pathname}${location.search}`;

  if (municipality.loading) return <Loading />;
  if (municipality.error) return <QueryError error={municipality.error} />;
  if (!municipality.chosen) {
    return (
      <>
        <h1>Аналитика</h1>
        <EmptyState title="Нет муниципалитета">
          <p>Показатели видят руководители и администраторы муниципалитета. У вашей роли нет муниципалитета.</p>
        </EmptyState>
      </>
    );
  }
  const data = summary.data;
  return (
    <div className="analytics">
      <div className="page-head">
        <h1>Аналитика: {municipality.chosen.shortName}</h1>
        {data && <ExportLinks summary={data} slug={municipality.chosen.slug} />}
      </div>
      <AnalyticsTabs params={params} />
      <section className="card analytics-filters" aria-label="Период и муниципалитет">
        <MunicipalitySelect list={municipality.list} chosen={municipality.chosen} onChoose={(id) => update({ m: String(id) })} />
        <PeriodPicker
          preset={preset}
          custom={custom}
          range={range}
          onPreset={(p) => update({ period: p, ...(p === 'custom' ? {} : { from: null, to: null }) })}
          onCustom={(from, to) => update({ period: 'custom', from, to })}
        />
      </section>

      {summary.isError && <QueryError error={summary.error} onRetry={() => summary.refetch()} />}
      {summary.isPending && range && <Loading text="Считаем показатели…" />}
      {data && (
        <div className={summary.isPlaceholderData ? 'analytics-stale' : ''} aria-busy={summary.isFetching}>
          <SummaryView
            data={data}
            back={back}
            mayOpen={mayOpenCases(me)}
            onMunicipalityDepartment={(id) => navigate(`/staff/analytics/department/${id}${keepParams(params)}`)}
            departmentLink={(id) => `/staff/analytics/department/${id}${keepParams(params)}`}
          />
        </div>
      )}
    </div>
  );
}

function SummaryView({
  data,
  back,
  mayOpen,
  departmentLink,
  onMunicipalityDepartment,
}: {
  data: Summary;
  back: string;
  mayOpen: boolean;
  departmentLink: (id: string) => string;
  onMunicipalityDepartment: (id: string) => void;
}) {
  const narrow = useNarrow();
  const before = useMemo(() => new Map(data.compare.figures.map((f) => [f.key, f])), [data.compare.figures]);
  const byKey = useMemo(() => new Map(data.figures.map((f) => [f.key, f])), [data.figures]);
  const compareText = formatPeriod(data.compare.period);
  const tiles = KEY_FIGURES.map((k) => byKey.get(k)).filter((f): f is Figure => !!f);
  const trend = useMemo(() => trendOption(data.trend, narrow), [data.trend, narrow]);
  const ranked = data.byDepartment;
  const departmentsChart = useMemo(
    () =>
      onTimeOption(
        ranked.map((r) => ({ label: r.label, share: r.onTimeShare })),
        narrow ? 120 : 240,
      ),
    [ranked, narrow],
  );

  return (
    <>
      <p className="analytics-lead">Показатели — по делам, поступившим за период; «было» — за {compareText}.</p>
      <AsOf at={data.asOf} />

      <section aria-labelledby="analytics-key-title">
        <h2 id="analytics-key-title" className="visually-hidden">
          Основные показатели
        </h2>
        <div className="figure-tiles">
          {tiles.map((f) => (
            <FigureTile key={f.key} figure={f} before={before.get(f.key)} back={back} compareText="было" />
          ))}
        </div>
      </section>

      <section className="card analytics-section" aria-labelledby="analytics-trend-title">
        <h2 id="analytics-trend-title" className="card__title">
          Динамика за 12 месяцев
        </h2>
        <p className="muted small">
          По месяцу поступления: сколько поступило и по скольким из них сейчас дан ответ; линия — доля решённых в срок.
        </p>
        <Chart
          option={trend}
          height={narrow ? 260 : 320}
          label={`Динамика за 12 месяцев: поступило и дан ответ по месяцам, доля решённых в срок. Числа — в таблице «Таблица по месяцам».`}
          className="analytics-chart--trend"
        />
        <details className="analytics-details">
          <summary>Таблица по месяцам</summary>
          <div className="table-scroll">
            <table className="table analytics-table">
              <caption className="visually-hidden">Поступило, дан ответ и доля решённых в срок по месяцам</caption>
              <thead>
                <tr>
                  <th scope="col">Месяц</th>
                  <th scope="col" className="num">
                    Поступило
                  </th>
                  <th scope="col" className="num">
                    Дан ответ
                  </th>
                  <th scope="col" className="num">
                    Решено в срок
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.trend.map((p) => (
                  <tr key={p.month}>
                    <th scope="row" data-label="Месяц">
                      {formatMonth(p.month, true)}
                    </th>
                    <td data-label="Поступило" className="num">
                      {formatCount(p.received)}
                    </td>
                    <td data-label="Дан ответ" className="num">
                      {formatCount(p.answered)}
                    </td>
                    <td data-label="Решено в срок" className="num">
                      {shareText(p.onTimeShare)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>

      <section className="card analytics-section" aria-labelledby="analytics-departments-title">
        <h2 id="analytics-departments-title" className="card__title">
          Подразделения по доле решённых в срок
        </h2>
        <p className="muted small">
          Сначала — с наименьшей долей решённых в срок; красным — ниже 90 %. Щелчок по строке графика открывает исполнителей
          подразделения.
        </p>
        {ranked.length === 0 ? (
          <p className="muted">За период дел не поступало.</p>
        ) : (
          <>
            <Chart
              option={departmentsChart}
              height={Math.max(120, ranked.length * (narrow ? 40 : 36) + 40)}
              label="Доля решённых в срок по подразделениям; числа — в таблице ниже."
              onPick={(i) => {
                const r = ranked[i];
                if (r && r.key !== 'none') onMunicipalityDepartment(r.key);
              }}
            />
            <BreakdownTable
              rows={ranked}
              caption="Подразделения по доле решённых в срок"
              dimension="Подразделение"
              back={back}
              rowLink={(r) =>
                r.key === 'none' ? null : (
                  <Link to={departmentLink(r.key)} className="table__sub">
                    Исполнители<span className="visually-hidden"> подразделения «{r.label}»</span>
                  </Link>
                )
              }
            />
          </>
        )}
      </section>

      <Breakdowns data={data} back={back} narrow={narrow} />

      <OverdueList data={data} back={back} mayOpen={mayOpen} />

      <AllFigures data={data} before={before} back={back} compareText={compareText} />
    </>
  );
}

/** By channel, category, regime and district: one at a time, chosen by tabs. */
function Breakdowns({ data, back, narrow }: { data: Summary; back: string; narrow: boolean }) {
  const [shown, setShown] = useState<DimensionKey>('byChannel');
  const dim = DIMENSIONS.find((d) => d.key === shown) ?? DIMENSIONS[0];
  const rows: BreakdownRow[] = data[shown];
  const top = rows.slice(0, 12);
  const option = useMemo(() => breakdownOption(top, narrow ? 110 : 220), [top, narrow]);
  return (
    <section className="card analytics-section" aria-labelledby="analytics-breakdown-title">
      <h2 id="analytics-breakdown-title" className="card__title">
        В разрезе
      </h2>
      <fieldset className="analytics-switch">
        <legend className="visually-hidden">Разрез</legend>
        {DIMENSIONS.map((d) => (
          <button
            key={d.key}
            type="button"
            className={`button button--small${d.key === shown ? '' : ' button--secondary'}`}
            aria-pressed={d.key === shown}
            onClick={() => setShown(d.key)}
          >
            {d.title}
          </button>
        ))}
      </fieldset>
      {rows.length === 0 ? (
        <p className="muted">За период дел не поступало.</p>
      ) : (
        <>
          <Chart
            key={shown}
            option={option}
            height={Math.max(140, top.length * (narrow ? 44 : 40) + 48)}
            label={`${dim.title}: поступило и дан ответ; числа — в таблице ниже.`}
          />
          {rows.length > top.length && <p className="muted small">На графике — 12 самых частых; в таблице — все.</p>}
          <BreakdownTable rows={rows} caption={`Показатели по разрезу «${dim.title}»`} dimension={dim.dimension} back={back} />
        </>
      )}
    </section>
  );
}

function OverdueList({ data, back, mayOpen }: { data: Summary; back: string; mayOpen: boolean }) {
  const figure = data.figures.find((f) => f.key === 'overdueNow');
  const total = figure?.value ?? data.overdueNow.length;
  const zone = data.municipality.timeZone;
  const now = Date.now();
  return (
    <section className="card analytics-section" aria-labelledby="analytics-overdue-title">
      <h2 id="analytics-overdue-title" className="card__title">
        Просрочено сейчас: {formatCount(total)}
      </h2>
      {data.overdueNow.length === 0 ? (
        <p className="muted">Просроченных дел нет.</p>
      ) : (
        <>
          <p className="muted small">
            Открытые дела с истёкшим сроком, сначала самые давние.
            {total > data.overdueNow.length && ` Показаны первые ${data.overdueNow.length}.`}
          </p>
          <div className="table-scroll">
            <table className="table analytics-table analytics-overdue">
              <caption className="visually-hidden">Просроченные сейчас дела</caption>
              <thead>
                <tr>
                  <th scope="col">Номер</th>
                  <th scope="col">Срок истёк</th>
                  <th scope="col">Подразделение</th>
                  <th scope="col">Исполнитель</th>
                </tr>
              </thead>
              <tbody>
                {data.overdueNow.map((c) => {
                  const days = Math.floor((now - Date.parse(c.dueAt)) / 86_400_000);
                  return (
                    <tr key={c.caseId}>
                      <th scope="row" data-label="Номер">
                        {mayOpen ? <Link to={`/staff/cases/${c.caseId}`}>{c.number}</Link> : c.number}
                      </th>
                      <td data-label="Срок истёк">
                        <span className="nowrap">{formatDue(c.dueAt, zone)}</span>
                        <span className="table__sub analytics-bad">
                          {days < 1
                            ? 'меньше суток назад'
                            : `${formatCount(days)} ${plural(days, ['день', 'дня', 'дней'])} назад`}
                        </span>
                      </td>
                      <td data-label="Подразделение">{c.department ?? <span className="muted">не направлено</span>}</td>
                      <td data-label="Исполнитель">{c.executor ?? <span className="muted">не назначен</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {figure && (
            <p>
              <Link to={drillPage(figure.drill, { back })}>Все просроченные дела списком</Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** Every figure with its definition, the comparison and the cases behind it. */
function AllFigures({
  data,
  before,
  back,
  compareText,
}: {
  data: Summary;
  before: Map<FigureKey, Figure>;
  back: string;
  compareText: string;
}) {
  return (
    <section className="card analytics-section" aria-labelledby="analytics-all-title">
      <h2 id="analytics-all-title" className="card__title">
        Все показатели
      </h2>
      <p className="muted small">
        Времена — в календарных и в рабочих часах (по производственному календарю и графику работы); ⓘ — что считается.
      </p>
      <div className="table-scroll">
        <table className="table analytics-table analytics-all">
          <caption className="visually-hidden">Все показатели за период</caption>
          <thead>
            <tr>
              <th scope="col">Показатель</th>
              <th scope="col" className="num">
                Значение
              </th>
              <th scope="col" className="num">
                {compareText}
              </th>
              <th scope="col">Изменение</th>
              <th scope="col">Дела</th>
            </tr>
          </thead>
          <tbody>
            {data.figures.map((f) => {
              const b = before.get(f.key);
              return (
                <tr key={f.key} data-figure={f.key}>
                  <th scope="row" data-label="Показатель">
                    <span className="analytics-all__label">
                      {f.label}
                      <About label={f.label}>
                        <p>{f.definition}</p>
                      </About>
                    </span>
                  </th>
                  <td data-label="Значение" className="num">
                    {formatValue(f.value, f.unit)}
                  </td>
                  <td data-label={compareText} className="num">
                    {b && f.key !== 'overdueNow' ? formatValue(b.value, b.unit) : '—'}
                  </td>
                  <td data-label="Изменение">
                    <ChangeText figure={f} before={b} short />
                  </td>
                  <td data-label="Дела">
                    <Link to={drillPage(f.drill, { back })}>
                      {formatCount(f.base)}
                      <span className="visually-hidden"> — дела показателя «{f.label}»</span>
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
