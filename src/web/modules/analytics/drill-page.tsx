import { Link, useSearchParams } from 'react-router';
import { safeNext } from '../../app/guards.tsx';
import { useMe } from '../../app/session.tsx';
import { Badge, EmptyState, Loading, plural, QueryError, usePageTitle } from '../../app/ui.tsx';
import { formatDue, StatusBadge } from '../cases-staff/case-bits.tsx';
import { CHANNEL_NAMES, nameOf, REGIME_NAMES, useCategories } from '../cases-staff/cases-staff.api.ts';
import { useAdminMunicipalities, useDepartments } from '../tenancy/tenancy.api.ts';
import { type DrillItem, useDrill } from './analytics.api.ts';
import { mayOpenCases } from './bits.tsx';
import { formatCount, formatHours } from './format.ts';
import { formatPeriod } from './period.ts';

/** The query keys the drill-down route takes (DrillQuery); anything else in the address is the page's own. */
const DRILL_KEYS = [
  'municipalityId',
  'figure',
  'from',
  'to',
  'channel',
  'regime',
  'categoryId',
  'departmentId',
  'districtId',
  'executorId',
  'only',
];

function Decided({ item }: { item: DrillItem }) {
  if (item.overdue) return <Badge kind="danger">Просрочено</Badge>;
  if (item.late === true) return <Badge kind="warning">С нарушением срока</Badge>;
  if (item.late === false) return <Badge kind="success">В срок</Badge>;
  return <span className="muted">срок не истёк</span>;
}

/**
 * The cases behind a figure (issue 7: every figure drills down): /staff/analytics/drill with the drill URL's query.
 * The count at the top is the route's total, which equals the figure for a count (its base for a share or a time).
 */
export function DrillPage() {
  const [params] = useSearchParams();
  const { me } = useMe();
  const query = new URLSearchParams();
  for (const k of DRILL_KEYS) {
    const v = params.get(k);
    if (v !== null) query.set(k, v);
  }
  const drill = useDrill(query.toString());
  const municipalityId = Number(params.get('municipalityId')) || null;
  const municipalities = useAdminMunicipalities();
  const zone = municipalities.data?.find((m) => m.id === municipalityId)?.timeZone ?? null;
  const categories = useCategories(params.has('categoryId') ? municipalityId : null);
  const departments = useDepartments(params.has('departmentId') ? municipalityId : null);
  const first = drill.data?.pages[0];
  usePageTitle(first ? `Дела: ${first.label}` : 'Дела за показателем');
  const back = safeNext(params.get('back')) ?? '/staff/analytics';
  const items = drill.data?.pages.flatMap((p) => p.items) ?? [];
  const open = mayOpenCases(me);

  const filters: string[] = [];
  const channel = params.get('channel');
  if (channel) filters.push(`канал: ${nameOf(CHANNEL_NAMES, channel)}`);
  const regime = params.get('regime');
  if (regime) filters.push(`порядок: ${nameOf(REGIME_NAMES, regime)}`);
  const categoryId = params.get('categoryId');
  if (categoryId !== null) {
    filters.push(
      categoryId === '0'
        ? 'без рубрики'
        : `рубрика: ${categories.data?.find((c) => String(c.id) === categoryId)?.name ?? `№ ${categoryId}`}`,
    );
  }
  const departmentId = params.get('departmentId');
  if (departmentId !== null) {
    filters.push(
      departmentId === '0'
        ? 'без подразделения'
        : `подразделение: ${departments.data?.find((d) => String(d.id) === departmentId)?.name ?? `№ ${departmentId}`}`,
    );
  }
  const districtId = params.get('districtId');
  if (districtId !== null) filters.push(districtId === '0' ? 'вне районов' : 'один район');
  const executorId = params.get('executorId');
  if (executorId !== null) filters.push(executorId === '0' ? 'без исполнителя' : 'один исполнитель');
  if (params.get('only') === 'numerator') filters.push('только числитель доли');
  const from = params.get('from');
  const to = params.get('to');

  return (
    <div className="analytics">
      <p className="breadcrumbs">
        <Link to={back}>← К показателям</Link>
      </p>
      <h1>{first ? `Дела: ${first.label}` : 'Дела за показателем'}</h1>
      <p className="analytics-lead">
        {from && to && params.get('figure') !== 'overdueNow' && <>Поступившие {formatPeriod({ from, to })}</>}
        {params.get('figure') === 'overdueNow' && <>Открытые сейчас дела с истёкшим сроком</>}
        {filters.length > 0 && <> · {filters.join(' · ')}</>}
      </p>
      {drill.isError && <QueryError error={drill.error} onRetry={() => drill.refetch()} />}
      {drill.isPending && <Loading />}
      {first && (
        <p className="analytics-drill__total" data-total={first.total}>
          Найдено: <strong>{formatCount(first.total)}</strong> {plural(first.total, ['дело', 'дела', 'дел'])}
        </p>
      )}
      {first && first.total === 0 && <EmptyState title="Дел нет" />}
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="table analytics-table analytics-drill">
            <caption className="visually-hidden">Дела за показателем</caption>
            <thead>
              <tr>
                <th scope="col">Номер</th>
                <th scope="col">Статус</th>
                <th scope="col">Поступило, ответ</th>
                <th scope="col">Срок</th>
                <th scope="col" className="num">
                  Часы
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-case={c.id}>
                  <th scope="row" data-label="Номер">
                    {open ? (
                      <Link to={`/staff/cases/${c.id}`} className="nowrap">
                        {c.number}
                      </Link>
                    ) : (
                      <span className="nowrap">{c.number}</span>
                    )}
                    <span className="table__sub">
                      {nameOf(CHANNEL_NAMES, c.channel)} · {nameOf(REGIME_NAMES, c.regime)}
                    </span>
                  </th>
                  <td data-label="Статус">
                    <StatusBadge status={c.status} />
                    {(c.reopened || c.redirected || c.rating !== null) && (
                      <span className="table__sub">
                        {[
                          c.reopened && 'возобновлялось',
                          c.redirected && 'переадресовано',
                          c.rating !== null && `оценка ${c.rating}`,
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </span>
                    )}
                  </td>
                  <td data-label="Поступило, ответ">
                    <span className="nowrap">{formatDue(c.receivedAt, zone)}</span>
                    <span className="table__sub nowrap">
                      {c.answeredAt
                        ? `ответ ${formatDue(c.answeredAt, zone)}`
                        : c.dueAt
                          ? `срок ${formatDue(c.dueAt, zone)}`
                          : 'без срока'}
                    </span>
                  </td>
                  <td data-label="Срок">
                    <Decided item={c} />
                  </td>
                  <td data-label="Часы" className="num">
                    <span className="nowrap">реакция {c.reactionHours === null ? '—' : formatHours(c.reactionHours)}</span>
                    <span className="table__sub nowrap">
                      ответ {c.resolutionHours === null ? '—' : formatHours(c.resolutionHours)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {drill.hasNextPage && (
        <div className="actions">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => drill.fetchNextPage()}
            disabled={drill.isFetchingNextPage}
          >
            {drill.isFetchingNextPage ? 'Загружаем…' : 'Показать ещё'}
          </button>
        </div>
      )}
    </div>
  );
}
