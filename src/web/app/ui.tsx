import {
  type ChangeEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type RefObject,
  type SelectHTMLAttributes,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { errorMessage, fieldErrors } from './errors-ru.ts';

/** Sets the browser tab title; every page calls it so screen-reader users hear where they are. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} — Отклик` : 'Отклик — обратная связь с администрацией';
  }, [title]);
}

interface FieldFrameProps {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  children: ReactNode;
  className?: string;
}

function FieldFrame({ id, label, error, hint, optional, children, className }: FieldFrameProps) {
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
      {children}
    </div>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'> & {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  fieldClassName?: string;
};

export function TextField({ id, label, value, onValue, error, hint, optional, fieldClassName, ...rest }: InputProps) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} optional={optional ?? false} className={fieldClassName}>
      <input
        id={id}
        className="input"
        value={value}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        required={!optional}
        {...rest}
      />
    </FieldFrame>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'onChange' | 'value'> & {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  children: ReactNode;
  fieldClassName?: string;
};

export function SelectField({
  id,
  label,
  value,
  onValue,
  error,
  hint,
  optional,
  children,
  fieldClassName,
  ...rest
}: SelectProps) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} optional={optional ?? false} className={fieldClassName}>
      <select
        id={id}
        className="input select"
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      >
        {children}
      </select>
    </FieldFrame>
  );
}

export function CheckboxField({
  id,
  label,
  checked,
  onChecked,
  error,
  hint,
  optional = false,
  disabled = false,
}: {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  error?: string | undefined;
  hint?: ReactNode;
  /** Adds «(необязательно)» to the label, as the text fields do. */
  optional?: boolean;
  disabled?: boolean;
}) {
  return (
    <div className={`field field--checkbox${error ? ' field--error' : ''}`}>
      {error && (
        <p id={`${id}-error`} className="field__error">
          <span className="visually-hidden">Ошибка: </span>
          {error}
        </p>
      )}
      <div className="checkbox">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(e) => onChecked(e.target.checked)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          disabled={disabled}
        />
        <label htmlFor={id}>
          {label}
          {optional && <span className="field__optional"> (необязательно)</span>}
        </label>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="field__hint field__hint--after">
          {hint}
        </p>
      )}
    </div>
  );
}

/**
 * Form errors: per-field hints from the server's `details`, plus one message for the form. After a failed
 * submit the summary above the form takes focus, with links to each field (the GOV.UK error-summary pattern).
 */
export function useFormErrors(idPrefix: string, fields: readonly string[], fieldOf?: (path: string) => string) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  const fromError = useCallback(
    (error: unknown) => {
      const { fields: f, rest } = fieldErrors(error, fields, fieldOf);
      setErrors(f);
      const base = errorMessage(error);
      setMessage(rest.length ? `${base} ${rest.join(' ')}` : base);
      setAttempt((n) => n + 1);
    },
    [fields, fieldOf],
  );

  const show = useCallback((f: Record<string, string>, text: string) => {
    setErrors(f);
    setMessage(text);
    setAttempt((n) => n + 1);
  }, []);

  const clear = useCallback(() => {
    setErrors({});
    setMessage(null);
  }, []);

  return { errors, message, fromError, show, clear, summaryRef, idPrefix };
}

