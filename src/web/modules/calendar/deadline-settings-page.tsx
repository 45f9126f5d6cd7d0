import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  Alert,
  ErrorSummary,
  Loading,
  Notice,
  QueryError,
  SelectField,
  TextField,
  useFormErrors,
  usePageTitle,
} from '../../app/ui.tsx';
import { MunicipalityPicker, useManagedMunicipalities, useSelectedMunicipality } from '../tenancy/municipality-picker.tsx';
import {
  calendarKeys,
  type DeadlineSettings,
  KIND_NAMES,
  type LastDayPolicy,
  LEGAL_RULES,
  type MunicipalDeadlineSettings,
  periodText,
  type Regime,
  saveDeadlineSettings,
  useDeadlineSettings,
} from './calendar.api.ts';

const POLICIES: Array<[LastDayPolicy | '', string]> = [
  ['', 'По умолчанию: на предшествующий рабочий день'],
  ['previous_working_day', 'На предшествующий рабочий день'],
  ['next_working_day', 'На следующий рабочий день'],
  ['none', 'Не переносить (срок истекает в выходной)'],
];

const TITLES: Record<Regime, string> = {
  appeal: 'Обращения граждан (59-ФЗ)',
  message: 'Сообщения (платформа обратной связи)',
  incident: 'Инциденты',
};

/** Which kinds a regime's form sets an internal control period for. */
const CONTROLLED: Record<Regime, string[]> = {
  appeal: LEGAL_RULES.appeal.map((r) => r.kind),
  message: ['answer'],
  incident: [],
};

interface CategoryRow {
  key: number;
  code: string;
  period: string;
}

interface Draft {
  policy: LastDayPolicy | '';
  internal: Record<string, string>;
  defaultPeriod: string;
  categories: CategoryRow[];
  incidentClock: 'clock' | 'working' | '';
}

let rowKey = 0;

/**
 * One period setting as a row: what it is and the law's period on the left, a short number field with its unit on
 * the right. The unit is part of the field's name for screen readers.
 */
