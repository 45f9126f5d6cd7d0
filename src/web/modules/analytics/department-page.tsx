import { useMemo } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { EmptyState, Loading, QueryError, usePageTitle } from '../../app/ui.tsx';
import { useAdminMunicipalities } from '../tenancy/tenancy.api.ts';
import { drillPage, useExecutors } from './analytics.api.ts';
import { AnalyticsTabs, AsOf, keepParams, PeriodPicker, useAnalyticsParams } from './bits.tsx';
import { Chart } from './chart.tsx';
import { onTimeOption } from './charts.ts';
import { formatCount } from './format.ts';
import { formatPeriod } from './period.ts';
import { hoursText, OnTimeCell, useNarrow } from './tables.tsx';

/** A department head's view (issue 7, item 2): their executors. /staff/analytics/department/:id. */
export function DepartmentAnalyticsPage() {
  const { id } = useParams();
  const departmentId = Number(id);
  const location = useLocation();
  const narrow = useNarrow();
  const [search] = useSearchParams();
  const municipalities = useAdminMunicipalities();
  const asked = Number(search.get('m'));
  const zone =
    (municipalities.data?.find((m) => m.id === asked) ?? municipalities.data?.[0])?.timeZone ??
    (municipalities.isPending ? null : 'Europe/Moscow');
  const { params, preset, custom, range, update } = useAnalyticsParams(zone);
  const answer = useExecutors(Number.isInteger(departmentId) ? departmentId : 0, range?.period ?? null);
  const data = answer.data;
  usePageTitle(data ? `Аналитика: ${data.department.name}` : 'Аналитика подразделения');
  const back = `${location.pathname}${location.search}`;
  const rows = data?.executors ?? [];
  const chart = useMemo(
    () =>
      onTimeOption(
        rows.map((r) => ({ label: r.name, share: r.onTimeShare })),
        narrow ? 120 : 220,
      ),
    [rows, narrow],
  );
  const totals = rows.reduce(
    (t, r) => ({
      assigned: t.assigned + r.assigned,
      answered: t.answered + r.answered,
      onTime: t.onTime + r.onTime,
      late: t.late + r.late,
      overdueNow: t.overdueNow + r.overdueNow,
    }),
    { assigned: 0, answered: 0, onTime: 0, late: 0, overdueNow: 0 },
  );

  return (
    <div className="analytics">
      <div className="page-head">
        <h1>{data ? data.department.name : 'Подразделение'}: исполнители</h1>
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
      {answer.isError && <QueryError error={answer.error} onRetry={() => answer.refetch()} />}
      {answer.isPending && range && <Loading text="Считаем показатели…" />}
      {data && (
        <div className={answer.isPlaceholderData ? 'analytics-stale' : ''}>
          <p className="analytics-lead">
            Дела подразделения, поступившие {formatPeriod(data.period)}, по исполнителю, назначенному сейчас; «Просрочено сейчас»
            — открытые дела исполнителя с истёкшим сроком, когда бы они ни поступили.{' '}
            <Link to={`/staff/analytics${keepParams(params, { m: String(data.department.municipalityId) })}`}>
              Показатели муниципалитета
            </Link>
          </p>
          <AsOf at={data.asOf} />
          {rows.length === 0 ? (
            <EmptyState title="Дел за период нет">
              <p>В подразделение не поступало дел за этот период, и просроченных дел у исполнителей нет.</p>
            </EmptyState>
          ) : (
            <>
              <section className="card analytics-section" aria-labelledby="executors-chart-title">
                <h2 id="executors-chart-title" className="card__title">
                  Доля решённых в срок
                </h2>
                <Chart
                  option={chart}
                  height={Math.max(120, rows.length * (narrow ? 40 : 36) + 40)}
                  label="Доля решённых в срок по исполнителям; числа — в таблице ниже."
                />
              </section>
              <section className="card analytics-section" aria-labelledby="executors-table-title">
                <h2 id="executors-table-title" className="card__title">
                  Исполнители
                </h2>
                <div className="table-scroll">
                  <table className="table analytics-table analytics-executors">
                    <caption className="visually-hidden">Показатели исполнителей подразделения</caption>
                    <thead>
                      <tr>
                        <th scope="col">Исполнитель</th>
                        <th scope="col" className="num">
                          Назначено
                        </th>
                        <th scope="col" className="num">
                          Дан ответ
                        </th>
                        <th scope="col" className="num">
                          Решено в срок
                        </th>
                        <th scope="col" className="num">
                          Просрочено сейчас
                        </th>
                        <th scope="col" className="num">
                          До ответа, раб. ч
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((r) => (
                        <tr key={r.userId ?? 'none'} data-executor={r.userId ?? 'none'}>
                          <th scope="row" data-label="Исполнитель">
                            {r.userId === null ? <span className="muted">{r.name}</span> : r.name}
                          </th>
                          <td data-label="Назначено" className="num">
                            <Link to={drillPage(r.drill, { back })} aria-label={`${formatCount(r.assigned)}: дела — ${r.name}`}>
                              {formatCount(r.assigned)}
                            </Link>
                          </td>
                          <td data-label="Дан ответ" className="num">
                            {formatCount(r.answered)}
                          </td>
                          <td data-label="Решено в срок" className="num">
                            <OnTimeCell onTime={r.onTime} late={r.late} share={r.onTimeShare} />
                          </td>
                          <td data-label="Просрочено сейчас" className="num">
                            {r.overdueNow > 0 ? <strong className="analytics-bad">{formatCount(r.overdueNow)}</strong> : 0}
                          </td>
                          <td data-label="До ответа, раб. ч" className="num">
                            {hoursText(r.resolutionWorkHoursMean)}
                          </td>
                        </tr>
                      ))}
                      <tr className="analytics-total">
                        <th scope="row" data-label="Исполнитель">
                          Всего
                        </th>
                        <td data-label="Назначено" className="num">
                          {formatCount(totals.assigned)}
                        </td>
                        <td data-label="Дан ответ" className="num">
                          {formatCount(totals.answered)}
                        </td>
                        <td data-label="Решено в срок" className="num">
                          <OnTimeCell
                            onTime={totals.onTime}
                            late={totals.late}
                            share={totals.onTime + totals.late > 0 ? totals.onTime / (totals.onTime + totals.late) : null}
                          />
                        </td>
                        <td data-label="Просрочено сейчас" className="num">
                          {formatCount(totals.overdueNow)}
                        </td>
                        <td data-label="До ответа, раб. ч" className="num">
                          —
                        </td>
                      </tr>
                    </tbody>
                  </table>
                </div>
                <details className="analytics-definitions">
                  <summary>Что означают столбцы</summary>
                  <dl>
                    <div>
                      <dt>Назначено</dt>
                      <dd>Дела подразделения, поступившие в периоде, которые сейчас назначены исполнителю.</dd>
                    </div>
                    <div>
                      <dt>Решено в срок</dt>
                      <dd>
                        Доля решённых в срок среди этих дел, чей срок уже решился: ответ, переадресация или закрытие — в срок или
                        с нарушением; открытое дело с истёкшим сроком — с нарушением.
                      </dd>
                    </div>
                    <div>
                      <dt>До ответа, раб. ч</dt>
                      <dd>
                        Среднее время от поступления до ответа в рабочих часах (производственный календарь и график работы).
                      </dd>
                    </div>
                  </dl>
                </details>
              </section>
            </>
          )}
        </div>
      )}
    </div>
  );
}
