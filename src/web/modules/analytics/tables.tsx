import { type ReactNode, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { type BreakdownRow, drillPage } from './analytics.api.ts';
import { formatCount, formatHours, formatShare } from './format.ts';

/** Narrow screens (the phone layout's breakpoint): shorter chart labels, smaller charts. */
export function useNarrow(): boolean {
  const query = '(max-width: 719px)';
  const [narrow, setNarrow] = useState(() => typeof window !== 'undefined' && window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const on = () => setNarrow(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return narrow;
}

export const shareText = (v: number | null) => (v === null ? '—' : formatShare(v));
export const hoursText = (v: number | null) => (v === null ? '—' : formatHours(v));

/** On time of decided: «83,3 %» with «5 из 6» under it. */
export function OnTimeCell({ onTime, late, share }: { onTime: number; late: number; share: number | null }) {
  return (
    <>
      {shareText(share)}
      {onTime + late > 0 && (
        <span className="table__sub">
          {formatCount(onTime)} из {formatCount(onTime + late)}
        </span>
      )}
    </>
  );
}

/**
 * A breakdown (by channel, category, department, district, regime) as a table: each row's received count drills
 * down to its cases; `extra` adds a last cell (the department's executors).
 */
export function BreakdownTable({
  rows,
  caption,
  dimension,
  back,
  rowLink,
}: {
  rows: BreakdownRow[];
  caption: string;
  dimension: string;
  back: string;
  /** A link under the row's name (the department's executors). */
  rowLink?: (row: BreakdownRow) => ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className="table analytics-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{dimension}</th>
            <th scope="col" className="num">
              Поступило
            </th>
            <th scope="col" className="num">
              Дан ответ
            </th>
            <th scope="col" className="num">
              Решено в срок
            </th>
            <th scope="col" className="num">
              Просрочено
            </th>
            <th scope="col" className="num">
              До ответа, раб. ч
            </th>
            <th scope="col" className="num">
              Удовлетворённость
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-key={r.key}>
              <th scope="row" data-label={dimension}>
                {r.label}
                {rowLink?.(r)}
              </th>
              <td data-label="Поступило" className="num">
                <Link to={drillPage(r.drill, { back })} aria-label={`${formatCount(r.received)}: дела «${r.label}»`}>
                  {formatCount(r.received)}
                </Link>
              </td>
              <td data-label="Дан ответ" className="num">
                {formatCount(r.answered)}
              </td>
              <td data-label="Решено в срок" className="num">
                <OnTimeCell onTime={r.onTime} late={r.late} share={r.onTimeShare} />
              </td>
              <td data-label="Просрочено" className="num">
                {r.overdue > 0 ? <strong className="analytics-bad">{formatCount(r.overdue)}</strong> : 0}
              </td>
              <td data-label="До ответа, раб. ч" className="num">
                {hoursText(r.resolutionWorkHoursMean)}
              </td>
              <td data-label="Удовлетворённость" className="num">
                {shareText(r.satisfaction)}
                {r.rated > 0 && <span className="table__sub">оценок: {formatCount(r.rated)}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export type SortDir = 'asc' | 'desc';

/** A column heading that sorts the table (aria-sort tells screen readers the order). */
export function SortHeader({
  label,
  column,
  sort,
  onSort,
  className,
}: {
  label: string;
  column: string;
  sort: { column: string; dir: SortDir };
  onSort: (column: string) => void;
  className?: string;
}) {
  const active = sort.column === column;
  return (
    <th scope="col" className={className} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="analytics-sort" onClick={() => onSort(column)}>
        {label}
        <span aria-hidden="true" className="analytics-sort__mark">
          {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
