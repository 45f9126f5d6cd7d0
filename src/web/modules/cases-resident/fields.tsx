import type { ReactNode, TextareaHTMLAttributes } from 'react';

const describedBy = (id: string, hint: unknown, error: unknown) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

function ErrorLine({ id, error }: { id: string; error?: string | undefined }) {
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field__error">
      <span className="visually-hidden">Ошибка: </span>
      {error}
    </p>
  );
}

/** A multi-line field framed like ui.tsx's TextField (label, hint, the error right above the box). */
export function TextAreaField({
  id,
  label,
  value,
  onValue,
  error,
  hint,
  optional = false,
  ...rest
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'value' | 'onChange'> & {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
}) {
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
        {optional && <span className="field__optional"> (необязательно)</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      <ErrorLine id={id} error={error} />
      <textarea
        id={id}
        className="input textarea"
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        required={!optional}
        {...rest}
      />
    </div>
  );
}

export interface RadioOption {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
}

/** Radio buttons in a fieldset whose legend is the question; each option is a large tap target. */
export function RadioGroup({
  id,
  legend,
  name,
  value,
  options,
  onValue,
  error,
  hint,
}: {
  id: string;
  legend: string;
  name: string;
  value: string;
  options: RadioOption[];
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
}) {
  return (
    <fieldset
      id={id}
      className={`field radios${error ? ' field--error' : ''}`}
      aria-describedby={describedBy(id, hint, error)}
      tabIndex={-1}
    >
      <legend className="field__label">{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      <ErrorLine id={id} error={error} />
      <div className="radios__list">
        {options.map((o) => (
          <label key={o.value} className={`radio${value === o.value ? ' radio--checked' : ''}`}>
            <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onValue(o.value)} />
            <span className="radio__text">
              <span className="radio__label">{o.label}</span>
              {o.hint && <span className="radio__hint">{o.hint}</span>}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
