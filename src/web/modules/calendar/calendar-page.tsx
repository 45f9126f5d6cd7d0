import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { MONTHS_GENITIVE } from '../../../shared/months.ts';
import { Alert, Badge, formatNumber, Loading, plural, QueryError, SelectField, usePageTitle } from '../../app/ui.tsx';
import { MunicipalityPicker, useSelectedMunicipality } from '../tenancy/municipality-picker.tsx';
import { useAdminMunicipalities } from '../tenancy/tenancy.api.ts';
import {
  type CalendarDay,
  type CalendarSource,
  type DayKind,
  LAST_YEAR,
  type MunicipalCalendar,
  useMunicipalCalendar,
  YEARS,
} from './calendar.api.ts';
import { formatIsoDate, zoneLabel } from './zone.ts';

const MONTHS = [
  'Январь',
  'Февраль',
  'Март',
  'Апрель',
  'Май',
  'Июнь',
  'Июль',
  'Август',
  'Сентябрь',
  'Октябрь',
  'Ноябрь',
  'Декабрь',
];
const WEEKDAYS: ReadonlyArray<readonly [string, string]> = [
  ['Пн', 'понедельник'],
  ['Вт', 'вторник'],
  ['Ср', 'среда'],
  ['Чт', 'четверг'],
  ['Пт', 'пятница'],
  ['Сб', 'суббота'],
  ['Вс', 'воскресенье'],
];

/** How each kind of day is drawn: a colour and, so that colour is not the only cue, a mark and words. */
const KINDS: Record<DayKind, { label: string; legend: string; mark: string }> = {
  workday: { label: 'рабочий день', legend: 'Рабочий день (8\u00a0ч)', mark: '' },
  weekend: { label: 'выходной', legend: 'Выходной (суббота, воскресенье)', mark: '' },
  holiday: { label: 'нерабочий праздничный день', legend: 'Нерабочий праздничный день', mark: '★' },
  transfer: { label: 'выходной (перенос)', legend: 'Выходной по переносу', mark: '↷' },
  working_weekend: { label: 'рабочий день вместо выходного (перенос)', legend: 'Рабочая суббота (перенос)', mark: 'Р' },
  shortened: { label: 'сокращённый рабочий день, 7 часов', legend: 'Сокращённый предпраздничный день (7\u00a0ч)', mark: '7ч' },
  nonworking: { label: 'нерабочий день по указу', legend: 'Нерабочий день по указу Президента', mark: '✕' },
};
const LEGEND_ORDER: DayKind[] = ['workday', 'weekend', 'holiday', 'transfer', 'shortened', 'working_weekend', 'nonworking'];

