import './analytics.css';
import { type FormEvent, type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import { Link, NavLink, useSearchParams } from 'react-router';
import { hasRole, isRegional, useMe } from '../../app/session.tsx';
import { plural } from '../../app/ui.tsx';
import type { Me } from '../accounts/accounts.api.ts';
import { localDateInput } from '../calendar/zone.ts';
import { type Municipality, useAdminMunicipalities } from '../tenancy/tenancy.api.ts';
import { drillPage, type Figure } from './analytics.api.ts';
import { changeOf, formatValue, NOW_FIGURES, UNIT_NOTES } from './format.ts';
import { formatPeriod, PRESET_NAMES, PRESETS, type Preset, type Range, rangeOf } from './period.ts';

// What the analytics pages share: the period and municipality kept in the address, the period picker, the tabs
// between the dashboards, and a figure's tile with its definition and drill-down.

/** Who sees a municipality's dashboard, as the server's MUNICIPAL_ANALYTICS_ROLES. */
export const MUNICIPAL_VIEWERS = ['head', 'municipal_admin', 'regional_admin', 'commission_member'] as const;
/** Who opens case cards (the server's case readers): the others see case numbers without links. */
const CASE_READERS = ['operator', 'executor', 'head', 'moderator', 'municipal_admin', 'regional_admin'] as const;

export const mayOpenCases = (me: Me | null | undefined) => hasRole(me, CASE_READERS);

/** The departments a person heads (a head's grant for one department). */
export function headedDepartments(me: Me | null | undefined) {
  return (me?.roles ?? []).filter((g) => g.role === 'head' && g.departmentId !== null);
}

/**
 * The period (`period`, and `from`/`to` for a custom one) and the municipality (`m`) in the address, so a reload,
 * the back button or a shared link shows the same figures. Today is the municipality's local date.
 */
export function useAnalyticsParams(zone: string | null) {
  const [params, setParams] = useSearchParams();
  const asked = params.get('period') as Preset | null;
  const preset: Preset = asked && PRESETS.includes(asked) ? asked : 'month';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const today = zone ? localDateInput(Date.now(), zone) : null;
  const range: Range | null = useMemo(() => (today ? rangeOf(preset, today, { from, to }) : null), [preset, today, from, to]);
  const update = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next);
  };
  return { params, preset, custom: { from, to }, range, today, update };
}