export function ErrorSummary({ form, labels }: { form: ReturnType<typeof useFormErrors>; labels: Record<string, string> }) {
  const entries = Object.entries(form.errors);
  if (!form.message && entries.length === 0) return null;
  return (
    <div className="alert alert--error" role="alert" tabIndex={-1} ref={form.summaryRef as RefObject<HTMLDivElement>}>
      <p className="alert__title">{entries.length ? 'Исправьте ошибки в форме' : 'Не получилось'}</p>
      {form.message && !entries.length && <p>{form.message}</p>}
      {entries.length > 0 && (
        <ul className="alert__list">
          {entries.map(([field, text]) => (
            <li key={field}>
              <a
                href={`#${form.idPrefix}-${field}`}
                onClick={(e) => {
                  e.preventDefault();
                  const el = document.getElementById(`${form.idPrefix}-${field}`);
                  el?.focus();
                  el?.scrollIntoView({ block: 'center' });
                }}
              >
                {labels[field] ?? field}: {text}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Alert({
  kind,
  title,
  children,
}: {
  kind: 'error' | 'success' | 'info' | 'warning';
  title?: string;
  children?: ReactNode;
}) {
  return (
    <div className={`alert alert--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {title && <p className="alert__title">{title}</p>}
      {children}
    </div>
  );
}

/** The buttons under a filter form: apply (submit) and reset to the defaults. */
export function FilterActions({ onReset }: { onReset: () => void }) {
  return (
    <div className="actions form__wide">
      <button type="submit" className="button">
        Показать
      </button>
      <button type="button" className="button button--secondary" onClick={onReset}>
        Сбросить
      </button>
    </div>
  );
}

export function Loading({ text = 'Загрузка…' }: { text?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {text}
    </p>
  );
}

export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="alert alert--error" role="alert">
      <p className="alert__title">Не удалось загрузить данные</p>
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" className="button button--secondary button--small" onClick={onRetry}>
          Повторить
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children, icon = 'inbox' }: { title: string; children?: ReactNode; icon?: IconName }) {
  return (
    <div className="empty">
      <Icon name={icon} className="empty__icon" />
      <p className="empty__title">{title}</p>
      {children && <div className="empty__text">{children}</div>}
    </div>
  );
}

export function Badge({
  kind = 'neutral',
  children,
}: {
  kind?: 'neutral' | 'success' | 'warning' | 'danger' | 'info';
  children: ReactNode;
}) {
  return <span className={`badge badge--${kind}`}>{children}</span>;
}

export type IconName =
  | 'inbox'
  | 'map'
  | 'vote'
  | 'people'
  | 'mail'
  | 'user'
  | 'building'
  | 'tools'
  | 'clock'
  | 'list'
  | 'shield'
  | 'trophy'
  | 'chat'
  | 'lock'
  | 'check'
  | 'pin'
  | 'queue'
  | 'calendar'
  | 'sliders';

const ICON_PATHS: Record<IconName, string> = {
  inbox: 'M4 13h4l2 3h4l2-3h4M5 5h14l1 8v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1v-5z',
  map: 'M9 4 3 6v14l6-2 6 2 6-2V4l-6 2-6-2zm0 0v14m6-12v14',
  vote: 'M4 11h16v9H4zM8 11V4h8v7M9.5 7.5l1.8 1.8L14.5 6M8 15h8',
  people:
    'M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm8 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2 20c0-3 3-5 6-5s6 2 6 5m0-4.5c1-.4 1.5-.5 2-.5 3 0 6 2 6 5',
  mail: 'M3 6h18v12H3zM3 6l9 7 9-7',
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6',
  building: 'M4 21V5l8-3 8 3v16M4 21h16M9 9h1m4 0h1M9 13h1m4 0h1M10 21v-4h4v4',
  tools: 'M14 6a4 4 0 0 0 5 5l-9 9a2 2 0 0 1-3-3l9-9a4 4 0 0 0-2-2z',
  clock: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zm0-14v5l3 2',
  list: 'M9 6h11M9 12h11M9 18h11M4 6h.01M4 12h.01M4 18h.01',
  shield: 'M12 3 4 6v6c0 5 3.5 8 8 9 4.5-1 8-4 8-9V6z',
  trophy: 'M8 4h8v5a4 4 0 0 1-8 0zM8 6H4a3 3 0 0 0 4 4m8-4h4a3 3 0 0 1-4 4M12 13v4m-4 3h8',
  chat: 'M4 5h16v11H9l-5 4z',
  lock: 'M6 11h12v10H6zM8 11V7a4 4 0 0 1 8 0v4',
  check: 'm5 12 5 5 9-10',
  pin: 'M12 21s-7-6.5-7-12a7 7 0 0 1 14 0c0 5.5-7 12-7 12zm0-9a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
  queue: 'M12 3 3 7.5 12 12l9-4.5zM3 12l9 4.5 9-4.5M3 16.5l9 4.5 9-4.5',
  calendar: 'M4 6h16v14H4zM4 10h16M8 3v5m8-5v5M8 14h2m4 0h2m-8 3h2',
  sliders: 'M4 7h10m4 0h2M4 17h4m4 0h8M16 5v4M10 15v4',
};

/** Line icons drawn inline: decorative, so hidden from screen readers. */
export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg
      className={`icon${className ? ` ${className}` : ''}`}
      viewBox="0 0 24 24"
      width="24"
      height="24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={ICON_PATHS[name]} />
    </svg>
  );
}

/** Russian plural forms: plural(5, ['житель', 'жителя', 'жителей']) → «жителей». */
export function plural(n: number, forms: readonly [string, string, string]): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return forms[0];
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
  return forms[2];
}

const numberFormat = new Intl.NumberFormat('ru-RU');
export const formatNumber = (n: number) => numberFormat.format(n);

const dateFormat = new Intl.DateTimeFormat('ru-RU', { dateStyle: 'short' });
const timeFormat = new Intl.DateTimeFormat('ru-RU', { timeStyle: 'medium' });
export const formatDate = (iso: string) => dateFormat.format(new Date(iso));
export const formatTime = (iso: string) => timeFormat.format(new Date(iso));
const shortTimeFormat = new Intl.DateTimeFormat('ru-RU', { timeStyle: 'short' });
/** «25.11.2026 в 14:05». */
export const formatDateTime = (iso: string) => `${formatDate(iso)} в ${shortTimeFormat.format(new Date(iso))}`;

/** A success message after an action; it takes focus so keyboard users land on the result. */
export function Notice({ text, onClose }: { text: string | null; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (text) ref.current?.focus();
  }, [text]);
  if (!text) return null;
  return (
    <div className="alert alert--success notice" role="status" tabIndex={-1} ref={ref}>
      <Icon name="check" />
      <p className="notice__text">{text}</p>
      <button type="button" className="notice__close" onClick={onClose} aria-label="Закрыть сообщение">
        ×
      </button>
    </div>
  );
}