/** Monday = 0 … Sunday = 6, for a `YYYY-MM-DD` date. */
function weekdayIndex(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

function dayWords(day: CalendarDay): string {
  const [, m, d] = day.date.split('-').map(Number) as [number, number, number];
  const weekday = WEEKDAYS[weekdayIndex(day.date)]?.[1] ?? '';
  const what = KINDS[day.kind]?.label ?? day.kind;
  const hours = day.working && day.kind !== 'shortened' && day.hours !== 8 ? `, ${day.hours} ч` : '';
  return `${d} ${MONTHS_GENITIVE[m - 1]}, ${weekday}: ${what}${hours}${day.note ? `. ${day.note}` : ''}`;
}

function DayCell({ day }: { day: CalendarDay }) {
  const kind = KINDS[day.kind];
  const mark = day.working && day.hours === 7 && day.kind !== 'shortened' ? `${kind?.mark ?? ''} 7ч` : (kind?.mark ?? '');
  const column = weekdayIndex(day.date);
  const tipId = `day-${day.date}-tip`;
  const hasTip = !!day.note;
  // WCAG 1.4.13: a note shown on focus can be dismissed with Escape without moving focus.
  const [dismissed, setDismissed] = useState(false);
  return (
    <td
      className={`cal-day cal-day--${day.kind}${column >= 5 ? ' cal-day--end' : column <= 1 ? ' cal-day--start' : ''}${dismissed ? ' cal-day--quiet' : ''}`}
      data-date={day.date}
      tabIndex={hasTip ? 0 : undefined}
      onKeyDown={hasTip ? (e) => e.key === 'Escape' && setDismissed(true) : undefined}
      onBlur={hasTip ? () => setDismissed(false) : undefined}
      onMouseLeave={hasTip && dismissed ? () => setDismissed(false) : undefined}
    >
      <span className="cal-day__num" aria-hidden="true">
        {Number(day.date.slice(8))}
      </span>
      {mark && (
        <span className="cal-day__mark" aria-hidden="true">
          {mark}
        </span>
      )}
      <span className="visually-hidden">{dayWords(day)}</span>
      {hasTip && (
        <span className="cal-day__tip" id={tipId} aria-hidden="true">
          <strong>
            {formatIsoDate(day.date)} — {kind?.label ?? day.kind}
          </strong>
          <br />
          {day.note}
        </span>
      )}
    </td>
  );
}

function MonthGrid({ year, month, days }: { year: number; month: number; days: CalendarDay[] }) {
  const lead = days[0] ? weekdayIndex(days[0].date) : 0;
  const cells: Array<CalendarDay | null> = [...Array.from({ length: lead }, () => null), ...days];
  while (cells.length % 7) cells.push(null);
  const weeks: Array<Array<CalendarDay | null>> = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  const working = days.filter((d) => d.working);
  const hours = working.reduce((sum, d) => sum + d.hours, 0);
  return (
    <section className="cal-month" aria-labelledby={`month-${month}`}>
      <h3 id={`month-${month}`} className="cal-month__title">
        {MONTHS[month]} {year}
      </h3>
      <table className="cal-grid">
        <caption className="visually-hidden">
          {MONTHS[month]} {year}: {working.length} {plural(working.length, ['рабочий день', 'рабочих дня', 'рабочих дней'])},{' '}
          {hours} {plural(hours, ['час', 'часа', 'часов'])}
        </caption>
        <thead>
          <tr>
            {WEEKDAYS.map(([short, full], i) => (
              <th key={short} scope="col" className={`cal-grid__head${i >= 5 ? ' cal-grid__head--weekend' : ''}`}>
                <span aria-hidden="true">{short}</span>
                <span className="visually-hidden">{full}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week.find((d) => d)?.date}>
              {week.map((d, i) =>
                d ? (
                  <DayCell key={d.date} day={d} />
                ) : (
                  // biome-ignore lint/suspicious/noArrayIndexKey: empty cells before the 1st and after the last day
                  <td key={`empty-${i}`} className="cal-day cal-day--empty" />
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="cal-month__totals" aria-hidden="true">
        {working.length} раб. {plural(working.length, ['день', 'дня', 'дней'])} · {hours} ч
      </p>
    </section>
  );
}

function Legend() {
  return (
    <ul className="cal-legend" aria-label="Условные обозначения">
      {LEGEND_ORDER.map((k) => (
        <li key={k} className="cal-legend__item">
          <span className={`cal-legend__swatch cal-day--${k}`} aria-hidden="true">
            {KINDS[k].mark}
          </span>
          {KINDS[k].legend}
        </li>
      ))}
    </ul>
  );
}

function Sources({ sources }: { sources: CalendarSource[] }) {
  return (
    <section aria-labelledby="cal-sources">
      <h2 id="cal-sources">Источники</h2>
      <ul className="sources">
        {sources.map((s) => (
          <li key={s.title} className="sources__item">
            <span>
              {s.url ? (
                <a href={s.url} rel="noopener noreferrer external">
                  {s.title}
                </a>
              ) : (
                s.title
              )}{' '}
              {s.verified ? <Badge kind="success">проверено</Badge> : <Badge kind="warning">не проверено</Badge>}
            </span>
            {s.note && <span className="sources__note">{s.note}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function SpecialDays({ days }: { days: CalendarDay[] }) {
  const special = days.filter((d) => d.note || (d.kind !== 'workday' && d.kind !== 'weekend'));
  if (!special.length) return null;
  return (
    <details className="disclosure cal-special">
      <summary>Праздники, переносы и сокращённые дни списком ({special.length})</summary>
      <ul className="cal-special__list">
        {special.map((d) => (
          <li key={d.date} className="cal-special__item">
            <span className={`cal-legend__swatch cal-day--${d.kind}`} aria-hidden="true">
              {KINDS[d.kind]?.mark}
            </span>
            <span>
              <strong>{formatIsoDate(d.date)}</strong>, {WEEKDAYS[weekdayIndex(d.date)]?.[1]} — {KINDS[d.kind]?.label ?? d.kind}
              {d.note ? `: ${d.note}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}

function YearView({ calendar }: { calendar: MunicipalCalendar }) {
  const months = Array.from({ length: 12 }, (_, m) => calendar.days.filter((d) => Number(d.date.slice(5, 7)) === m + 1));
  const daysOff = calendar.days.filter((d) => !d.working).length;
  return (
    <>
      {calendar.provisional && (
        <Alert kind="warning" title="Предварительный календарь">
          <p>
            Календарь на {calendar.year} год ещё не утверждён окончательно: переносы выходных могут измениться. Сроки,
            рассчитанные по нему, отмечаются как предварительные и будут пересчитаны после публикации поправки.
          </p>
        </Alert>
      )}
      <ul className="stats stats--three" aria-label={`Итоги ${calendar.year} года`}>
        <li className="stat">
          <span className="stat__value">{formatNumber(calendar.totals.workingDays)}</span>
          <span className="stat__label">рабочих дней</span>
        </li>
        <li className="stat">
          <span className="stat__value">{formatNumber(calendar.totals.workingHours)}</span>
          <span className="stat__label">рабочих часов</span>
          <span className="stat__note">при 40-часовой неделе</span>
        </li>
        <li className="stat">
          <span className="stat__value">{formatNumber(daysOff)}</span>
          <span className="stat__label">нерабочих дней</span>
        </li>
      </ul>
      <p className="muted">
        Часовой пояс муниципалитета: {zoneLabel(calendar.timeZone)}
        {calendar.region ? ` · региональные праздники: ${calendar.region}` : ''}. Дни с пометкой можно выбрать (Tab или касанием),
        чтобы прочитать пояснение.
      </p>
      <Legend />
      <div className="cal-months">
        {months.map((days, m) => (
          <MonthGrid key={MONTHS[m]} year={calendar.year} month={m} days={days} />
        ))}
      </div>
      <SpecialDays days={calendar.days} />
      <Sources sources={calendar.sources} />
    </>
  );
}

function defaultYear(): number {
  const now = new Date().getFullYear();
  return Math.min(Math.max(now, YEARS[0] ?? now), LAST_YEAR);
}

export function CalendarPage() {
  usePageTitle('Производственный календарь');
  const municipalities = useAdminMunicipalities();
  const items = municipalities.data;
  const [selected, select] = useSelectedMunicipality(items);
  const municipalityId = typeof selected === 'number' ? selected : null;
  const [params, setParams] = useSearchParams();
  const rawYear = Number(params.get('year'));
  const year = YEARS.includes(rawYear) ? rawYear : defaultYear();
  const calendar = useMunicipalCalendar(year, municipalityId);

  return (
    <>
      <h1>Производственный календарь</h1>
      <p className="lead">
        Рабочие, выходные и праздничные дни, по которым считаются сроки ответов: с переносами выходных и сокращёнными
        предпраздничными днями.
      </p>
      {municipalities.isPending && <Loading />}
      {municipalities.isError && <QueryError error={municipalities.error} onRetry={() => municipalities.refetch()} />}
      {items && items.length === 0 && (
        <Alert kind="warning">
          <p>За вами не закреплён ни один муниципалитет.</p>
        </Alert>
      )}
      {items && items.length > 0 && (
        <div className="toolbar">
          <MunicipalityPicker id="cal-municipality" items={items} selected={selected} onSelect={select} />
          <SelectField
            id="cal-year"
            label="Год"
            value={String(year)}
            onValue={(v) =>
              setParams(
                (p) => {
                  const next = new URLSearchParams(p);
                  next.set('year', v);
                  return next;
                },
                { replace: true },
              )
            }
            fieldClassName="toolbar__narrow"
          >
            {YEARS.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </SelectField>
        </div>
      )}
      {municipalityId !== null && (
        <>
          {calendar.isPending && <Loading text="Загружаем календарь…" />}
          {calendar.isError && <QueryError error={calendar.error} onRetry={() => calendar.refetch()} />}
          {calendar.data && <YearView calendar={calendar.data} />}
        </>
      )}
    </>
  );
}
