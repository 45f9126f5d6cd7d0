import { type ReactNode, useState } from 'react';
import { NavLink } from 'react-router';
import { hasRole, useMe } from '../../app/session.tsx';
import { formatDateTime } from '../../app/ui.tsx';
import { type Highlight, SOURCE_KIND_NAMES, type SourceKind } from './monitoring.api.ts';
import './monitoring.css';

/** Who manages sources (the server's SOURCE_ADMIN_ROLES). */
export const SOURCE_ADMINS = ['municipal_admin', 'regional_admin'] as const;

/** The three pages of the section: the stream, the queries, the sources (administrators). */
export function MonitoringTabs() {
  const { me } = useMe();
  const tab = (to: string, label: string, end = false) => (
    <li>
      <NavLink to={to} end={end} className="mon-tabs__link">
        {label}
      </NavLink>
    </li>
  );
  return (
    <nav className="mon-tabs" aria-label="Мониторинг соцсетей">
      <ul>
        {tab('/staff/monitoring', 'Лента публикаций', true)}
        {tab('/staff/monitoring/queries', 'Запросы')}
        {hasRole(me, SOURCE_ADMINS) && tab('/staff/monitoring/sources', 'Источники')}
      </ul>
    </nav>
  );
}

const KIND_MARKS: Record<SourceKind, string> = { vk: 'VK', telegram: 'TG', rss: 'RSS', webhook: 'API' };

/** The platform as a small coloured mark (decorative) plus its name in words. */
export function SourceKindMark({ kind, withName = true }: { kind: SourceKind; withName?: boolean }) {
  return (
    <span className="mon-kind">
      <span className={`mon-kind__mark mon-kind__mark--${kind}`} aria-hidden="true">
        {KIND_MARKS[kind]}
      </span>
      {withName ? <span>{SOURCE_KIND_NAMES[kind]}</span> : <span className="visually-hidden">{SOURCE_KIND_NAMES[kind]}</span>}
    </span>
  );
}

/** «5 мин назад», «3 ч назад», else the date and time; the exact instant in the title. */
export function Ago({ iso, now = Date.now() }: { iso: string; now?: number }) {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  const text =
    s < 60
      ? 'только что'
      : s < 3600
        ? `${Math.floor(s / 60)} мин назад`
        : s < 86400
          ? `${Math.floor(s / 3600)} ч назад`
          : formatDateTime(iso);
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className="nowrap">
      {text}
    </time>
  );
}

/** A duration in seconds for people: «45 с», «12 мин», «3 ч 5 мин», «2 дн». */
export function duration(s: number): string {
  if (s < 60) return `${s} с`;
  if (s < 3600) return `${Math.round(s / 60)} мин`;
  if (s < 86400) {
    const h = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    return m ? `${h} ч ${m} мин` : `${h} ч`;
  }
  return `${Math.round(s / 86400)} дн`;
}

export interface Mark {
  from: number;
  to: number;
  kind: 'term' | 'place';
  title?: string;
}

export const termMarks = (hs: readonly Highlight[]): Mark[] =>
  hs.map((h) => ({ from: h.from, to: h.to, kind: 'term' as const, title: `по запросу: ${h.term}` }));

/**
 * A post's text with the query's terms marked (<mark>) and the place underlined. The ranges are UTF-16 offsets, as
 * JavaScript slices strings. Plain text: React escapes it, so markup in a post is shown, never run. A very long post
 * is cut with a button for the rest.
 */
export function MarkedText({ text, marks, limit = 1500 }: { text: string; marks: readonly Mark[]; limit?: number }) {
  const [full, setFull] = useState(false);
  const cut = !full && text.length > limit + 200;
  const shown = cut ? text.slice(0, limit) : text;
  const len = shown.length;
  const cuts = new Set<number>([0, len]);
  for (const m of marks) {
    if (m.to <= m.from) continue;
    cuts.add(Math.max(0, Math.min(len, m.from)));
    cuts.add(Math.max(0, Math.min(len, m.to)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const parts: ReactNode[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i]!;
    const to = points[i + 1]!;
    if (to <= from) continue;
    const piece = shown.slice(from, to);
    const term = marks.find((m) => m.kind === 'term' && m.from <= from && m.to >= to);
    const place = marks.find((m) => m.kind === 'place' && m.from <= from && m.to >= to);
    let node: ReactNode = piece;
    if (place) {
      node = (
        <span className="mon-place-mark" title={place.title}>
          {node}
        </span>
      );
    }
    if (term) {
      node = (
        <mark className="mon-mark" title={term.title}>
          {node}
        </mark>
      );
    }
    parts.push(<span key={from}>{node}</span>);
  }
  return (
    <>
      <p className="mon-text">
        {parts}
        {cut && '…'}
      </p>
      {text.length > limit + 200 && (
        <button type="button" className="mon-linkbutton small" onClick={() => setFull((f) => !f)} aria-expanded={full}>
          {full ? 'Свернуть' : `Показать весь текст (${text.length.toLocaleString('ru-RU')} знаков)`}
        </button>
      )}
    </>
  );
}

/** A text area with the same frame as the app's text fields. */
export function TextArea({
  id,
  label,
  value,
  onValue,
  error,
  hint,
  optional,
  rows = 4,
  className,
  mono,
  inputRef,
}: {
  id: string;
  label: string;
  value: string;
  onValue: (v: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  rows?: number;
  className?: string;
  mono?: boolean;
  inputRef?: React.Ref<HTMLTextAreaElement>;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
        {optional && <span className="field__optional"> (необязательно)</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error">
          <span className="visually-hidden">Ошибка: </span>
          {error}
        </p>
      )}
      <textarea
        id={id}
        ref={inputRef}
        className={`input textarea${mono ? ' mon-mono' : ''}`}
        rows={rows}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        required={!optional}
        spellCheck={mono ? false : undefined}
      />
    </div>
  );
}