/** The address's period and municipality, to carry over to another analytics page. */
export function keepParams(params: URLSearchParams, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const k of ['m', 'period', 'from', 'to']) {
    const v = params.get(k);
    if (v) q.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * The municipalities whose figures the person may see (a regional role: all; otherwise where they are a head or an
 * administrator) and the one chosen in the address (`m`), else the first.
 */
export function useAnalyticsMunicipality() {
  const [params] = useSearchParams();
  const { me } = useMe();
  const all = useAdminMunicipalities(!!me?.isStaff);
  const list = useMemo(() => {
    const items = all.data ?? [];
    if (isRegional(me)) return items;
    const own = new Set(
      (me?.roles ?? []).filter((g) => g.role === 'head' || g.role === 'municipal_admin').map((g) => g.municipalityId),
    );
    return items.filter((m) => own.has(m.id));
  }, [all.data, me]);
  const asked = Number(params.get('m'));
  const chosen: Municipality | null = list.find((m) => m.id === asked) ?? list[0] ?? null;
  return { list, chosen, loading: all.isPending, error: all.error };
}

/** The analytics pages as tabs: the municipality, its heat map, the region, one's own department. */
export function AnalyticsTabs({ params }: { params: URLSearchParams }) {
  const { me } = useMe();
  const regional = isRegional(me);
  const departments = headedDepartments(me);
  const keep = keepParams(params);
  const tab = (to: string, label: string, end = true) => (
    <li>
      <NavLink to={`${to}${keep}`} end={end} className="analytics-tabs__link">
        {label}
      </NavLink>
    </li>
  );
  return (
    <nav className="analytics-tabs" aria-label="Разделы аналитики">
      <ul className="analytics-tabs__list">
        {tab('/staff/analytics', 'Муниципалитет')}
        {tab('/staff/analytics/heat', 'Карта проблем')}
        {departments.map((g) =>
          tab(
            `/staff/analytics/department/${g.departmentId}`,
            departments.length > 1 ? (g.departmentName ?? 'Подразделение') : 'Моё подразделение',
          ),
        )}
        {regional && tab('/staff/analytics/region', 'Регион')}
      </ul>
    </nav>
  );
}

/** Period presets as a row of choices; a custom period takes two dates. */
export function PeriodPicker({
  preset,
  custom,
  range,
  onPreset,
  onCustom,
  compared = true,
}: {
  preset: Preset;
  custom: { from: string; to: string };
  range: Range | null;
  onPreset: (p: Preset) => void;
  onCustom: (from: string, to: string) => void;
  /** Whether the figures are set against a comparison period (the region's and executors' are not). */
  compared?: boolean;
}) {
  const id = useId();
  const [draft, setDraft] = useState(custom);
  const [error, setError] = useState<string | null>(null);
  const { from: shownFrom, to: shownTo } = custom;
  // The address changed (back, a link): the form follows it.
  useEffect(() => setDraft({ from: shownFrom, to: shownTo }), [shownFrom, shownTo]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.from || !draft.to) return setError('Укажите обе даты.');
    if (draft.to < draft.from) return setError('Период заканчивается раньше, чем начинается.');
    setError(null);
    onCustom(draft.from, draft.to);
  };
  return (
    <div className="analytics-period">
      <fieldset className="analytics-period__presets">
        <legend className="analytics-period__legend">Период</legend>
        {PRESETS.map((p) => (
          <label key={p} className={`analytics-period__choice${preset === p ? ' analytics-period__choice--on' : ''}`}>
            <input
              type="radio"
              name={`${id}-period`}
              value={p}
              checked={preset === p}
              onChange={() => onPreset(p)}
              className="visually-hidden"
            />
            {PRESET_NAMES[p]}
          </label>
        ))}
      </fieldset>
      {preset === 'custom' && (
        <form className="analytics-period__custom" onSubmit={submit} noValidate>
          <label className="analytics-period__date">
            <span>С</span>
            <input
              type="date"
              className="input"
              value={draft.from}
              onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))}
              aria-label="Первый день периода"
            />
          </label>
          <label className="analytics-period__date">
            <span>по</span>
            <input
              type="date"
              className="input"
              value={draft.to}
              onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))}
              aria-label="Последний день периода"
            />
          </label>
          <button type="submit" className="button button--small">
            Показать
          </button>
          {error && (
            <p className="field__error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
      {range ? (
        <p className="analytics-period__text">
          <strong>{formatPeriod(range.period)}</strong>
          {compared && <> · в сравнении с {formatPeriod(range.compare)}</>}
        </p>
      ) : (
        preset === 'custom' && <p className="analytics-period__text muted">Выберите первый и последний день периода.</p>
      )}
    </div>
  );
}