function PeriodField({
  id,
  label,
  unit,
  hint,
  value,
  onValue,
  error,
}: {
  id: string;
  label: string;
  unit: string;
  hint: string;
  value: string;
  onValue: (v: string) => void;
  error?: string | undefined;
}) {
  return (
    <div className={`field period-row${error ? ' field--error' : ''}`}>
      <div className="period-row__text">
        <label htmlFor={id} className="field__label">
          {label}
          <span className="visually-hidden">, {unit}</span>
        </label>
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
        {error && (
          <p id={`${id}-error`} className="field__error">
            <span className="visually-hidden">Ошибка: </span>
            {error}
          </p>
        )}
      </div>
      <div className="period-row__value">
        <input
          id={id}
          className="input period-row__input"
          value={value}
          onChange={(e) => onValue(e.target.value)}
          inputMode="numeric"
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={[`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
        />
        <span className="period-row__unit" aria-hidden="true">
          {unit}
        </span>
      </div>
    </div>
  );
}

function toDraft(s: DeadlineSettings | undefined): Draft {
  return {
    policy: s?.policy ?? '',
    internal: Object.fromEntries(Object.entries(s?.internalControl ?? {}).map(([k, v]) => [k, v === undefined ? '' : String(v)])),
    defaultPeriod: s?.defaultPeriod === undefined ? '' : String(s.defaultPeriod),
    categories: Object.entries(s?.categoryPeriods ?? {}).map(([code, period]) => ({
      key: ++rowKey,
      code,
      period: String(period),
    })),
    incidentClock: s?.incidentClock ?? '',
  };
}

const WHOLE = /^\d+$/;

/** The regime's settings from the form, or the fields that are not whole numbers. */
function fromDraft(regime: Regime, d: Draft): { settings: DeadlineSettings; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const settings: DeadlineSettings = {};
  const number = (field: string, raw: string): number | undefined => {
    const v = raw.trim();
    if (!v) return undefined;
    if (!WHOLE.test(v) || Number(v) < 1) {
      errors[field] = 'Введите целое число не меньше 1 или оставьте поле пустым.';
      return undefined;
    }
    return Number(v);
  };
  if (regime === 'appeal' && d.policy) settings.policy = d.policy;
  const internal: Record<string, number> = {};
  for (const kind of CONTROLLED[regime]) {
    const n = number(`internalControl.${kind}`, d.internal[kind] ?? '');
    if (n !== undefined) internal[kind] = n;
  }
  if (Object.keys(internal).length) settings.internalControl = internal;
  if (regime !== 'appeal') {
    const n = number('defaultPeriod', d.defaultPeriod);
    if (n !== undefined) settings.defaultPeriod = n;
    const categories: Record<string, number> = {};
    for (const row of d.categories) {
      const code = row.code.trim();
      if (!code && !row.period.trim()) continue;
      if (!code) {
        errors[`categoryCode.${row.key}`] = 'Укажите код категории.';
        continue;
      }
      if (code in categories) {
        errors[`categoryCode.${row.key}`] = 'Эта категория уже указана выше.';
        continue;
      }
      if (!row.period.trim()) {
        errors[`categoryPeriods.${code}`] = 'Укажите срок для категории.';
        continue;
      }
      const p = number(`categoryPeriods.${code}`, row.period);
      if (p !== undefined) categories[code] = p;
    }
    if (Object.keys(categories).length) settings.categoryPeriods = categories;
  }
  if (regime === 'incident' && d.incidentClock) settings.incidentClock = d.incidentClock;
  return { settings, errors };
}

function CategoryEditor({
  regime,
  rows,
  unit,
  errors,
  onChange,
}: {
  regime: Regime;
  rows: CategoryRow[];
  unit: string;
  errors: Record<string, string>;
  onChange: (rows: CategoryRow[]) => void;
}) {
  const update = (key: number, patch: Partial<CategoryRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset className="fieldset form__wide">
      <legend className="fieldset__legend fieldset__legend--small">Сроки по категориям</legend>
      <p className="field__hint">
        Свой срок для категории (код из классификатора), {unit}. Категории без строки получают срок по умолчанию.
      </p>
      {rows.length === 0 && <p className="muted">Отдельных сроков для категорий нет.</p>}
      {rows.map((row, i) => {
        const periodField = `categoryPeriods.${row.code.trim()}`;
        return (
          <div key={row.key} className="category-row">
            <TextField
              id={`ds-${regime}-categoryCode.${row.key}`}
              label={`Категория ${i + 1}: код`}
              value={row.code}
              onValue={(v) => update(row.key, { code: v })}
              error={errors[`categoryCode.${row.key}`]}
              autoComplete="off"
              spellCheck={false}
            />
            <TextField
              id={`ds-${regime}-${periodField}`}
              label={`Категория ${i + 1}: срок`}
              value={row.period}
              onValue={(v) => update(row.key, { period: v })}
              error={row.code.trim() ? errors[periodField] : undefined}
              inputMode="numeric"
            />
            <button
              type="button"
              className="button button--secondary button--small category-row__remove"
              onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
              aria-label={`Удалить категорию ${i + 1}${row.code ? ` (${row.code})` : ''}`}
            >
              Удалить
            </button>
          </div>
        );
      })}
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={() => onChange([...rows, { key: ++rowKey, code: '', period: '' }])}
      >
        Добавить категорию
      </button>
    </fieldset>
  );
}

function RegimeForm({
  regime,
  municipalityId,
  saved,
}: {
  regime: Regime;
  municipalityId: number;
  saved: MunicipalDeadlineSettings;
}) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => toDraft(saved[regime]));
  const [notice, setNotice] = useState<string | null>(null);
  const rules = LEGAL_RULES[regime];
  const labels: Record<string, string> = {
    policy: 'Последний день срока приходится на выходной',
    defaultPeriod: regime === 'message' ? 'Срок ответа по умолчанию' : 'Срок первой реакции по умолчанию',
    incidentClock: 'Как считать часы',
  };
  for (const kind of CONTROLLED[regime]) labels[`internalControl.${kind}`] = KIND_NAMES[kind as keyof typeof KIND_NAMES];
  for (const row of draft.categories) {
    labels[`categoryCode.${row.key}`] = `Код категории ${row.code || ''}`.trim();
    if (row.code.trim()) labels[`categoryPeriods.${row.code.trim()}`] = `Срок для категории «${row.code.trim()}»`;
  }
  const fields = Object.keys(labels);
  const prefix = `ds-${regime}`;
  const form = useFormErrors(prefix, fields, (path) => path.replace(/^body\./, '').replace(new RegExp(`^${regime}\\.`), ''));

  const mutation = useMutation({
    mutationFn: (settings: DeadlineSettings) => saveDeadlineSettings(municipalityId, { ...saved, [regime]: settings }),
    onError: form.fromError,
    onSuccess: async (result) => {
      form.clear();
      client.setQueryData(calendarKeys.settings(municipalityId), result);
      await client.invalidateQueries({ queryKey: ['deadlines'] });
      setNotice('Настройки сохранены. Новые сроки применяются к расчётам с этого момента.');
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    const { settings, errors } = fromDraft(regime, draft);
    if (Object.keys(errors).length) {
      form.show(errors, 'Проверьте поля формы.');
      return;
    }
    mutation.mutate(settings);
  };

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const unitWords = regime === 'message' ? 'в рабочих днях' : 'в часах';

  return (
    <section className="card form-panel" aria-labelledby={`${prefix}-title`}>
      <h2 id={`${prefix}-title`}>{TITLES[regime]}</h2>
      {regime === 'appeal' && (
        <p>
          Сроки рассмотрения обращений установлены 59-ФЗ и не меняются. Муниципалитет может задать более строгие внутренние
          контрольные сроки: сотрудники работают по ним, а дата по закону показывается рядом.
        </p>
      )}
      {regime === 'message' && (
        <p>
          Срок ответа на сообщение с платформы обратной связи устанавливается для категории; по умолчанию — 10 рабочих дней.
          Рабочие дни считаются по производственному календарю.
        </p>
      )}
      {regime === 'incident' && (
        <p>
          Срок первой реакции на инцидент (публикацию в соцсетях) задаётся регламентом региона; по умолчанию — 24 часа с момента
          обнаружения.
        </p>
      )}
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorSummary form={form} labels={labels} />
      <form onSubmit={submit} noValidate className="form form--grid">
        {regime === 'appeal' && (
          <SelectField
            id={`${prefix}-policy`}
            label={labels.policy!}
            value={draft.policy}
            onValue={(v) => set({ policy: v as LastDayPolicy | '' })}
            error={form.errors.policy}
            hint="Если последний день срока в календарных днях — выходной или праздник, срок переносится (59-ФЗ не уточняет; по умолчанию — на предшествующий рабочий день, чтобы ответ не опоздал)."
            fieldClassName="form__wide"
          >
            {POLICIES.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </SelectField>
        )}
        {regime !== 'appeal' && (
          <div className="form__wide period-rows period-rows--single">
            <PeriodField
              id={`${prefix}-defaultPeriod`}
              label={labels.defaultPeriod!}
              unit={regime === 'message' ? 'рабочих дней' : 'часов'}
              value={draft.defaultPeriod}
              onValue={(v) => set({ defaultPeriod: v })}
              error={form.errors.defaultPeriod}
              hint={regime === 'message' ? 'Пусто — 10 рабочих дней.' : 'Пусто — 24 часа.'}
            />
          </div>
        )}
        {regime === 'incident' && (
          <SelectField
            id={`${prefix}-incidentClock`}
            label={labels.incidentClock!}
            value={draft.incidentClock}
            onValue={(v) => set({ incidentClock: v as Draft['incidentClock'] })}
            error={form.errors.incidentClock}
            hint="Рабочие часы идут только в часы работы администрации по рабочим дням."
            fieldClassName="form__wide field--inline"
          >
            <option value="">По умолчанию: круглосуточно</option>
            <option value="clock">Круглосуточно (астрономические часы)</option>
            <option value="working">Только рабочее время</option>
          </SelectField>
        )}
        {regime !== 'appeal' && (
          <CategoryEditor
            regime={regime}
            rows={draft.categories}
            unit={unitWords}
            errors={form.errors}
            onChange={(categories) => set({ categories })}
          />
        )}
        {CONTROLLED[regime].length > 0 && (
          <fieldset className="fieldset form__wide">
            <legend className="fieldset__legend fieldset__legend--small">Внутренние контрольные сроки</legend>
            <p className="field__hint">
              Внутренний контрольный срок не может быть дольше установленного законом
              {regime === 'message' ? ' (и срока любой из категорий)' : ''}. Оставьте поле пустым, чтобы работать по сроку закона.
            </p>
            <div className="period-rows">
              {rules
                .filter((r) => CONTROLLED[regime].includes(r.kind))
                .map((r) => {
                  const field = `internalControl.${r.kind}`;
                  const unit = r.unit === 'working_days' ? 'рабочих дней' : r.unit === 'hours' ? 'часов' : 'календарных дней';
                  return (
                    <PeriodField
                      key={r.kind}
                      id={`${prefix}-${field}`}
                      label={KIND_NAMES[r.kind]}
                      unit={unit}
                      value={draft.internal[r.kind] ?? ''}
                      onValue={(v) => set({ internal: { ...draft.internal, [r.kind]: v } })}
                      error={form.errors[field]}
                      hint={
                        r.kind === 'extended_answer'
                          ? `Продление — не больше ${periodText(r.amount, r.unit)} (${r.source}).`
                          : regime === 'message'
                            ? `По умолчанию — ${periodText(r.amount, r.unit)}, не дольше срока любой категории.`
                            : `По закону — ${periodText(r.amount, r.unit)} (${r.source}).`
                      }
                    />
                  );
                })}
            </div>
          </fieldset>
        )}
        <div className="actions form__wide">
          <button type="submit" className="button" disabled={mutation.isPending}>
            {mutation.isPending ? 'Сохраняем…' : 'Сохранить'}
          </button>
        </div>
      </form>
    </section>
  );
}

export function DeadlineSettingsPage() {
  usePageTitle('Сроки и контроль');
  const { query: municipalities, items } = useManagedMunicipalities();
  const [selected, select] = useSelectedMunicipality(items);
  const municipalityId = typeof selected === 'number' ? selected : null;
  const settings = useDeadlineSettings(municipalityId);

  return (
    <>
      <h1>Сроки и контроль</h1>
      <p className="lead">
        Как муниципалитет считает сроки: перенос последнего дня, сроки сообщений и инцидентов по категориям и внутренние
        контрольные сроки, более строгие, чем по закону.
      </p>
      {municipalities.isPending && <Loading />}
      {municipalities.isError && <QueryError error={municipalities.error} onRetry={() => municipalities.refetch()} />}
      {items && items.length === 0 && (
        <Alert kind="warning">
          <p>У вас нет муниципалитетов, которыми вы управляете.</p>
        </Alert>
      )}
      {items && items.length > 0 && (
        <MunicipalityPicker id="ds-municipality" items={items} selected={selected} onSelect={select} />
      )}
      {municipalityId !== null && (
        <>
          {settings.isPending && <Loading text="Загружаем настройки…" />}
          {settings.isError && <QueryError error={settings.error} onRetry={() => settings.refetch()} />}
          {settings.data &&
            (['appeal', 'message', 'incident'] as const).map((regime) => (
              <RegimeForm
                key={`${municipalityId}-${regime}`}
                regime={regime}
                municipalityId={municipalityId}
                saved={settings.data}
              />
            ))}
        </>
      )}
    </>
  );
}