/** A select of municipalities, when there is more than one to choose from. */
export function MunicipalitySelect({
  list,
  chosen,
  onChoose,
}: {
  list: Municipality[];
  chosen: Municipality | null;
  onChoose: (id: number) => void;
}) {
  const id = useId();
  if (list.length < 2) return null;
  return (
    <div className="field analytics-municipality">
      <label htmlFor={id} className="field__label">
        Муниципалитет
      </label>
      <select id={id} className="input select" value={chosen?.id ?? ''} onChange={(e) => onChoose(Number(e.target.value))}>
        {list.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** ⓘ drawn, not a character: not every system font has U+24D8. */
function InfoIcon() {
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false" className="analytics-about__icon">
      <circle cx="10" cy="10" r="8.2" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <circle cx="10" cy="6.2" r="1.15" fill="currentColor" />
      <path d="M10 9v5.6" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" />
    </svg>
  );
}

/** The ⓘ button that opens a definition (its panel is AboutText, wherever it goes). */
function AboutButton({
  open,
  onToggle,
  controls,
  label,
}: {
  open: boolean;
  onToggle: () => void;
  controls: string;
  label: string;
}) {
  return (
    <button
      type="button"
      className="analytics-about"
      aria-expanded={open}
      aria-controls={controls}
      onClick={onToggle}
      title="Что считается"
    >
      <InfoIcon />
      <span className="visually-hidden">Что означает «{label}»</span>
    </button>
  );
}

function AboutText({ id, open, children }: { id: string; open: boolean; children: ReactNode }) {
  return (
    <div id={id} className="analytics-about__text" hidden={!open}>
      {children}
    </div>
  );
}

/**
 * ⓘ: a figure's definition, opened on demand right next to it (a disclosure button; the text follows it and takes
 * a line of its own in a wrapping row).
 */
export function About({ children, label }: { children: ReactNode; label: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <AboutButton open={open} onToggle={() => setOpen((o) => !o)} controls={id} label={label} />
      <AboutText id={id} open={open}>
        {children}
      </AboutText>
    </>
  );
}

const ARROWS = { up: '▲', down: '▼', same: '=' } as const;

/** A figure's change against the comparison period: an arrow, the amount, and colour by meaning (fewer overdue is good). */
export function ChangeText({ figure, before, short = false }: { figure: Figure; before: Figure | undefined; short?: boolean }) {
  if (NOW_FIGURES.has(figure.key)) {
    return <span className="analytics-change analytics-change--now">{short ? 'сейчас' : 'на текущий момент'}</span>;
  }
  const change = before ? changeOf(figure.key, figure.unit, figure.value, before.value) : null;
  if (!change) {
    return (
      <span className="analytics-change analytics-change--none">
        {short ? (
          <>
            <span aria-hidden="true">—</span>
            <span className="visually-hidden">не с чем сравнить</span>
          </>
        ) : (
          'не с чем сравнить'
        )}
      </span>
    );
  }
  return (
    <span className={`analytics-change analytics-change--${change.tone}`}>
      <span aria-hidden="true" className="analytics-change__arrow">
        {ARROWS[change.direction]}
      </span>{' '}
      {change.text}
      <span className="visually-hidden"> ({change.words})</span>
    </span>
  );
}

/** A key figure: its value, the change, its definition (ⓘ) and a link to the cases behind it. */
export function FigureTile({
  figure,
  before,
  back,
  compareText,
}: {
  figure: Figure;
  before: Figure | undefined;
  /** The dashboard's address, for the drill-down's «назад». */
  back: string;
  compareText: string;
}) {
  const headingId = useId();
  const aboutId = useId();
  const [open, setOpen] = useState(false);
  const note = UNIT_NOTES[figure.unit];
  return (
    <article className="figure-tile" data-figure={figure.key} aria-labelledby={headingId}>
      <div className="figure-tile__head">
        <h3 id={headingId} className="figure-tile__label">
          {figure.label}
        </h3>
        <AboutButton open={open} onToggle={() => setOpen((o) => !o)} controls={aboutId} label={figure.label} />
      </div>
      <p className="figure-tile__value">
        {formatValue(figure.value, figure.unit)}
        {note && figure.value !== null && <span className="figure-tile__unit">{note}</span>}
      </p>
      <p className="figure-tile__change">
        <ChangeText figure={figure} before={before} />
        {!NOW_FIGURES.has(figure.key) && before && (
          <span className="figure-tile__was">
            {compareText}: {formatValue(before.value, before.unit)}
          </span>
        )}
      </p>
      <AboutText id={aboutId} open={open}>
        <p>{figure.definition}</p>
        {figure.unit !== 'count' && (
          <p className="muted">
            {figure.unit === 'share'
              ? `Доля от ${formatValue(figure.base, 'count')} ${plural(figure.base, ['дела', 'дел', 'дел'])}.`
              : `Измерено: ${formatValue(figure.base, 'count')} ${plural(figure.base, ['дело', 'дела', 'дел'])}.`}
          </p>
        )}
      </AboutText>
      <Link className="figure-tile__drill" to={drillPage(figure.drill, { back })}>
        {figure.base > 0 ? `Дела: ${formatValue(figure.base, 'count')}` : 'Дел нет'}
        <span className="visually-hidden"> — показатель «{figure.label}»</span>
      </Link>
    </article>
  );
}

/** «Данные на 25.11.2026 14:05». */
export function AsOf({ at }: { at: string }) {
  const d = new Date(at);
  const text = new Intl.DateTimeFormat('ru-RU', { dateStyle: 'short', timeStyle: 'short' }).format(d);
  return <p className="analytics-asof muted small">Данные на {text}</p>;
}
